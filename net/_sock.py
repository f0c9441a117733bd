# net/_sock.py - net.socket: one TCP connection (client or accepted), its send queue, its events.
# MIT licence, see LICENSE.
#
# An idle connection is what a server holds most of: docs/design.md, "What a connection
# stores", says why it keeps four attributes and no buffer; "The shared receive buffer" how it reads.
from . import _rt
from ._rt import const, ticks_ms, recv_into, send_some, tx_caught

from ._loop import loop
from ._emit import Emitter, slots

# poll event bits as const(): the same on every port (net/_rt.py checks them at import).
_POLLIN = const(1)
_POLLOUT = const(4)
_POLLERR = const(8)
_POLLHUP = const(16)

# Event indexes in Socket._EVENTS.
_EV_ERROR = const(0)
_EV_CONNECTION = const(1)
_EV_RECONNECTION = const(2)
_EV_DISCONNECTION = const(3)
_EV_RECEIVE = const(4)
_EV_SENT = const(5)
_EV_DNS = const(6)
_EV_DRAIN = const(7)
_SERVER_SLOT = const(8)  # accepted sockets: the server sits at this index of the handler list
_SMALL_RECV_BYTES = const(16)  # the smallest piece a receive is handed in when the heap is short

# _state bits: a socket that never used any of them does not store _state at all.
_ST_CONNECTING = const(1)  # connect() in progress: DNS query or TCP handshake
_ST_CLOSING = const(2)  # close() called: flushing the queue, then closing
_ST_HELD = const(4)  # hold(): not reading
_ST_DRAIN_DUE = const(8)  # send() returned False: `drain` when the queue empties
_ST_RESOLVING = const(16)  # waiting for net.dns
_ST_QUEUED = const(32)  # _queue holds data: kept in _state so that send() reads one attribute, not two
_ST_FAILED = const(64)  # the stack refused a send: the end is due (_fail_later); send() says False
_ST_TLS = const(128)  # a client's TLS layer (its _tls, net/_tls.py) carries the data, from the handshake on


def _sent_soon(sock):
    # send()'s `sent` event, on the next turn (outside send(): its frame has no room to spare).
    loop.soon(_after_send, sock, None)


def _after_send(sock, cb):
    # Called on a later turn (loop.soon) for data the stack took at once in send().
    if sock._sock is not None:
        sock._emit_cb(_EV_SENT, cb)


class Socket(Emitter):
    _EVENTS = ("error", "connection", "reconnection", "disconnection", "receive", "sent", "dns", "drain")
    _EVI = slots(_EVENTS)

    # Public tunables, on the class or on one socket (docs/tcp.md, "Sockets").
    highWaterMark = 4096  # send() says False once this many bytes are queued
    recvSize = 1460  # the most one `receive` carries: one lwIP segment
    maxQueue = 16384  # after a False, a send() that would queue more ends the connection
    # send() also says False while all connections together queue this much: an eighth of the heap.
    totalHighWaterMark = _rt.HEAP_SIZE // 8 if _rt.HEAP_SIZE else 1 << 20

    _sock = None  # the stack's socket while open (for TLS: the wrapped one)
    _state = 0  # _ST_CONNECTING | _ST_CLOSING | ...
    _queue = None  # queued sends: [buf, callback, buf, callback, ...] (buf a memoryview)
    _queued = 0  # bytes in _queue
    # Set without a class default, to keep this class's table below full: _peer, _last_io_ms,
    # _queue_limit, _local, _ttl (docs/design.md, "What a connection stores").

    # --- state -----------------------------------------------------------------------------
    def _open(self):
        # The stack's socket of a socket that may be used (connected or connecting).
        s = self._sock
        if s is None or self._state & _ST_CLOSING:
            raise OSError(_rt.ENOTCONN, "socket is not connected")
        return s

    def connect(self, port, host="127.0.0.1"):
        # Only a client connects (net/_client.py); this is an accepted socket.
        raise OSError(_rt.EISCONN, "an accepted socket cannot connect")

    # --- I/O from the loop -----------------------------------------------------------------
    def _mask(self):
        s = self._sock
        if s is None:
            return
        m = 0 if self._state & _ST_HELD else _POLLIN
        if self._queue is not None:
            m |= _POLLOUT
        loop.modify(s, m)

    def _io(self, ev):
        # Once per message: readable is read right here, the rest goes to _io2. A connecting
        # client's events go to its _Connecting (net/_client.py), so nothing is asked here.
        if ev != _POLLIN:
            self._io2(ev)
            return
        k = recv_into(self._sock, _rxbuf[0], self.recvSize)
        if k is None:
            return  # nothing after all
        if k > 0:
            self._last_io_ms = ticks_ms()
            h = self._handlers
            if h is not None and h[_EV_RECEIVE] is not None:
                # The exact-size copy (docs/design.md, "The shared receive buffer"); ev holds
                # it and the bare except catches a MemoryError: a local more, or a typed except,
                # would move this frame to the heap (docs/design.md, "Frames on the C stack").
                if k == _rxbuf[2]:
                    try:
                        ev = _bytes(_rxbuf[1])
                    except:  # noqa: E722
                        ev = None
                else:
                    ev = _rxbuf_copy(k, self.recvSize)
                if ev is None:
                    self._pieces(k)  # no room for k bytes at once
                else:
                    h[_EV_RECEIVE](self, ev)
            return k
        # A failed read, or the peer closed its side: with nothing queued, the end now; else
        # send what is queued, then close cleanly.
        if k or self._queue is None:
            self._end(-k)
            return
        self._state |= _ST_CLOSING | _ST_HELD
        self._mask()

    def _io2(self, ev):
        st = self._state
        if st & _ST_CONNECTING:
            self._confirm(ev)
            return
        if ev & _POLLIN or (ev & (_POLLERR | _POLLHUP) and not st & _ST_HELD):
            # Read first even on HUP/ERR: what arrived before the close is delivered.
            self._read()
        elif ev & (_POLLERR | _POLLHUP):
            self._end(_why(self, _rt.ECONNRESET))
            return
        if ev & _POLLOUT and self._sock is not None:
            self._write()

    def _read(self):
        # Read and hand it to `receive`: the count read, else None. What the handler raises
        # goes up to the loop, which hands it to this socket's _fault.
        if self._state & _ST_TLS:
            return self._tls.read()
        return Socket._io(self, _POLLIN)


    def _tx_failed(self, err):
        # A send failed with err: the end. modlwip's EIO hides a reset that the reads after
        # it tell (docs/lwip.md).
        if err == _rt.EIO and not self._state & _ST_CONNECTING:
            while self._sock is not None and self._read():
                pass
        if self._sock is not None or self._state & _ST_CONNECTING:
            self._end(err)

    def _pieces(self, k):
        # No heap block for k bytes: hand them over in pieces rather than lose the connection;
        # if even the smallest fails, the loop closes this connection only.
        b = memoryview(_rxbuf[0])
        n = k >> 1 if k > _SMALL_RECV_BYTES << 1 else _SMALL_RECV_BYTES
        i = 0
        while i < k and self._sock is not None and not self._state & _ST_CLOSING:
            j = i + n if k - i > n else k
            try:
                d = bytes(b[i:j])
            except MemoryError:
                if n <= _SMALL_RECV_BYTES:
                    raise
                n >>= 1  # half as much: a fragmented heap may still have that
                continue
            self._emit1(_EV_RECEIVE, d)
            i = j

    def _write(self):
        q = self._queue
        s = self._sock
        tls = self._tls if self._state & _ST_TLS else None
        while q:
            buf = q[0]
            n = send_some(s, buf) if tls is None else tls.write(buf)
            if n <= 0:
                if n:
                    self._tx_failed(-n)
                return
            self._last_io_ms = ticks_ms()
            self._queued -= n
            _total_queued[0] -= n
            if n < len(buf):
                q[0] = buf[n:]
                return
            cb = q[1]
            del q[0:2]
            if cb is not None or self._handler(_EV_SENT) is not None:
                _after_send(self, cb)  # `sent`, then the callback (a call only when there is one)
            if self._sock is None or self._queue is not q:
                return  # closed by a handler
        self._queue = None
        self._queued = 0
        self._state &= ~_ST_QUEUED
        if self._state & _ST_CLOSING:
            self._end(0)
            return
        self._mask()
        if self._state & _ST_DRAIN_DUE:
            self._state &= ~_ST_DRAIN_DUE
            self._emit0(_EV_DRAIN)

    # --- user calls ------------------------------------------------------------------------
    def send(self, data, callback=None):
        # docs/API.md has the contract; a bytearray is sent from in place until its callback.
        # The common case first (bytes, no callback, no _state, the stack takes it all), in a
        # frame on the C stack (docs/design.md, "Frames on the C stack"); the rest in _send.
        if data.__class__ is _bytes and callback is None and not self._state and data:
            s = self._sock
            if s is not None:
                # callback (None here) holds the count, s the handlers below, and the except is
                # bare: the frame has no room for more (tx_caught: 0 for EAGAIN, else -errno).
                try:
                    callback = s.send(data) or 0
                except:  # noqa: E722
                    callback = tx_caught()
                if callback is None:
                    return self._send(data, None)  # a runtime that cannot name it (_rt.tx_caught)
                if callback == _len(data):
                    self._last_io_ms = ticks_ms()
                    s = self._handlers
                    if s is not None and s[_EV_SENT] is not None:
                        _sent_soon(self)
                    return True
                return self._rest(data, callback)
        return self._send(data, callback)

    def _rest(self, data, n):
        # send(): the stack took n bytes of data only (one argument less than _sent_part, for
        # send()'s frame).
        return self._sent_part(data, None, n)

    def _send(self, data, callback):
        t = type(data)
        if t is str:
            data = data.encode()
        elif t is not bytes and t is not bytearray and t is not memoryview:
            raise TypeError("data must be bytes, bytearray, memoryview or str, not %s" % t.__name__)
        if not len(data):
            raise ValueError("data must not be empty")
        if callback is not None and not callable(callback):
            raise TypeError("callback must be callable or None, not %s" % type(callback).__name__)
        if self._state & _ST_FAILED:
            return False  # the data is lost with the connection: `disconnection` says why
        if self._sock is None and not self._state & _ST_CONNECTING or self._state & _ST_CLOSING:
            raise OSError(_rt.ENOTCONN, "send: socket is not connected")
        if self._state & _ST_DRAIN_DUE and self._queued + len(data) > self._queue_limit:
            # Beyond maxQueue: drop the queue, stop all I/O now (so that nothing else ends the
            # connection first) and end it with ENOBUFS on the next turn.
            self._queue = None
            _total_queued[0] -= self._queued
            self._queued = 0
            self._state = (self._state | _ST_CLOSING | _ST_HELD) & ~_ST_QUEUED
            if self._sock is not None:
                loop.remove(self._sock)
            loop.soon(_fail_later, self, _rt.ENOBUFS)
            return False
        if self._queue is None and not self._state & (_ST_CONNECTING | _ST_TLS):
            # Nothing queued: the stack may take it all now, and then nothing is queued or
            # allocated (beyond the later `sent` notification, when someone listens for it).
            return self._sent_part(data, callback, send_some(self._sock, data))
        if type(data) is not memoryview:
            data = memoryview(data)
        return self._enqueue(data, callback)

    def _sent_part(self, data, callback, n):
        # send() with nothing queued: the stack took n bytes of data (send_some: -errno when
        # it failed); queue the rest.
        if n < 0:
            # The stack refused the data: the end, as an event on a later turn. Until then a
            # send says False rather than try the stack again (modlwip may block 10 s per try
            # on a full lwIP heap: docs/lwip.md), and close() leaves the end to that event.
            self._state |= _ST_FAILED
            loop.soon(_fail_later, self, -n)
            return True
        if n:
            self._last_io_ms = ticks_ms()
        if n == len(data):
            if callback is not None or self._handler(_EV_SENT) is not None:
                loop.soon(_after_send, self, callback)
            return True
        return self._enqueue(memoryview(data)[n:], callback)

    def _enqueue(self, data, callback):
        q = self._queue
        if q is None:
            self._queue = [data, callback]
            self._state |= _ST_QUEUED
            if not self._state & _ST_CONNECTING:
                self._mask()
        else:
            q.append(data)
            q.append(callback)
        self._queued += len(data)
        _total_queued[0] += len(data)
        if self._queued < self.highWaterMark and _total_queued[0] < self.totalHighWaterMark:
            return True
        if not self._state & _ST_DRAIN_DUE:
            self._state |= _ST_DRAIN_DUE
            self._queue_limit = self._queued + self.maxQueue
        return False

    def hold(self):
        # Stop reading: the peer's window fills up and it stops sending; nothing is lost.
        self._open()
        if not self._state & _ST_HELD:
            self._state |= _ST_HELD
            if not self._state & _ST_CONNECTING:
                self._mask()

    def unhold(self):
        self._open()
        if self._state & _ST_HELD:
            self._state &= ~_ST_HELD
            if not self._state & _ST_CONNECTING:
                self._mask()
                if self._state & _ST_TLS:
                    self._tls.unheld()  # what the TLS layer holds decrypted, poll cannot see

    def ttl(self, n=None):
        # ttl(n): set the IP TTL (1..255) and return it; ttl(): the current value. No port can
        # read a socket's TTL back (no getsockopt), so the value set is kept; before any,
        # the system default (_rtopt.get_ttl).
        from ._rtopt import get_ttl, set_ttl

        if n is None:
            t = getattr(self, "_ttl", None)
            return get_ttl(self._sock) if t is None else t
        if type(n) is not int:
            raise TypeError("ttl must be an int in 1..255, not %s" % type(n).__name__)
        if n < 1 or n > 255:
            raise ValueError("ttl must be in 1..255, got %d" % n)
        s = self._sock
        if s is not None:
            set_ttl(s, n)
        else:
            get_ttl(None)  # raises where the port cannot set a TTL; applied at connect
        self._ttl = n
        return n

    def getpeer(self):
        # (port, ip) of the other end; (None, None) before connecting and once the connection
        # has ended, in its `disconnection` handler too (NodeMCU's nil, nil; Node's undefined).
        a = getattr(self, "_peer", None)
        if a is None or self._sock is None:
            return (None, None)
        ip, port = _rt.peer(a)
        if not port:  # a unix-domain peer: no port, no ip
            return (None, None)
        return (port, ip)

    def getaddr(self):
        # (port, ip) of this end; (None, None) before connecting and once ended, as getpeer().
        if self._sock is None:
            return (None, None)
        la = getattr(self, "_local", None)
        if la is not None:
            if la[1] == "0.0.0.0":  # a client bound to every interface: which one it uses
                p = self.getpeer()[1]
                if p:
                    from ._if import local_ip

                    self._local = la = (la[0], local_ip(p))
            return la
        h = self._handlers
        srv = h[_SERVER_SLOT] if h is not None and _len(h) > _SERVER_SLOT else None  # an accepted one's server
        if srv is None or srv._port is None:
            return (None, None)
        ip = srv._ip
        if ip == "0.0.0.0":
            p = self.getpeer()[1]
            if p:
                from ._if import local_ip

                ip = local_ip(p)
        return (srv._port, ip)

    def dns(self, host, callback=None):
        # NodeMCU's socket:dns(): net/dns.py's _socket_dns says how.
        from . import dns

        dns._socket_dns(self, host, callback)

    def close(self):
        # Close; queued data is sent first unless the peer is gone. `disconnection` fires
        # (errno 0) when done. Closing a closed socket does nothing.
        st = self._state
        if st & (_ST_CLOSING | _ST_FAILED):
            return
        if self._sock is None:
            if st & _ST_CONNECTING:  # still resolving
                self._end(0)
            return
        if self._queue is not None and not st & _ST_CONNECTING:
            self._state = st | _ST_CLOSING | _ST_HELD
            self._mask()
            return
        self._end(0)

    # --- the end ---------------------------------------------------------------------------
    def _end(self, err):
        # Close now and tell the user once: `disconnection(s, err)` (or `reconnection(s, err)`
        # for a failure when one is registered).
        s = self._sock
        st = self._state
        if s is None and not st & _ST_CONNECTING:
            return
        if st & _ST_TLS:
            self._tls.close(not err and not st & _ST_CONNECTING)
        # Back to the class defaults, storing only what differs: a store of a default would grow
        # a dying instance's table (docs/design.md, "What a connection stores").
        self._sock = None
        if st:
            self._state = 0
            if st & _ST_QUEUED:
                self._queue = None
                _total_queued[0] -= self._queued
                self._queued = 0
        if s is not None:
            loop.drop(s)
        h = self._handlers
        if h is not None:  # (no call without a handler: this runs once per connection)
            if not (err and h[_EV_RECONNECTION] is not None and self._emit1(_EV_RECONNECTION, err)):
                if h[_EV_DISCONNECTION] is not None:
                    self._emit1(_EV_DISCONNECTION, err)
            h = self._handlers  # a handler may have changed the list
            if h is not None and _len(h) > _SERVER_SLOT:
                # Its server is told after the events: the server's `close` comes after its
                # last disconnection.
                h[_SERVER_SLOT]._ended(self)

    def __repr__(self):
        p = self.getpeer()
        kind = "net.socket tls" if getattr(self, "_tls", None) is not None else "net.socket"
        return "<%s %s:%s>" % (kind, p[1], p[0]) if p[0] else "<%s>" % kind


# The receive buffer every socket reads into (docs/design.md, "The shared receive buffer"):
# [buffer, view of its first _rxbuf[2] bytes, that length, the buffer's length].
_rxbuf = [None, None, 0, 0]

# Bytes queued by every socket together (the sum of their _queued), against totalHighWaterMark.
_total_queued = [0]

# Builtins used once per message, as module globals: found faster than builtins
# (docs/design.md, "Frames on the C stack").
_len = len
_bytes = bytes


def _rxbuf_copy(k, n):
    # Socket._io's copy of the buffer's first k bytes, a new length: bytes, or None without heap.
    # A full read for a socket whose recvSize n is larger grows the buffer for the next read.
    try:
        if k != _rxbuf[3]:
            _rxbuf[1] = memoryview(_rxbuf[0])[:k]
            _rxbuf[2] = k
            return _bytes(_rxbuf[1])
        k = _bytes(_rxbuf[0])  # (k, the copy now: a local more would move this frame to the heap)
        if n > _rxbuf[3]:
            _rxbuf_grow(n)
        return k
    except MemoryError:
        return k if k.__class__ is _bytes else None


def _rxbuf_grow(n):
    # The receive buffer made or grown to n bytes, or to as much of it as a fragmented heap has
    # in one block (not below 128 bytes, nor to less than it holds): a full read grows it later.
    while True:
        try:
            b = bytearray(n)
            break
        except MemoryError:
            n >>= 1
            if n < 128 or n <= _rxbuf[3]:
                raise
    _rxbuf[0] = b
    _rxbuf[1] = None
    _rxbuf[2] = 0
    _rxbuf[3] = n


def _why(sock, default):
    # The errno of a failed socket: no port has getsockopt(SO_ERROR), a recv tells it.
    try:
        sock._sock.recv(1)
    except OSError as e:
        n = _rt.errno_of(e)
        if n not in _rt.AGAIN:
            return n
    return default


def _fail_later(sock, err):
    if sock._sock is not None or sock._state & _ST_CONNECTING:
        sock._tx_failed(err)
