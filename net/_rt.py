# net/_rt.py - the runtime adapter: the only module of net that asks which runtime it is on.
# MIT licence, see LICENSE.
#
# It tells by feature (what `socket` offers), not by port name, so that the board personalities
# (board/esp32, board/esp8266) take the ESP paths here as a board would. What it absorbs:
# docs/design.md, "Port differences the runtime adapter absorbs".
import sys

try:
    import socket
except ImportError:  # firmware before 1.20 only has the u-name
    import usocket as socket
try:
    import select
except ImportError:  # firmware before 1.20 only has the u-name
    import uselect as select
import errno
import time

# Fault injection for the test suite only (docs/reliability.md): NET_FAULTS wraps `socket` in
# tests/scenarios/net_faults.py, checked once at import; a board (no os.getenv) never looks.
try:
    from os import getenv as _getenv
except ImportError:
    _getenv = None
if _getenv is not None and _getenv("NET_FAULTS"):
    import net_faults

    socket = net_faults.wrap(socket)
    select = net_faults.wrap_select(select)  # polls the real sockets beneath (net_faults.FaultPoll)

try:
    from micropython import const
except ImportError:  # CPython: const() is a compile-time marker on MicroPython only

    def const(x):
        return x


MICROPYTHON = sys.implementation.name == "micropython"

# Raw sockaddr bytes (unix port) versus (ip, port) tuples (ESP ports, CPython).
_RAW_ADDR = hasattr(socket, "sockaddr")

AF_INET = socket.AF_INET
SOCK_STREAM = socket.SOCK_STREAM
SOCK_DGRAM = socket.SOCK_DGRAM
AF_UNIX = getattr(socket, "AF_UNIX", None)  # None where the runtime has no unix sockets

# The default listen backlog: long on a host (AF_UNIX), whose kernel drops the SYNs beyond it,
# short on lwIP, which holds a pcb per waiting connection (docs/design.md, "The accept path").
BACKLOG = 4 if AF_UNIX is None else 128

# poll event bits: the same numbers on every MicroPython port (MP_STREAM_POLL_*) and on Linux.
# net/_sock.py and net/_srv.py use them as const() (no global lookup per message): check here.
POLLIN = select.POLLIN
POLLOUT = select.POLLOUT
POLLERR = select.POLLERR
POLLHUP = select.POLLHUP
if (POLLIN, POLLOUT, POLLERR, POLLHUP) != (1, 4, 8, 16):
    raise ImportError("net: unexpected select.POLL* values %r" % ((POLLIN, POLLOUT, POLLERR, POLLHUP),))

# --- errno ---------------------------------------------------------------------------------
# Read with getattr: MicroPython folds `errno.NAME` to the built-in module's number, bypassing
# a personality's errno (docs/design.md, "Port differences the runtime adapter absorbs").
EAGAIN = getattr(errno, "EAGAIN")
EINPROGRESS = getattr(errno, "EINPROGRESS")
EADDRINUSE = getattr(errno, "EADDRINUSE")
ECONNRESET = getattr(errno, "ECONNRESET")
ECONNREFUSED = getattr(errno, "ECONNREFUSED")
ECONNABORTED = getattr(errno, "ECONNABORTED")
ENOTCONN = getattr(errno, "ENOTCONN")
ETIMEDOUT = getattr(errno, "ETIMEDOUT")
EINVAL = getattr(errno, "EINVAL")
EALREADY = getattr(errno, "EALREADY")
EOPNOTSUPP = getattr(errno, "EOPNOTSUPP")
ENOMEM = getattr(errno, "ENOMEM")
EBADF = getattr(errno, "EBADF")
EIO = getattr(errno, "EIO")
ENOBUFS = getattr(errno, "ENOBUFS")  # in every port's errno (MicroPython's core list)
EISCONN = getattr(errno, "EISCONN", None)
if EISCONN is None:
    # No EISCONN name, yet every port raises it: its number follows the port's numbering,
    # which EADDRINUSE tells (newlib 112, BSD 48, Linux and MicroPython's own 98).
    if EADDRINUSE == 112:
        EISCONN = 127
    elif EADDRINUSE == 48:
        EISCONN = 56
    else:
        EISCONN = 106
EHOSTUNREACH = getattr(errno, "EHOSTUNREACH")  # TCP connect by name: the name did not resolve


def errnos(*names):
    # The numbers behind the names this errno module has, without duplicates.
    out = []
    for n in names:
        v = getattr(errno, n, None)
        if v is not None and v not in out:
            out.append(v)
    return tuple(out)


# "Try again later" for a non-blocking call, and "still connecting" (lwIP says EINPROGRESS or
# EALREADY too): tuples built once, so `n in AGAIN` allocates nothing.
AGAIN = errnos("EAGAIN", "EWOULDBLOCK", "EINTR")
CONNECTING = errnos("EINPROGRESS", "EALREADY", "EAGAIN", "EWOULDBLOCK")


def errno_of(exc):
    # OSError.errno on every runtime; MicroPython's OSError(n) keeps it in args[0].
    e = getattr(exc, "errno", None)
    if e is None and exc.args:
        e = exc.args[0]
    return e if type(e) is int else EINVAL


# --- ticks ---------------------------------------------------------------------------------
if MICROPYTHON:
    ticks_ms = time.ticks_ms
    ticks_add = time.ticks_add
    ticks_diff = time.ticks_diff
else:
    # The period of MicroPython's ticks on boards (MICROPY_PY_TIME_TICKS_PERIOD = 2**30).
    _PERIOD = 1 << 30
    _HALF = 1 << 29
    # Tests shift the origin (NET_TICKS_OFFSET) to start just before a wrap.
    _ticks_offset = 0
    try:
        import os as _os

        _ticks_offset = int(_os.environ.get("NET_TICKS_OFFSET", "0"))
    except (ImportError, ValueError):
        pass

    def ticks_ms():
        return (int(time.monotonic() * 1000) + _ticks_offset) & (_PERIOD - 1)

    def ticks_add(t, delta):
        return (t + delta) & (_PERIOD - 1)

    def ticks_diff(a, b):
        return ((a - b + _HALF) & (_PERIOD - 1)) - _HALF


# The heap's size in bytes where the runtime can tell (MicroPython's gc), else None (CPython).
try:
    import gc as _gc

    HEAP_SIZE = _gc.mem_free() + _gc.mem_alloc()
except (ImportError, AttributeError):
    HEAP_SIZE = None


# --- errors and exceptions -------------------------------------------------------------------
if hasattr(sys, "print_exception"):
    print_exception = sys.print_exception
else:
    import traceback as _tb

    def print_exception(exc, file=sys.stderr):
        _tb.print_exception(type(exc), exc, exc.__traceback__, file=file)


# --- randomness ------------------------------------------------------------------------------
try:
    from os import urandom
except ImportError:  # old ESP8266 firmware: uos only
    try:
        from uos import urandom
    except ImportError:
        urandom = None

import random as _random


def randbits(n):
    # Unpredictable where the port has a hardware RNG (os.urandom: ESP32, ESP8266, unix, CPython).
    if urandom is not None and n <= 32:
        b = urandom(4)
        return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) & ((1 << n) - 1)
    return _random.getrandbits(n)


# --- addresses -----------------------------------------------------------------------------
def is_ip(ip):
    # True for a dotted quad "a.b.c.d" with each part 0..255 (what lwIP's bind accepts).
    if type(ip) is not str:
        return False
    parts = ip.split(".")
    if len(parts) != 4:
        return False
    for p in parts:
        if not p or len(p) > 3 or not p.isdigit() or int(p) > 255:
            return False
    return True


def check_port(port, name="port", zero=True):
    # Raise with a message naming the argument and the allowed range. bool is refused: True is
    # an int in Python but never a port anyone meant.
    lo = 0 if zero else 1
    if type(port) is not int:
        raise TypeError("%s must be an int in %d..65535, not %s" % (name, lo, type(port).__name__))
    if port < lo or port > 65535:
        raise ValueError("%s must be in %d..65535, got %d" % (name, lo, port))
    return port


def check_ip(ip, name="ip"):
    if not is_ip(ip):
        raise ValueError("%s must be a dotted quad like '192.168.4.1', got %r" % (name, ip))
    return ip


if _RAW_ADDR:
    # Unix port: bind/connect/sendto take raw sockaddr bytes. getaddrinfo with a numeric host
    # does not query DNS; it is the portable way to build the bytes (struct layout differs
    # between Linux and BSD).
    def sockaddr(ip, port, kind=SOCK_STREAM):
        return socket.getaddrinfo(ip, port, AF_INET, kind)[0][-1]

    if sys.maxsize >> 48:

        def compact_peer(a):
            # A raw sockaddr as one small int, port << 32 | ip, read straight from the struct
            # (docs/design.md, "What a connection stores"). Unix-domain and big-endian peers stay.
            if a[0] != AF_INET or a[1]:
                return a
            return a[2] << 40 | a[3] << 32 | a[4] << 24 | a[5] << 16 | a[6] << 8 | a[7]

    else:

        def compact_peer(a):
            # 32-bit: that int would be a long int (32 bytes); two 24-bit small ints in a tuple
            # take one 16-byte block, (ip >> 8, (ip & 255) << 16 | port).
            if a[0] != AF_INET or a[1]:
                return a
            return (a[4] << 16 | a[5] << 8 | a[6], a[7] << 16 | a[2] << 8 | a[3])

    def peer(addr):
        # raw sockaddr (or compact_peer's int or tuple) -> (ip, port); unix-domain addresses
        # decode to (path, 0).
        t = type(addr)
        if t is int:
            ip = addr & 0xFFFFFFFF
            return ("%d.%d.%d.%d" % (ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255), addr >> 32)
        if t is tuple:
            return _compact_ip(addr)
        t = socket.sockaddr(addr)  # (family, addr, port...) for AF_INET, (family, path) for AF_UNIX
        if t[0] != AF_INET:
            return (t[1] if type(t[1]) is str else "", 0)
        return (socket.inet_ntop(AF_INET, t[1]), t[2])

else:

    def sockaddr(ip, port, kind=SOCK_STREAM):
        return (ip, port)

    def compact_peer(addr):
        # ESP ports (modlwip, ESP32's modsocket) and CPython give (ip, port), the ip a str: on
        # a board a tuple and a str, 48 bytes, kept per connection. As the 32-bit unix port's
        # form above: one 16-byte block. (A unix-domain peer on CPython, a str, stays as is.)
        if type(addr) is not tuple:
            return addr
        q = addr[0].split(".")
        return (int(q[0]) << 16 | int(q[1]) << 8 | int(q[2]), int(q[3]) << 16 | addr[1])

    def peer(addr):
        if type(addr) is not tuple:  # unix-domain peer on CPython: a path string
            return (addr or "", 0)
        if type(addr[0]) is str:  # (ip, port) as the stack gives it
            return (addr[0], addr[1])
        return _compact_ip(addr)


def _compact_ip(addr):
    # compact_peer's tuple (32-bit ports, ESP ports, CPython) -> (ip, port)
    ip, port = addr
    return ("%d.%d.%d.%d" % (ip >> 16, (ip >> 8) & 255, ip & 255, port >> 16), port & 0xFFFF)


# --- calls made once per message: small frames, no exception out -----------------------------
# They catch without `as` and read sys.exc_info() where the runtime has it, to keep their frames
# on the C stack (docs/design.md, "Frames on the C stack"); elsewhere `as e`: only slower.
_exc_info = getattr(sys, "exc_info", None)


# CAUGHT: the runtime can name the exception being handled (caught()) inside a plain
# `except Exception:`, so hot functions can catch without `as` (net/_loop.py).
CAUGHT = _exc_info is not None


# What caught() gives when the heap cannot even hold sys.exc_info()'s tuple.
_NOMEM = MemoryError()


def caught():
    # The exception being handled: call it inside an except block, where CAUGHT. Never raises:
    # in a full heap a MemoryError stands in for what cannot be named.
    try:
        return _exc_info()[1]
    except MemoryError:
        return _NOMEM


def _rx_fail(e):
    if not isinstance(e, OSError):
        raise e  # (recv_into catches everything, see there)
    n = errno_of(e)
    return None if n in AGAIN else -n


if MICROPYTHON and _exc_info is not None:

    def recv_into(sock, buf, n):
        # Read at most n bytes into buf: the count (0: the peer closed), None when nothing is
        # there, or -errno; never raises OSError. A bare except, for the frame; _rx_fail raises
        # again what is not an OSError.
        try:
            return sock.readinto(buf, n)
        except:  # noqa: E722
            return _rx_caught()

    def _rx_caught():
        # recv_into's failure, taken from sys.exc_info() here: an argument built inside the
        # except block would grow recv_into's frame past the C stack's share.
        return _rx_fail(_exc_info()[1])

elif MICROPYTHON:

    def recv_into(sock, buf, n):
        try:
            return sock.readinto(buf, n)
        except OSError as e:
            return _rx_fail(e)

else:

    def recv_into(sock, buf, n):
        # CPython's recv_into refuses n beyond the buffer and raises BlockingIOError for EAGAIN.
        try:
            return sock.recv_into(buf, n if n < len(buf) else 0)
        except OSError as e:
            return _rx_fail(e)


# reserve(nbytes): a heap probe before a call that must not run out of heap half way
# (docs/design.md, "Heap probes"). CPython needs none.
if MICROPYTHON:

    reserve = bytearray  # the type itself: no Python frame for it

else:

    def reserve(nbytes):
        pass


def _tx_fail(e):
    if not isinstance(e, OSError):
        raise e  # (tx_caught is called from a bare except, see there)
    n = errno_of(e)
    return 0 if n in AGAIN else -n


if CAUGHT:

    def send_some(sock, data):
        # Send what the stack takes now: the count (0 when it takes nothing now), or -errno.
        # Never raises OSError.
        try:
            return sock.send(data) or 0
        except OSError:
            return _tx_fail(_exc_info()[1])

    def tx_caught():
        # Inside a bare except around a stack socket's send() (Socket.send's own, whose frame
        # has no room for a typed except): what send_some would have returned, 0 for EAGAIN or
        # -errno; raises again what is not an OSError.
        return _tx_fail(_exc_info()[1])

else:

    def send_some(sock, data):
        try:
            return sock.send(data) or 0
        except OSError as e:
            return _tx_fail(e)

    def tx_caught():
        # No sys.exc_info here: the caller sends again through send_some, which can tell.
        # (Only boards lack it, and lwIP says a socket's error again.)
        return None


def new_socket(kind=SOCK_STREAM, family=AF_INET):
    s = socket.socket(family, kind)
    s.setblocking(False)
    return s


# Where the stack chooses for port 0 we could never learn the port (no getsockname anywhere on
# MicroPython), so net chooses: random ports in the IANA dynamic range, retried on EADDRINUSE.
_FREE_LO = const(49152)
_FREE_TRIES = const(64)


def bind_free(sock, ip="0.0.0.0", kind=SOCK_STREAM):
    # Bind sock to a free port on ip and return the port.
    for _ in range(_FREE_TRIES):
        port = _FREE_LO + randbits(14)  # 49152..65535
        try:
            sock.bind(sockaddr(ip, port, kind))
            return port
        except OSError as e:
            if errno_of(e) != EADDRINUSE:
                raise
    raise OSError(EADDRINUSE)


def reuse_addr(sock):
    # SO_REUSEADDR: every port has it (lwIP included), so a restarted server can rebind at once.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)


# --- poll ----------------------------------------------------------------------------------
if hasattr(select.poll(), "ipoll"):
    # MicroPython: use the port's poll as it is; ipoll(timeout_ms) yields (obj, events) in a
    # reused tuple and allocates nothing after its first call.
    Poll = select.poll
else:
    # CPython: epoll (Linux) yields fds and takes seconds; wrap it so that it yields the
    # registered objects and takes milliseconds like MicroPython's ipoll. epoll also has a
    # file descriptor, which lets asyncio wait on the whole set (net._aio).
    class Poll:
        def __init__(self):
            try:
                self._p = select.epoll()
                self._ms = False
            except AttributeError:  # not Linux: plain poll, no asyncio wake-up fd
                self._p = select.poll()
                self._ms = True
            self._fds = {}  # fd -> object
            self._objs = {}  # object -> fd (a closed socket's fileno() is -1)

        def register(self, obj, events=POLLIN | POLLOUT):
            fd = obj.fileno()
            self._p.register(fd, events)
            self._fds[fd] = obj
            self._objs[obj] = fd

        def modify(self, obj, events):
            self._p.modify(self._objs[obj], events)

        def unregister(self, obj):
            fd = self._objs.pop(obj, None)
            if fd is not None:
                del self._fds[fd]
                try:
                    self._p.unregister(fd)
                except (OSError, ValueError):  # already closed: the kernel dropped it
                    pass

        def ipoll(self, timeout_ms=-1):
            if self._ms:
                evs = self._p.poll(timeout_ms)
            else:
                evs = self._p.poll(-1 if timeout_ms < 0 else timeout_ms / 1000)
            fds = self._fds
            return [(fds[fd], ev) for fd, ev in evs if fd in fds]

        def fileno(self):
            return self._p.fileno() if not self._ms else -1
