# tests/scenarios/net_faults.py - fault injection for the tests: a socket module that fails on a schedule.
# MIT licence, see LICENSE.
#
# Never shipped in net/. net/_rt.py imports it only when the environment has NET_FAULTS, and
# then uses wrap(socket) instead of the runtime's socket module; nothing else in net changes.
# NET_FAULTS is a comma-separated schedule (every count is deterministic: the same run, the
# same faults):
#   on                 the wrapper only, no fault (a baseline with the same code paths)
#   recv_eagain=N/K    every N-th recv starts a burst: it and the K-1 after it raise EAGAIN
#   send_eagain=N/K    the same for send
#   send_one           every send takes at most one byte
#   reset=B/M          every M-th accepted connection (the M-th, 2M-th...) fails with ECONNRESET
#                      once B bytes went through it (in + out); the peer gets a real RST
#   send_eio           with reset: only sent bytes count, and the send that reaches B raises
#                      EIO and resets the socket (later sends EIO, recvs ECONNRESET), as
#                      modlwip's send does when a reset frees the pcb between its check and write
#   accept=ERR:A-B     accept calls A..B (from 1) raise OSError(ERR); ERR a name (EMFILE,
#                      ENFILE, ENOMEM) or a number; the connection stays in the backlog
#   socket=ERR:A-B     socket() calls A..B raise OSError(ERR)
# `stats` counts the faults injected (the scenario prints them, so a test knows they happened).
#
# Polling: net never polls a FaultSocket itself, only the real socket beneath it, so every
# stack answers as it does without faults. CPython: net/_rt.py's epoll wrapper asks fileno(),
# which FaultSocket passes on (the real descriptor). MicroPython: wrap_select hands net/_rt.py
# a select module whose poll() is FaultPoll, which registers the real socket (a kernel fd, a
# personality's emulated lwIP socket, an lwIP build's socket: its fileno() is no host
# descriptor) and yields the FaultSocket net registered. FaultSocket.ioctl passes requests on
# to the real socket; net's loop does not go through it.
import sys
import errno

try:
    import io

    _Base = io.IOBase if sys.implementation.name == "micropython" else object
except ImportError:
    _Base = object

_real = None
_GET_FILENO = 10  # MP_STREAM_GET_FILENO
# Linux numbers for the names MicroPython's errno module lacks.
_NUM = {"EIO": 5, "EMFILE": 24, "ENFILE": 23, "ENOMEM": 12, "ENOBUFS": 105, "ECONNRESET": 104, "EAGAIN": 11}
_LINGER0 = b"\x01\x00\x00\x00\x00\x00\x00\x00"  # struct linger {1, 0}: close with a RST

plan = {}
stats = {"recv_eagain": 0, "send_eagain": 0, "send_one": 0, "reset": 0, "accept": 0, "socket": 0}
_count = {"recv": 0, "send": 0, "accept": 0, "socket": 0, "accepted": 0}
_burst = {"recv": 0, "send": 0}


def _errno(name):
    if name.isdigit():
        return int(name)
    return getattr(errno, name, None) or _NUM[name]


def configure(spec):
    # Parse a NET_FAULTS schedule into `plan` (see the top of this file); counts start again
    # from 0, so a scenario can re-arm a fault for a second round.
    plan.clear()
    for d in (_count, _burst, stats):
        for k in d:
            d[k] = 0
    for item in spec.split(","):
        item = item.strip()
        if not item or item == "on":
            continue
        k, _, v = item.partition("=")
        if k in ("recv_eagain", "send_eagain", "reset"):
            a, b = v.split("/")
            plan[k] = (int(a), int(b))
        elif k in ("send_one", "send_eio"):
            plan[k] = True
        elif k in ("accept", "socket"):
            e, r = v.split(":")
            a, b = r.split("-")
            plan[k] = (_errno(e), int(a), int(b))
        else:
            raise ValueError("NET_FAULTS: unknown fault %r" % item)


def _window(kind):
    # Count a call of kind; OSError(err) when it falls in the scheduled window.
    _count[kind] += 1
    p = plan.get(kind)
    if p is not None and p[1] <= _count[kind] <= p[2]:
        stats[kind] += 1
        raise OSError(p[0])


def _eagain(kind):
    p = plan.get(kind + "_eagain")
    if p is None:
        return
    if _burst[kind]:
        _burst[kind] -= 1
    else:
        _count[kind] += 1
        if _count[kind] % p[0]:
            return
        _burst[kind] = p[1] - 1
    stats[kind + "_eagain"] += 1
    raise OSError(_errno("EAGAIN"))


class FaultSocket(_Base):
    def __init__(self, real, doomed=False):
        self._r = real
        self._doomed = doomed  # reset once plan["reset"][0] bytes went through
        self._n = 0  # bytes through (in + out)
        self._dead = False

    # --- what net calls ------------------------------------------------------------------
    def fileno(self):
        return self._r.fileno()

    def ioctl(self, req, arg):
        # Not how net polls (FaultPoll polls the real socket): a stream request made of the
        # FaultSocket itself goes to the real socket's ioctl where it has one (a personality's,
        # board/_lwipemu.py), else only MP_STREAM_GET_FILENO is answered.
        f = getattr(self._r, "ioctl", None)
        if f is not None:
            return f(req, arg)
        if req == _GET_FILENO:
            return self._r.fileno()
        return -22  # EINVAL: MicroPython polls the fd, never asks more

    def setblocking(self, flag):
        self._r.setblocking(flag)

    def setsockopt(self, *a):
        self._r.setsockopt(*a)

    def bind(self, addr):
        self._r.bind(addr)

    def listen(self, n=4):
        self._r.listen(n)

    def connect(self, addr):
        self._r.connect(addr)

    def accept(self):
        _window("accept")
        s, a = self._r.accept()
        _count["accepted"] += 1
        p = plan.get("reset")
        return FaultSocket(s, p is not None and _count["accepted"] % p[1] == 0), a

    def _left(self, n):
        # A doomed connection moves at most its remaining budget per call.
        return min(n, plan["reset"][0] - self._n) if self._doomed else n

    def _count_bytes(self, n):
        # After the budget is used up: the socket is reset (RST to the peer, set up now and
        # sent at close) and every later call raises ECONNRESET, as after a real reset.
        self._n += n
        if self._doomed and self._n >= plan["reset"][0] and not self._dead:
            self._dead = True
            stats["reset"] += 1
            try:
                # SOL_SOCKET, SO_LINGER (Linux); under a board personality on the real socket
                # beneath it (the chips have no SO_LINGER: their setsockopt would only warn).
                getattr(self._r, "_r", self._r).setsockopt(1, 13, _LINGER0)
            except OSError:
                pass

    def recv(self, n):
        if self._dead:
            raise OSError(_errno("ECONNRESET"))
        _eagain("recv")
        d = self._r.recv(self._left(n))
        if d and not plan.get("send_eio"):
            self._count_bytes(len(d))
        return d

    def send(self, data):
        if self._dead:
            raise OSError(_errno("EIO" if plan.get("send_eio") else "ECONNRESET"))
        _eagain("send")
        n = self._left(len(data))
        if plan.get("send_one") and n > 1:
            stats["send_one"] += 1
            n = 1
        if n < len(data):
            data = data[:n]
        if plan.get("send_eio") and self._doomed and self._n + len(data) >= plan["reset"][0]:
            self._count_bytes(plan["reset"][0] - self._n)
            raise OSError(_errno("EIO"))
        n = self._r.send(data)
        if n:
            self._count_bytes(n)
        return n

    # net reads TCP into one buffer (net/_rt.py recv_into): MicroPython's stream readinto (None
    # when nothing is there) and CPython's recv_into, with every recv fault applied. readinto
    # reads straight into net's buffer: on a board's heap the scaffolding may not allocate a
    # segment's worth per read (net's own readinto allocates nothing).
    def readinto(self, buf, n=-1):
        if n < 0 or n > len(buf):
            n = len(buf)
        if self._dead:
            raise OSError(_errno("ECONNRESET"))
        try:
            _eagain("recv")
        except OSError:
            return None
        got = self._r.readinto(buf, self._left(n))
        if got and not plan.get("send_eio"):
            self._count_bytes(got)
        return got

    def recv_into(self, buf, n=0):
        d = self.recv(n or len(buf))
        buf[: len(d)] = d
        return len(d)

    def recvfrom(self, n):
        _eagain("recv")
        return self._r.recvfrom(n)

    def sendto(self, data, addr):
        _eagain("send")
        return self._r.sendto(data, addr)

    def close(self):
        self._r.close()

    def __getattr__(self, name):
        # Anything else (getsockname, getsockopt on CPython): the real socket's.
        return getattr(self._r, name)


def socket(*args, **kw):
    _window("socket")
    return FaultSocket(_real.socket(*args, **kw))


class FaultPoll:
    # MicroPython's select.poll over the real sockets beneath the FaultSockets: the stack's own
    # poll answers (an lwIP socket's MP_STREAM_POLL, a kernel fd), yielded as the FaultSockets
    # net registered. Registering FaultSocket itself fails on modsocket's lwIP sockets: their
    # fileno() is lwIP's (54..), where the host's /dev/null sits (link.c), always "ready".
    def __init__(self):
        self._p = _select.poll()
        self._by = {}  # real socket -> what net registered

    def register(self, s, mask=5):
        r = getattr(s, "_r", s)
        self._p.register(r, mask)
        self._by[r] = s

    def modify(self, s, mask):
        self._p.modify(getattr(s, "_r", s), mask)

    def unregister(self, s):
        r = getattr(s, "_r", s)
        self._by.pop(r, None)
        self._p.unregister(r)

    def ipoll(self, t=-1):
        by = self._by
        for r, ev in self._p.ipoll(t):
            yield by.get(r, r), ev


class _Select:
    pass


_select = None


def wrap_select(mod):
    # The select module net/_rt.py uses under NET_FAULTS: poll() is FaultPoll on MicroPython
    # (ipoll); CPython's poll asks fileno(), which FaultSocket passes on: mod as it is.
    global _select
    if not hasattr(mod.poll(), "ipoll"):
        return mod
    _select = mod
    w = _Select()
    for name in dir(mod):
        if name[:2] != "__":
            setattr(w, name, getattr(mod, name))
    w.poll = FaultPoll
    return w


def wrap(mod):
    # The module net/_rt.py uses instead of mod: mod's names, with socket() replaced.
    global _real
    _real = mod
    g = globals()
    for name in dir(mod):
        # Not our own names: a board personality's socket module also has a `configure`.
        if name[:2] != "__" and name not in g:
            g[name] = getattr(mod, name)
    return sys.modules[__name__]


try:
    from os import getenv as _getenv

    configure(_getenv("NET_FAULTS") or "")
except ImportError:
    pass
