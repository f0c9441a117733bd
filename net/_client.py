# net/_client.py - the client's side of net.socket: connect by address or by name, and how a
# connect is confirmed on each port. MIT licence, see LICENSE.
#
# Loaded by net.createConnection() only: a server never holds this code in its heap. A Client is
# a Socket (net/_sock.py) that can connect; once connected it is served by the Socket's code.
from ._rt import (
    const,
    CONNECTING,
    EBADF,
    ECONNRESET,
    EHOSTUNREACH,
    EISCONN,
    ENOTCONN,
    EOPNOTSUPP,
    errno_of,
    check_port,
    is_ip,
    new_socket,
    sockaddr,
    bind_free,
    ticks_ms,
)
from ._loop import loop, Timer
from ._sock import Socket, _fail_later, _rxbuf, _rxbuf_grow, _why

_POLLIN = const(1)
_POLLOUT = const(4)

# Copies of net/_sock.py's event indexes and state bits (a private const is no module
# attribute on MicroPython); tests/test_firmware.py checks that they agree.
_EV_DNS = const(6)
_EV_CONNECTION = const(1)
_ST_CONNECTING = const(1)
_ST_CLOSING = const(2)
_ST_RESOLVING = const(16)
_ST_HELD = const(4)
_ST_TLS = const(128)
_EV_RECEIVE = const(4)
_TCP = const(1)
_UDP = const(2)
_RECHECK_MS = const(10)  # a port that polls a connecting socket writable: look again after this


class _Connecting:
    # The loop's owner of a client socket's connection until it is up (Client._confirm hands
    # the socket back to its Client with loop.own): Socket._io, which runs once per message,
    # then never has to ask whether the socket is still connecting. One per connect().
    def __init__(self, sock):
        self._client = sock

    def _io(self, ev):
        self._client._confirm(ev)

    def _fault(self, exc):
        self._client._fault(exc)


class Client(Socket):
    _host = None  # the name given to connect() (TLS checks it)
    _attempt = 0  # connect attempts, so that a late DNS answer for an old one is dropped
    _ttl = None  # the TTL set with ttl(n) (no port can read it back): applied at connect
    _tls = None  # the TLS layer (net/_tls.py) of createConnection(net.TCP, secure)
    # Seconds from the TCP connect to the end of the TLS handshake: a server that never
    # finishes it ends the connection with ETIMEDOUT.
    handshakeTimeout = 10

    def connect(self, port, host="127.0.0.1"):
        # Connect to host:port without blocking: `connection` fires when connected (or
        # `reconnection`/`disconnection` with the errno when not). Names go through net.dns.
        check_port(port, "port", False)
        if type(host) is not str or not host:
            raise TypeError("host must be a name or a dotted quad (str), not %r" % (host,))
        if self._sock is not None or self._state & _ST_CONNECTING:
            raise OSError(EISCONN, "socket is already connected or connecting")
        self._state = _ST_CONNECTING
        self._host = host
        self._attempt += 1
        if is_ip(host):
            self._start(host, port)
            return
        try:
            from . import dns
        except ImportError:
            self._state = 0
            raise OSError(EOPNOTSUPP, "connect: net.dns is not available to resolve %r; give a dotted quad" % host)
        self._state = _ST_CONNECTING | _ST_RESOLVING
        attempt = self._attempt
        sock = self
        # One closure per connect (not a hot path): it remembers which attempt asked, and the port.
        dns.resolve(host, lambda _, ip: sock._attempt == attempt and sock._dns_done(ip, port))

    def _dns_done(self, ip, port):
        if not self._state & _ST_RESOLVING:
            return  # closed meanwhile
        self._state &= ~_ST_RESOLVING
        self._emit1(_EV_DNS, ip)
        if not self._state & _ST_CONNECTING:
            return  # the dns handler closed the socket
        if ip is None:
            self._end(EHOSTUNREACH)
            return
        self._start(ip, port)

    def _start(self, ip, port):
        # Bind a port of our own first (so that getaddr() is true on every port), connect.
        try:
            s = new_socket()
            try:
                lip = "127.0.0.1" if ip.startswith("127.") else "0.0.0.0"
                lport = bind_free(s, lip)
                if self._ttl is not None:
                    from ._rtopt import set_ttl

                    set_ttl(s, self._ttl)
                a = sockaddr(ip, port)
                try:
                    s.connect(a)
                except OSError as e:
                    # No errno (0): modlwip's connect() polls the stack once, and when the peer
                    # has connected, sent and closed by then it raises an entry read from before
                    # its error table. The loop's look at the socket (_confirm) tells what it is.
                    n = errno_of(e)
                    if n > 0 and n not in CONNECTING:
                        raise
            except Exception:
                s.close()
                raise
        except OSError as e:
            # Failures after the call arrive as events, on a later turn.
            self._sock = None
            loop.soon(_fail_later, self, errno_of(e))
            return
        self._sock = s
        self._peer = a
        # An unbound address ("0.0.0.0") is named by getaddr(), when asked: finding it loads
        # net._if and the port's network module, heap a client that never asks need not pay.
        self._local = (lport, lip)
        # POLLIN too: modlwip reports a connected socket whose peer already closed as readable
        # (and its second connect() says EALREADY, see _confirm). Until the connection is up
        # the loop hands the socket's events to a _Connecting (see there).
        loop.add(s, _Connecting(self), _POLLIN | _POLLOUT)

    def _up(self):
        if self._tls is not None and not self._state & _ST_TLS:
            # TCP is up: the TLS handshake first; the TLS layer calls this again when it is over.
            self._state |= _ST_TLS
            self._tls.start()
            return
        if _rxbuf[0] is None:  # the first connection: the shared receive buffer (net/_sock.py)
            _rxbuf_grow(Socket.recvSize)
        self._state &= ~_ST_CONNECTING
        self._last_io_ms = ticks_ms()
        self._mask()
        self._emit0(_EV_CONNECTION)

    def _confirm(self, ev):
        # A poll answer means "look", never "connected": a second connect() tells, on each
        # port (None or EISCONN: up; EALREADY: still connecting; lwIP's ENOTCONN or EBADF: failed,
        # the reason kept for recv). docs/personalities.md has each port's answers.
        try:
            self._sock.connect(self._peer)
            n = 0
        except OSError as e:
            n = errno_of(e)
        if n == 0 or n == EISCONN:
            loop.own(self._sock, self)  # connected: from now on the socket's events are ours
            self._up()
        elif n in CONNECTING:
            if ev & _POLLIN:
                # modlwip: connected, and the peer's data or FIN came before this look; its
                # connect() says EALREADY for every state but CONNECTED.
                loop.own(self._sock, self)
                self._up()
            else:
                # Still connecting although the port said writable: look again shortly
                # instead of spinning on a socket that polls ready on every turn.
                loop.modify(self._sock, _POLLIN)
                Timer(_recheck, self).start(_RECHECK_MS)
        else:
            if n == ENOTCONN or n == EBADF:
                n = _why(self, ECONNRESET)
            self._end(n)


    # --- for a transport (the TLS layer, net/_tls.py) --------------------------------------
    def _reading(self):
        # Whether the transport may read on: connected, neither held nor closing.
        return self._sock is not None and not self._state & (_ST_CONNECTING | _ST_HELD | _ST_CLOSING)

    def _deliver(self, data):
        # What the transport read, to `receive`; b"" is the peer's close. -> whether to read on.
        if not data:
            # As Socket._io's end (not shared: a function more in _sock costs every server
            # 64 bytes, docs/design.md, "Memory"): send what is queued, then close cleanly.
            if self._queue is None:
                self._end(0)
            else:
                self._state |= _ST_CLOSING | _ST_HELD
                self._mask()
            return False
        self._last_io_ms = ticks_ms()
        self._emit1(_EV_RECEIVE, data)
        return self._reading()


def _recheck(sock):
    # Timer function (module level: no bound method): watch a connecting socket again.
    s = sock._sock
    if s is not None and sock._state & (_ST_CONNECTING | _ST_CLOSING) == _ST_CONNECTING:
        loop.modify(s, _POLLIN | _POLLOUT)


def createConnection(type=_TCP, secure=False):
    # A TCP client socket (net.TCP), or a UDP socket (net.UDP). secure: TLS over the port's
    # ssl module, where it has one.
    if type == _UDP and type is not True:
        from ._udp import createUDPSocket

        return createUDPSocket()
    if type != _TCP or type is True:
        raise ValueError("type must be net.TCP (1) or net.UDP (2), got %r" % (type,))
    c = Client()
    if secure:
        from ._tls import Tls  # loaded only by programs that ask for TLS

        c._tls = Tls(c, secure)
    return c
