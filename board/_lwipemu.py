# board/_lwipemu.py - ESP32/ESP8266 socket behaviour emulated over the unix port's real sockets.
# MIT licence, see LICENSE.
#
# Shared by the board personalities board/esp32 and board/esp8266 (their socket.py calls
# configure() and re-exports `socket` and `getaddrinfo`). Only for the MicroPython unix port.
# The name starts with "_lwipemu" so that it can never shadow a real module.
#
# What is emulated, each point read from the firmware's source (MicroPython 1.29 preview:
# ports/esp32/modsocket.c over ESP-IDF's lwIP 2.1 socket API; extmod/modlwip.c over
# esp-open-lwip 1.4 raw API on ESP8266). docs/personalities.md has the full table.
# - addresses are (ip, port) tuples; the real socket's raw sockaddr bytes never show. ESP8266
#   parses addresses with netutils (dotted quads only, "" = 0.0.0.0, anything else ValueError
#   "invalid arguments"); ESP32's bind/connect resolve names with getaddrinfo, its sendto does not.
# - errno numbers are the chip's (board/<chip>/errno.py), and lwIP's: a refused connect is
#   ECONNRESET (lwIP ERR_RST), never ECONNREFUSED; a write after a reset is ECONNRESET, not EPIPE.
# - poll: the objects answer MP_STREAM_POLL themselves and hand no file descriptor to select
#   (MP_STREAM_GET_FILENO fails), so select.poll asks them every millisecond, exactly as it asks
#   lwIP sockets on a board. The answers follow the firmware's ioctl:
#     ESP8266 (modlwip lwip_socket_ioctl): NEW -> HUP; a TCP pcb with send buffer is writable
#       even while connecting; peer closed -> RD|WR; reset (refused) -> WR|HUP; other errors ERR;
#       closed -> NVAL.
#     ESP32 (modsocket socket_stream_ioctl: lwIP select): NEW -> WR|HUP; an error makes the
#       socket readable, writable and (when asked for) HUP; POLLERR is never reported.
# - ESP32: accepted sockets are blocking whatever the listener is (_socket_settimeout(UINT64_MAX)).
#   ESP8266: they inherit the listener's timeout.
# - setsockopt ignores the level and knows a handful of options; anything else prints the
#   firmware's warning and does nothing. With NET_STRICT=1 in the environment (the test harness
#   sets it) it also prints "NET_STRICT: ..." and exits: a test fails if net calls an option the
#   chip does not have.
# - UDP: modlwip queues LWIP_INCOMING_PACKET_QUEUE_LEN = 4 datagrams per socket and drops the
#   rest ("No room in the inn"); ESP-IDF's recvmbox holds CONFIG_LWIP_UDP_RECVMBOX_SIZE = 6.
#   Datagrams over 1472 bytes are dropped (no IP reassembly on either chip by default).
# - limits: ESP8266's esp-open-lwip takes pcbs from the heap (MEMP_MEM_MALLOC 1), so socket()
#   and connect() have no pcb limit; but tcp_listen_input (lwip/core/tcp_in.c) drops an incoming
#   SYN while 5 connections (MEMP_NUM_TCP_PCB) are active: the peer sends it again later, and is
#   served once one of the five has gone. Here such a connection waits, unaccepted, in the
#   kernel's backlog (its handshake done by the host, its data unread until then). Checked
#   against lwip-esp8266 (tests/test_stack_probe.py).
#   ESP32 has CONFIG_LWIP_MAX_SOCKETS = 10 sockets of any kind: the 11th socket() or accept()
#   raises ENFILE (lwIP's alloc_socket), and an accepted connection without a slot is closed.
# - TCP recv on ESP8266 returns at most one pbuf (TCP_MSS 1460 bytes), on ESP32 at most its receive
#   window (TCP_WND 5760); send takes at most the free send buffer (TCP_SND_BUF 2*1460 on ESP8266,
#   5760 on ESP32) per call.
# Not emulated: the heap cost of lwIP's own buffers (they live outside the MicroPython heap on the
# chip; here the real sockets live in the kernel, so that matches), TIME_WAIT pcbs (lwIP kills them
# first anyway), the accept backlog limit, radio and DHCP behaviour.
import io
import sys
import usocket as _s  # the unix port's own socket module: the u-name bypasses the personality
import uselect as _sel
import uerrno as _le  # Linux numbers, as the real sockets raise them
import errno as _ce  # the chip's numbers: board/<chip>/errno.py comes first on the path
from micropython import const
from time import ticks_ms, ticks_diff

try:
    from os import getenv
except ImportError:
    getenv = None

_RD = const(1)
_WR = const(4)
_ER = const(8)
_HUP = const(16)
_NVAL = const(32)
_RDHUP = const(0x2000)  # Linux POLLRDHUP: the peer's FIN, which lwIP reports as PEER_CLOSED
_POLL = const(3)  # MP_STREAM_POLL
_CLOSE = const(4)  # MP_STREAM_CLOSE

_NEW = const(0)
_LISTEN = const(1)
_CONNECTING = const(2)
_CONNECTED = const(3)
_PEER_CLOSED = const(4)
_UDP = const(5)
_FAILED = const(6)  # an error is pending: the next call raises it
_BADF = const(7)  # closed, or failed and reported (modlwip: _ERR_BADF)
_RST_HANDLED = const(8)  # ESP8266: a reset that recv() reported (modlwip STATE_PEER_RST_HANDLED)

_UDP_MAX = const(1472)
_MSG_PEEK = const(2)  # Linux MSG_PEEK, to learn a socket's pending error without reading data

# Set by configure(): the chip's parameters.
chip = None
_lwip = False  # True: ESP8266's modlwip semantics; False: ESP32's lwIP socket API semantics
_known = ()  # option numbers setsockopt knows (the level is ignored)
_warning = ""
_udp_q = 4
_rd_cap = 0  # largest TCP recv (0: no cap)
_wr_cap = 2920  # largest TCP send per call
_max_pcb = 0  # ESP8266: TCP pcbs (0: no limit)
_max_sock = 0  # ESP32: sockets of any kind (0: no limit)
_strict = False
_pcbs = []  # ESP8266: sockets that hold a TCP pcb
_nsock = [0]  # ESP32: open sockets
_opts = {}  # chip option number -> (Linux level, Linux option)
_lx = {}  # Linux errno -> chip errno
E_AGAIN = E_INPROGRESS = E_ALREADY = E_ISCONN = E_BADF = E_NOTCONN = 0
E_RESET = E_TIMEDOUT = E_NFILE = E_INVAL = E_OPNOTSUPP = 0


def configure(name, known, opts, extra):
    # Called once by board/<chip>/socket.py. known: option numbers; opts: number -> Linux
    # (level, option); extra: Linux errno -> chip errno for names the errno module lacks.
    global chip, _lwip, _known, _warning, _udp_q, _rd_cap, _wr_cap, _max_pcb, _max_sock, _strict
    global E_AGAIN, E_INPROGRESS, E_ALREADY, E_ISCONN, E_BADF, E_NOTCONN
    global E_RESET, E_TIMEDOUT, E_NFILE, E_INVAL, E_OPNOTSUPP
    if chip is not None:
        return
    chip = name
    _lwip = name == "esp8266"
    _known = known
    _opts.update(opts)
    if _lwip:
        _warning = "Warning: lwip.setsockopt() not implemented"
        _udp_q, _rd_cap, _wr_cap, _max_pcb = 4, 1460, 2920, 5
    else:
        _warning = "Warning: lwip.setsockopt() option not implemented"
        # ESP-IDF 5.5's lwIP Kconfig defaults (docs/lwip-esp32.md): TCP_SND_BUF and TCP_WND 5760
        # bytes, so a send takes at most 5760 and a recv finds at most the window's 5760.
        _udp_q, _rd_cap, _wr_cap, _max_sock = 6, 5760, 5760, 10
    for n in dir(_ce):
        if n[0] == "E" and hasattr(_le, n):
            _lx[getattr(_le, n)] = getattr(_ce, n)
    _lx.update(extra)
    _strict = bool(getenv and getenv("NET_STRICT") == "1")
    E_AGAIN, E_INPROGRESS, E_ALREADY = _ce.EAGAIN, _ce.EINPROGRESS, _ce.EALREADY
    E_BADF, E_NOTCONN, E_RESET = _ce.EBADF, _ce.ENOTCONN, _ce.ECONNRESET
    E_TIMEDOUT, E_INVAL, E_OPNOTSUPP = _ce.ETIMEDOUT, _ce.EINVAL, _ce.EOPNOTSUPP
    E_ISCONN = extra[106]  # Linux EISCONN (no name on MicroPython)
    E_NFILE = extra[23]  # Linux ENFILE (no name on MicroPython)
    if _lwip:
        try:
            delattr(socket, "fileno")
        except (AttributeError, TypeError):
            pass


def _chip_errno(e):
    # A real OSError's Linux errno as the chip reports it. lwIP has no ECONNREFUSED and no EPIPE:
    # a refused connect and a write after a reset are both its ERR_RST, i.e. ECONNRESET.
    n = e.errno if hasattr(e, "errno") else e.args[0]
    if n == _le.ECONNREFUSED or n == 32:  # 32: EPIPE
        return E_RESET
    return _lx.get(n, n)


def _ip(s):
    # modlwip/netutils: a dotted quad; "" is 0.0.0.0; anything else ValueError("invalid arguments").
    if type(s) is not str:
        raise TypeError("can't convert %s to str" % type(s).__name__)
    if s == "":
        return "0.0.0.0"
    p = s.split(".")
    if len(p) != 4:
        raise ValueError("invalid arguments")
    for x in p:
        if not x.isdigit():
            raise ValueError("invalid arguments")
    return "%d.%d.%d.%d" % (int(p[0]) & 255, int(p[1]) & 255, int(p[2]) & 255, int(p[3]) & 255)


def _addr(a, resolve, kind=1):
    # (ip, port) tuple -> the unix port's raw sockaddr. ESP ports take a 2-sequence only.
    if type(a) is not tuple and type(a) is not list:
        raise TypeError("object of type '%s' has no len()" % type(a).__name__)
    if len(a) != 2:
        raise ValueError("requested length 2 but object has length %d" % len(a))
    host, port = a
    if type(port) is not int:
        raise TypeError("can't convert %s to int" % type(port).__name__)
    if resolve:
        host = _resolve(host)
    else:
        host = _ip(host)
    return _s.getaddrinfo(host, port & 0xFFFF, _s.AF_INET, 2 if kind == 3 else kind)[0][-1]  # (raw: UDP's sockaddr)


def _resolve(host):
    # ESP32's getaddrinfo: "" means 0.0.0.0; names go through DNS (blocking, as on the chip).
    if host == "":
        return "0.0.0.0"
    try:
        a = _s.getaddrinfo(host, 0, _s.AF_INET)[0][-1]
    except OSError:
        raise OSError(202)  # lwIP EAI_FAIL, raised as is by modsocket
    return _s.inet_ntop(_s.AF_INET, _s.sockaddr(a)[1])


def _peer(raw):
    f = _s.sockaddr(raw)
    return (_s.inet_ntop(_s.AF_INET, f[1]), f[2])


def getaddrinfo(host, port, af=0, type=0, proto=0, flags=0):
    # ESP8266 (modlwip): one entry, canonname "". ESP32 (lwip_getaddrinfo): canonname = host.
    # Both block until the answer, as on the chip. Failure: OSError(-2) / OSError(202).
    if _lwip:
        try:
            a = _s.getaddrinfo(host, port, _s.AF_INET)[0][-1]
        except OSError:
            raise OSError(-2)
        return [(2, 1, 0, "", _peer(a))]
    ip = _resolve(host)
    return [(2, 1, 0, host, (ip, port))]


def _activate(owner):
    # ESP8266: owner's connection is in tcp_active_pcbs (connecting, connected or closing).
    if _max_pcb:
        _pcbs.append(owner)


def _reap():
    # lwIP frees a pcb the moment a RST arrives (tcp_input -> the error callback), while this
    # emulation learns of it when a socket is next looked at: look at them all now.
    if len(_pcbs) >= _max_pcb:
        for p in _pcbs[:]:
            p._sync()


def _room():
    # ESP8266: may a SYN be answered (fewer than MEMP_NUM_TCP_PCB active connections)?
    _reap()
    return len(_pcbs) < _max_pcb


def _drop_pcb(owner):
    if owner in _pcbs:
        _pcbs.remove(owner)


def _reset(r):
    # True when a real socket's connection was reset (POLLERR or POLLHUP; a FIN alone is neither).
    p = _sel.poll()
    p.register(r, _RD)
    for _, ev in p.ipoll(0):
        return bool(ev & (_ER | _HUP))
    return False


class socket(io.IOBase):
    # One chip socket over one real non-blocking unix socket. _tmo: -1 blocking, 0 non-blocking,
    # else a timeout in ms (the chip's settimeout); blocking calls wait on the real socket.
    def __init__(self, af=2, type=1, proto=0, _real=None):
        if af != 2:
            raise OSError(_lx.get(_le.EAFNOSUPPORT, 97) if hasattr(_le, "EAFNOSUPPORT") else 97)
        if type != 1 and type != 2 and type != 3:  # SOCK_RAW: modlwip's raw pcbs, ESP32's lwIP sockets
            raise OSError(E_INVAL)
        if _max_sock and _nsock[0] >= _max_sock:
            raise OSError(E_NFILE)  # ESP32 lwip_socket: alloc_socket failed
        self._ty = type
        self._st = _NEW if type == 1 else _UDP  # a raw socket takes datagrams as UDP does
        self._t = ticks_ms()
        self._err = 0
        self._q = []  # UDP: queued (data, addr); ESP8266 listener: connections accepted by lwIP
        self._tmo = -1  # sockets start blocking on both chips
        self._pend = b""  # ESP8266: data written while connecting
        self._r = _real if _real is not None else _s.socket(_s.AF_INET, type, proto)
        self._r.setblocking(False)
        self._p = _sel.poll()
        self._p.register(self._r, _RD | _WR | _RDHUP)
        _nsock[0] += 1

    def __repr__(self):
        return "<socket state=%d timeout=%d>" % (self._st, self._tmo)

    # --- state -------------------------------------------------------------------------------
    def _kernel(self):
        for _, ev in self._p.ipoll(0):
            return ev
        return 0

    def _sync(self):
        # Bring the emulated state up to date with the real socket (what lwIP's callbacks do on
        # the chip in the background); returns the real socket's poll events.
        st = self._st
        if st >= _FAILED:
            return 0
        ev = self._kernel()
        if st == _UDP:
            if ev & _RD:
                self._drain()
        elif st == _CONNECTING:
            if ev & (_ER | _HUP):
                self._fail(self._pending_error())
            elif ev & _WR:
                self._st = _CONNECTED
                self._t = ticks_ms()
                if self._pend:
                    try:
                        self._r.send(self._pend)  # loopback takes 2920 bytes at once
                    except OSError as e:
                        self._fail(_chip_errno(e))
                    self._pend = b""
        elif st == _CONNECTED or st == _PEER_CLOSED:
            if ev & _ER:
                self._fail(self._pending_error())
            elif ev & _RDHUP:
                self._st = _PEER_CLOSED
        elif st == _LISTEN and _lwip and ev & _RD:
            self._lwip_accept()
        return ev

    def _pending_error(self):
        try:
            self._r.recv(1, _MSG_PEEK)
        except OSError as e:
            return _chip_errno(e)
        return E_RESET

    def _fail(self, err):
        # lwIP's error callback: the pcb is gone (ESP8266 frees it), the error waits for the
        # next call. ESP8266's modlwip frees queued data too.
        self._st = _FAILED
        self._err = err
        _drop_pcb(self)

    def _block(self, mask, ms):
        # Sleep on the real socket until it may be ready for mask (RD and/or WR), or ms pass.
        p = self._p
        p.modify(self._r, (mask & (_RD | _WR)) | _RDHUP)
        for _ in p.ipoll(ms):
            break
        p.modify(self._r, _RD | _WR | _RDHUP)

    def _raise_failed(self, reading=False):
        e = self._err
        if _lwip:
            # Reported once, then EBADF (lwip_socket_check_connected); a reset reported by recv
            # reads as EOF from then on (lwip_tcp_receive: STATE_PEER_RST_HANDLED).
            self._st = _RST_HANDLED if reading and e == E_RESET else _BADF
        raise OSError(e)

    def _check(self, reading=False):
        st = self._st
        if st == _FAILED:
            self._raise_failed(reading)
        if st == _BADF or st == _RST_HANDLED:
            raise OSError(E_BADF)

    def _wait(self, mask):
        # Block as the chip does for a blocking socket (or until its timeout: ETIMEDOUT).
        t0 = ticks_ms()
        while not self._poll_mask(mask):
            if self._tmo >= 0 and ticks_diff(ticks_ms(), t0) >= self._tmo:
                raise OSError(E_TIMEDOUT if self._tmo else E_AGAIN)
            if self._r is None:
                return
            wait = 50 if self._tmo < 0 else max(1, min(50, self._tmo - ticks_diff(ticks_ms(), t0)))
            self._block(mask, wait)

    # --- poll ---------------------------------------------------------------------------------
    def ioctl(self, req, arg):
        if req == _POLL:
            return self._poll_mask(arg)
        if req == _CLOSE:
            self.close()
            return 0
        # MP_STREAM_GET_FILENO and the rest: no file descriptor, so select polls us by ioctl,
        # as it polls lwIP sockets on the boards.
        return -_le.EINVAL

    def _poll_mask(self, arg):
        st = self._st
        if st == _BADF:
            return _NVAL
        ev = self._sync()
        st = self._st
        if _lwip:
            # modlwip lwip_socket_ioctl
            r = 0
            if arg & _RD:
                if st == _LISTEN or st == _UDP:
                    if self._q:
                        r |= _RD
                elif ev & _RD and (st == _CONNECTED or st == _PEER_CLOSED):
                    r |= _RD
            if arg & _WR:
                if st == _UDP or st == _NEW or st == _CONNECTING:
                    r |= _WR  # a pcb with send buffer: writable even before it connects
                elif st == _CONNECTED and ev & _WR:
                    r |= _WR
            if st == _NEW:
                r |= _HUP
            elif st == _PEER_CLOSED:
                r |= arg & (_RD | _WR)
            elif st == _FAILED:
                if self._err == E_RESET:  # ERR_RST: readable (recv says it), and ERR, HUP
                    r |= (arg & (_RD | _WR)) | _ER | _HUP
                else:
                    r |= _ER
            elif st == _RST_HANDLED:
                r |= (arg & _RD) | _HUP
            return r
        # ESP32 socket_stream_ioctl: select() on the lwIP socket, HUP only through exceptfds
        if st == _UDP:
            r = arg & _WR
            if self._q:
                r |= arg & _RD
        elif st == _FAILED:
            r = arg & (_RD | _WR | _HUP)
        else:
            r = ev & arg & (_RD | _WR)
            if st == _NEW:
                r |= (arg & _WR) | _HUP
        return r

    # --- set-up -------------------------------------------------------------------------------
    def bind(self, addr):
        self._check()
        try:
            self._r.bind(_addr(addr, not _lwip, self._ty))
        except OSError as e:
            raise OSError(_chip_errno(e))

    def listen(self, backlog=2):
        self._check()
        if self._ty != 1:
            raise OSError(E_OPNOTSUPP)
        try:
            self._r.listen(backlog if backlog > 0 else 0)
        except OSError as e:
            raise OSError(_chip_errno(e))
        self._st = _LISTEN
        _drop_pcb(self)  # (a listening pcb is not an active connection)

    def _lwip_accept(self):
        # ESP8266: lwIP accepts in the background, a pcb per connection; modlwip queues them
        # until accept(). With 5 connections active the connection waits in the backlog (the
        # chip drops the SYN and the peer sends it again).
        while self._kernel() & _RD:
            if not _room():
                return
            try:
                r, a = self._r.accept()
            except OSError:
                return
            if _reset(r):
                # Reset while in the backlog: lwIP freed its pcb and modlwip dropped it from
                # the queue (_lwip_tcp_err_unaccepted); the chip handles each RST as it comes,
                # so such a connection never holds a pcb nor reaches accept().
                r.close()
                continue
            w = socket(2, 1, 0, r)
            w._st = _CONNECTED
            _activate(w)
            self._q.append((w, _peer(a)))

    def accept(self):
        self._check()
        if self._st != _LISTEN:
            raise OSError(E_INVAL)
        while True:
            if _lwip:
                self._sync()
                if self._q:
                    w, a = self._q.pop(0)
                    w._tmo = self._tmo  # modlwip: socket2->timeout = socket->timeout
                    return w, a
            else:
                try:
                    r, a = self._r.accept()
                except OSError as e:
                    if e.errno != _le.EAGAIN:
                        raise OSError(_chip_errno(e))
                    r = None
                if r is not None:
                    if _max_sock and _nsock[0] >= _max_sock:
                        r.close()  # lwip_accept: alloc_socket failed, netconn deleted
                        raise OSError(E_NFILE)
                    w = socket(2, 1, 0, r)
                    w._st = _CONNECTED
                    return w, _peer(a)  # blocking, whatever the listener is (modsocket.c)
            if self._tmo == 0:
                raise OSError(E_AGAIN)
            self._wait(_RD)

    def connect(self, addr):
        # A second connect() answers from the stack's state, as each firmware's connect does:
        # ESP8266 (modlwip lwip_socket_connect): no pcb (failed or closed) -> EBADF, before the
        #   address is even parsed; CONNECTED -> EISCONN; any other state (CONNECTING, and
        #   PEER_CLOSED too) -> EALREADY. The pending error stays for the next recv/send.
        # ESP32 (lwIP 2.1 lwip_netconn_do_connect): no pcb (failed) -> ERR_CLSD = ENOTCONN, the
        #   pending error stays; connecting -> EALREADY; a pcb past CLOSED -> ERR_ISCONN.
        self._sync()  # what lwIP's callbacks would have done by now
        st = self._st
        if _lwip and st in (_FAILED, _BADF):
            raise OSError(E_BADF)
        if st == _FAILED and self._ty == 1:
            raise OSError(E_NOTCONN)
        self._check()
        raw = _addr(addr, not _lwip, self._ty)
        if self._ty != 1:
            try:
                self._r.connect(raw)
            except OSError as e:
                raise OSError(_chip_errno(e))
            return
        st = self._st
        if st != _NEW:
            if _lwip:
                raise OSError(E_ISCONN if st == _CONNECTED else E_ALREADY)
            raise OSError(E_ALREADY if st == _CONNECTING else E_ISCONN)
        self._st = _CONNECTING
        self._t = ticks_ms()
        _activate(self)  # tcp_connect: the pcb is active from its SYN on
        try:
            self._r.connect(raw)
            self._st = _CONNECTED
        except OSError as e:
            if e.errno != _le.EINPROGRESS:
                self._fail(_chip_errno(e))
                self._raise_failed()
        if self._st == _CONNECTING:
            if self._tmo == 0:
                raise OSError(E_INPROGRESS)
            t0 = ticks_ms()
            while self._st == _CONNECTING:
                if self._tmo > 0 and ticks_diff(ticks_ms(), t0) >= self._tmo:
                    raise OSError(E_INPROGRESS)  # modlwip: still connecting after the timeout
                self._block(_WR, 50)
                self._sync()
            if self._st == _FAILED:
                self._raise_failed()

    def setsockopt(self, level, opt, value):
        # The firmware ignores the level and switches on the option number alone.
        if opt not in _known:
            print(_warning)
            if _strict:
                print("NET_STRICT: setsockopt(%r, %r) is not implemented on %s" % (level, opt, chip))
                sys.exit(3)
            return
        lo = _opts.get(opt)
        if lo is None or self._r is None:
            return  # known but nothing to do on the host (e.g. SO_BINDTODEVICE, callbacks)
        if lo[0] == 0 and lo[1] in (35, 36):  # IP_ADD/DROP_MEMBERSHIP: exactly 8 bytes
            if len(value) != 8:
                raise ValueError()
        try:
            self._r.setsockopt(lo[0], lo[1], value)
        except OSError as e:
            raise OSError(_chip_errno(e))

    def setblocking(self, flag):
        self._tmo = -1 if flag else 0

    def settimeout(self, t):
        self._tmo = -1 if t is None else int(t * 1000)

    def makefile(self, *args):
        return self

    def fileno(self):
        # ESP32 only (configure() removes it for ESP8266, whose modlwip socket has none).
        return -1 if self._r is None else self._r.fileno()

    # --- data ---------------------------------------------------------------------------------
    def _drain(self):
        # What lwIP's udp recv callback does as datagrams arrive: queue a few, drop the rest.
        r = self._r
        q = self._q
        while True:
            try:
                d, a = r.recvfrom(_UDP_MAX + 1)
            except OSError:
                return
            if len(q) < _udp_q and len(d) <= _UDP_MAX:
                q.append((d, _peer(a)))

    def _udp_recv(self, n):
        # Both firmwares allocate the whole n first, data or not (vstr_init_len in
        # extmod/modlwip.c lwip_socket_recv_common, ports/esp32/modsocket.c _socket_recvfrom):
        # a size the heap cannot hold raises MemoryError there, and so here.
        bytearray(n)
        self._check()
        while True:
            self._sync()
            if self._q:
                d, a = self._q.pop(0)
                return (d[:n] if len(d) > n else d), a
            if self._tmo == 0:
                raise OSError(E_AGAIN)
            self._wait(_RD)

    def recvfrom(self, n):
        if self._ty != 1:
            return self._udp_recv(n)
        d = self.recv(n)
        return d, ("0.0.0.0", 0)

    def recv(self, n):
        if self._ty != 1:
            return self._udp_recv(n)[0]
        return self._tcp_read(n, None)

    def _tcp_read(self, n, buf):
        # recv(n) when buf is None (the bytes), else readinto(buf, n) (the count): the chip reads
        # into the caller's buffer and allocates nothing, so neither does the readinto here.
        while True:
            self._sync()
            if self._st == _RST_HANDLED:
                return b""
            self._check(True)
            st = self._st
            if st == _NEW or st == _LISTEN or st == _CONNECTING:
                if not _lwip and st != _CONNECTING:
                    raise OSError(E_NOTCONN)  # modsocket: "A new socket cannot be read from"
                if self._tmo == 0:
                    raise OSError(E_AGAIN)
                if st != _CONNECTING:
                    raise OSError(E_NOTCONN)
                self._wait(_RD | _WR)
                continue
            m = n if not _rd_cap or n < _rd_cap else _rd_cap
            try:
                if buf is None:
                    d = self._r.recv(m)
                    k = len(d)
                else:
                    k = self._r.readinto(buf, m)
                    if k is None:  # a non-blocking stream's EAGAIN
                        raise OSError(_le.EAGAIN)
            except OSError as e:
                if e.errno == _le.EAGAIN:
                    if self._tmo == 0:
                        raise OSError(E_AGAIN)
                    self._wait(_RD)
                    continue
                self._fail(_chip_errno(e))
                continue
            if k:
                self._t = ticks_ms()
            else:
                self._st = _PEER_CLOSED
            return d if buf is None else k

    def send(self, data):
        if self._ty != 1:
            self._check()
            try:
                return self._r.send(data)
            except OSError as e:
                raise OSError(_chip_errno(e))
        while True:
            self._sync()
            self._check()
            st = self._st
            if st == _NEW or st == _LISTEN:
                raise OSError(E_NOTCONN)
            n = len(data)
            if st == _CONNECTING:
                if _lwip:
                    # tcp_write queues data on a pcb in SYN_SENT; it leaves with the handshake
                    room = _wr_cap - len(self._pend)
                    if room > 0:
                        k = n if n < room else room
                        self._pend += bytes(memoryview(data)[:k])
                        return k
                if self._tmo == 0:
                    raise OSError(E_AGAIN)
                self._wait(_WR)
                continue
            try:
                sent = self._r.send(memoryview(data)[:_wr_cap] if n > _wr_cap else data)
            except OSError as e:
                if e.errno == _le.EAGAIN:
                    if self._tmo == 0:
                        raise OSError(E_AGAIN)
                    self._wait(_WR)
                    continue
                self._fail(_chip_errno(e))
                continue
            self._t = ticks_ms()
            return sent

    def sendall(self, data):
        m = memoryview(data)
        while m:
            n = self.send(m)
            m = m[n:]

    def sendto(self, data, addr):
        self._check()
        raw = _addr(addr, False, self._ty)  # netutils on both chips: numeric only
        try:
            return self._r.sendto(data, raw)
        except OSError as e:
            raise OSError(_chip_errno(e))

    def write(self, data):
        try:
            return self.send(data)
        except OSError as e:
            if e.args[0] == E_AGAIN:
                return None
            raise

    def readinto(self, buf, n=-1):
        if n < 0 or n > len(buf):
            n = len(buf)
        try:
            if self._ty == 1:
                return self._tcp_read(n, buf)
            d = self.recv(n)
        except OSError as e:
            if e.args[0] == E_AGAIN:
                return None
            raise
        buf[: len(d)] = d
        return len(d)

    def read(self, n=-1):
        try:
            return self.recv(n if n > 0 else 4096)
        except OSError as e:
            if e.args[0] == E_AGAIN:
                return None
            raise

    def close(self):
        if self._st == _BADF and self._r is None:
            return
        _drop_pcb(self)
        if self._r is not None:
            self._p.unregister(self._r)
            self._r.close()
            self._r = None
            _nsock[0] -= 1
        for w, _ in self._q if self._st == _LISTEN else ():
            w.close()
        self._q = []
        self._st = _BADF
