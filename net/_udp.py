# net/_udp.py - UDP sockets: net.createUDPSocket() and the udpsocket class (loaded on first use).
# MIT licence, see LICENSE.
#
# Up to `rxburst` datagrams are read per turn, each straight to `receive`: no receive queue of
# net's own. A send the stack has no buffer for waits in a queue of at most `txqueue`
# (docs/udp.md, "Receiving" and "Sending").
from . import _rt, _rtopt
from ._rt import const
from ._loop import loop, Timer
from ._emit import Emitter, slots

_EV_ERROR = const(0)
_EV_RECEIVE = const(1)
_EV_SENT = const(2)
_EV_DNS = const(3)


def _sent(s, cb):
    # On the turn after a datagram went to the stack: `sent`, then send()'s own callback.
    s._emit_cb(_EV_SENT, cb)


_RX_RETRY_MS = const(100)  # after a receive found no heap: read again this much later


def _resume(s):
    # Timer function: read again after a receive that found no heap.
    if s._sock is not None:
        loop.modify(s._sock, _rt.POLLIN | _rt.POLLOUT if s._queue else _rt.POLLIN)


def _failed(s, exc):
    # A later failure (a send the stack refused, an address in use): the `error` event.
    s._error(exc)


class udpsocket(Emitter):
    _EVENTS = ("error", "receive", "sent", "dns")
    _EVI = slots(_EVENTS)

    # Public tunables, on the class or on one socket before use (docs/udp.md).
    # rxsize: the longest datagram received whole, allocated for a moment per datagram.
    rxsize = min(_rtopt.UDP_MAX, _rt.HEAP_SIZE // 8) if _rt.HEAP_SIZE else _rtopt.UDP_MAX
    rxburst = 8  # datagrams read per loop turn
    txqueue = 4  # datagrams kept while the stack has no buffer; send() raises beyond

    # Per-socket state, with class-level defaults: an instance stores only what it has set,
    # which keeps an idle socket's attribute table small (RAM).
    _port = None  # bound port; None until listen() or the first send()
    _ip = None
    _registered = False  # registered with the loop
    _starved = False  # in a run of receives that found no heap: reported once
    _queue = None  # [(data, sockaddr, cb), ...] waiting for POLLOUT
    _ttl = None  # the TTL set through ttl(n); no port can read one back
    _last_sender = None  # last sender's raw address, and its decoded port and ip
    _last_port = 0
    _last_ip = None
    _dest_port = 0  # last destination, and its address in the runtime's form
    _dest_ip = None
    _dest_addr = None

    def _emit3(self, i, a, b, c):
        # Emitter's _emit0.._emit2 with one argument more: `receive(s, data, port, ip)`.
        h = self._handlers
        if h is None or h[i] is None:
            return False
        try:
            h[i](self, a, b, c)
        except Exception as e:
            self._fault(e)
        return True

    def __init__(self):
        self._sock = _rt.new_socket(_rt.SOCK_DGRAM)

    def __repr__(self):
        return "<udpsocket %s:%s>" % (self._ip, self._port) if self._sock else "<udpsocket closed>"

    # --- binding -----------------------------------------------------------------------------
    def _check_open(self, what):
        if self._sock is None:
            raise OSError(_rt.EBADF, "%s: the udpsocket is closed" % what)

    def listen(self, port=0, ip="0.0.0.0"):
        # Bind to port on ip (port 0, None or omitted, as in listen(ip): a free port, read it
        # with getaddr()). Address in use arrives as the `error` event on the next turn, and
        # the socket stays unbound.
        if port is None:
            port = 0
        elif type(port) is str and _rt.is_ip(port) and ip == "0.0.0.0":
            port, ip = 0, port  # listen(ip): NodeMCU lets the port be omitted
        _rt.check_port(port)
        if ip is None:
            ip = "0.0.0.0"
        _rt.check_ip(ip)
        self._check_open("listen")
        if self._port is not None:
            raise OSError(_rt.EALREADY, "listen: already bound to %s:%d" % (self._ip, self._port))
        s = self._sock
        try:
            if port == 0:
                port = _rt.bind_free(s, ip, _rt.SOCK_DGRAM)
            else:
                s.bind(_rt.sockaddr(ip, port, _rt.SOCK_DGRAM))
        except OSError as e:
            loop.soon(_failed, self, e)
            return
        self._bound(port, ip)

    def _bound(self, port, ip):
        self._port = port
        self._ip = ip
        loop.add(self._sock, self, _rt.POLLIN)
        self._registered = True

    def getaddr(self):
        # (port, ip) this socket is bound to; (None, None) before it is bound and once closed
        # (NodeMCU's nil, nil).
        if self._port is None or self._sock is None:
            return (None, None)
        return (self._port, self._ip)

    # --- sending -----------------------------------------------------------------------------
    def send(self, port, ip, data, cb=None):
        # Send one datagram to ip:port; cb(s) runs on a later turn once the stack has it.
        _rt.check_port(port, zero=False)
        _rt.check_ip(ip)
        t = type(data)
        if t is str:
            data = data.encode()
        elif t is not bytes and t is not bytearray and t is not memoryview:
            raise TypeError("data must be bytes, bytearray, memoryview or str, not %s" % t.__name__)
        n = len(data)
        if n == 0:
            raise ValueError("data must not be empty (a UDP datagram of 0 bytes carries nothing)")
        if n > _rtopt.UDP_MAX:
            raise ValueError("data is %d bytes, over this port's datagram limit of %d" % (n, _rtopt.UDP_MAX))
        if cb is not None and not callable(cb):
            raise TypeError("callback must be callable or None, not %s" % type(cb).__name__)
        self._check_open("send")
        if self._port is None:
            # Bound to a port net chose (never port 0: no port can tell which one the stack
            # picked), so that getaddr() is true and replies reach this socket.
            self._bound(_rt.bind_free(self._sock, "0.0.0.0", _rt.SOCK_DGRAM), "0.0.0.0")
        if port != self._dest_port or ip != self._dest_ip:
            # The unix port builds raw sockaddr bytes through getaddrinfo: keep the last one.
            self._dest_addr = _rt.sockaddr(ip, port, _rt.SOCK_DGRAM)
            self._dest_port = port
            self._dest_ip = ip
        addr = self._dest_addr
        q = self._queue
        if q:  # datagrams are waiting: keep the order
            self._enqueue(data, addr, cb)
            return True
        try:
            self._sock.sendto(data, addr)
        except OSError as e:
            if _rt.errno_of(e) in _rtopt.TXAGAIN:
                self._enqueue(data, addr, cb)
                return True
            # A network failure (no route, unreachable): an event, as every later failure.
            loop.soon(_failed, self, e)
            return False
        if cb is not None or self._handler(_EV_SENT) is not None:
            loop.soon(_sent, self, cb)
        return True

    def _enqueue(self, data, addr, cb):
        q = self._queue
        if q is None:
            q = self._queue = []
        if len(q) >= self.txqueue:
            raise OSError(_rt.ENOBUFS, "send: %d datagrams already wait for the network stack" % len(q))
        if type(data) is not bytes:
            data = bytes(data)  # the caller may reuse its buffer once send() returns
        q.append((data, addr, cb))
        if len(q) == 1:
            loop.modify(self._sock, _rt.POLLIN | _rt.POLLOUT)

    def _flush(self):
        q = self._queue
        s = self._sock
        while q:
            data, addr, cb = q[0]
            try:
                s.sendto(data, addr)
            except OSError as e:
                if _rt.errno_of(e) in _rtopt.TXAGAIN:
                    return
                q.pop(0)
                self._error(e)
                if self._sock is not s:  # the error handler closed us
                    return
                continue
            q.pop(0)
            if cb is not None or self._handler(_EV_SENT) is not None:
                loop.soon(_sent, self, cb)
        loop.modify(s, _rt.POLLIN)

    # --- receiving ---------------------------------------------------------------------------
    def _io(self, ev):
        s = self._sock
        if ev & _rt.POLLOUT:
            self._flush()
        if not ev & (_rt.POLLIN | _rt.POLLERR):
            return
        n = self.rxburst
        size = self.rxsize
        while n and self._sock is s:
            n -= 1
            try:
                data, addr = s.recvfrom(size)
            except OSError as e:
                if _rt.errno_of(e) not in _rt.AGAIN:
                    # e.g. ECONNREFUSED from an ICMP port-unreachable on some stacks
                    self._error(e)
                return
            except MemoryError as e:
                self._starve(e)
                return
            if self._starved:
                self._starved = False
            if addr != self._last_sender:
                self._last_sender = addr
                self._last_ip, self._last_port = _rt.peer(addr)
            self._emit3(_EV_RECEIVE, data, self._last_port, self._last_ip)

    def _starve(self, exc):
        # No heap for rxsize bytes: the datagram waits in the stack. Say so once (the `error`
        # event), stop reading for _RX_RETRY_MS rather than fail again on every turn, then retry.
        if not self._starved:
            self._starved = True
            self._error(exc)
        if self._sock is not None:
            loop.modify(self._sock, _rt.POLLOUT if self._queue else 0)
            Timer(_resume, self).start(_RX_RETRY_MS)

    def _error(self, exc):
        # The `error` event; without a handler the failure is printed and the socket stays open
        # (a lost datagram is what UDP promises anyway).
        if not self._emit1(_EV_ERROR, exc):
            _rt.print_exception(exc)

    # --- the rest ----------------------------------------------------------------------------
    def ttl(self, n=None):
        # With n 1..255: set the IP TTL of unicast and multicast datagrams and return it;
        # without: the current value. Ports that cannot (ESP): OSError(EOPNOTSUPP).
        if n is None:
            self._check_open("ttl")
            if self._ttl is not None:
                return self._ttl
            return _rtopt.get_ttl(self._sock)
        if type(n) is not int:
            raise TypeError("ttl must be an int in 1..255, not %s" % type(n).__name__)
        if n < 1 or n > 255:
            raise ValueError("ttl must be in 1..255, got %d" % n)
        self._check_open("ttl")
        _rtopt.set_ttl(self._sock, n)
        _rtopt.set_mcast_ttl(self._sock, n)
        self._ttl = n
        return n

    def dns(self, host, cb=None):
        # As a TCP socket's: net/dns.py's _socket_dns.
        from . import dns  # loaded on first use, like the rest of net

        dns._socket_dns(self, host, cb)

    def close(self):
        # Close the socket: queued datagrams are dropped. Closing twice does nothing.
        s = self._sock
        if s is None:
            return
        self._sock = None
        self._queue = None
        if self._registered:
            loop.remove(s)
            self._registered = False
        s.close()


def createUDPSocket():
    return udpsocket()
