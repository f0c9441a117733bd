# net/_sock.py - net.socket: one TCP connection (client or accepted), its send queue, its events.
# MIT licence, see LICENSE.
#
# RAM first (an idle accepted connection is what a server holds most of):
# - an instance only stores what differs from the class (most names have a class default). An
#   idle accepted socket stores four attributes (_sock, _peer, _last_io_ms,
#   _handlers): MicroPython's instance map holds four in 4 slots, a fifth would grow it
#   to 6 (py/map.c: 16 bytes more on a 32-bit board);
# - the server a connection belongs to is not an attribute: it rides in the handler list, one
#   slot after the events (index _SERVER_SLOT). Handler lists are copy-on-write and shared between the
#   connections of a server (net/_emit.py), so that slot costs nothing per connection;
# - the peer address is kept in _rt.compact_peer's form (a small int on a 64-bit port, else a
#   tuple of two small ints: one 16-byte block) and decoded only when asked (getpeer);
# - no buffer while idle: data is sent straight from the caller's object; only what the stack
#   did not take is queued, as memoryview slices of it (no copy).
# Hot paths: a receive allocates the received bytes and nothing else; an idle turn nothing.
# What only error paths and rare calls use is read as _rt.NAME: a module-level name costs a
# slot in this module's table (docs/design.md, "Memory").
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

    # Tunables, microdot style: set them on the class (net.socket-wide) or on one socket.
    # highWaterMark: send() returns False once this many bytes wait in the queue (the data is
    # still queued; wait for `drain` before sending more). recvSize: the most one `receive`
    # event carries (one TCP segment on lwIP is 1460 bytes).
    highWaterMark = 4096
    recvSize = 1460
    # maxQueue: the hard cap on what a peer that does not read can make us hold. Once send()
    # has returned False, at most maxQueue more bytes may be queued until `drain`; the send()
    # that would go beyond ends the connection: the queue is dropped (its `sent` callbacks never
    # run) and `disconnection(s, errno.ENOBUFS)` (or `reconnection`) fires on the next turn.
    # A connection thus holds at most highWaterMark + one send + maxQueue bytes of queue.
    maxQueue = 16384
    # totalHighWaterMark: send() also returns False while all connections together have this
    # many bytes queued, so that a few peers that read slowly, or never, cannot fill a board's
    # heap (each may hold highWaterMark): an eighth of the heap (1 MB where it cannot be read).
    totalHighWaterMark = _rt.HEAP_SIZE // 8 if _rt.HEAP_SIZE else 1 << 20

    _sock = None  # the stack's socket while open (for TLS: the wrapped one)
    _state = 0  # _ST_CONNECTING | _ST_CLOSING | ...
    _queue = None  # queued sends: [buf, callback, buf, callback, ...] (buf a memoryview)
    _queued = 0  # bytes in _queue
    # No class default (every name costs a slot in this class's table, and a full table makes
    # every lookup that misses it, as Socket() does for __new__ and __init__, probe all of it:
    # a 37-slot table holds at most 34 names, docs/design.md "Memory"):
    #   _peer  the peer's address in _rt.compact_peer's form (getpeer() reads it with getattr)
    #   _last_io_ms  ticks_ms() of the last byte received or sent (set at accept; the idle sweep reads it)
    #   _queue_limit  set with _ST_DRAIN_DUE and read only under it: the queue size a send() may not exceed
    #   _local, _ttl  a client's (net/_client.py), read here with getattr
    #   _direct  False on TLS sockets (net/_tls.py): send() never hands data straight to the
    #   socket; read with getattr (default True) on send()'s slow path only

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
        # Once per message: the common case (readable) reads right here, in a frame small
        # enough for MicroPython's C stack (net/_rt.py): one call less per message than going
        # through _read. The rest goes to _io2. A socket still connecting has a _Connecting
        # as its owner in the loop, so no attribute is read to ask. TLSSocket has its own _io.
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
                # An exact-size copy of what was read, the one allocation per message. The
                # common case inline: the same length as the last message, whose view of
                # the buffer is kept (no slice per message). A bare except: a typed one
                # would move this frame to the heap. What it can catch here is a
                # MemoryError (a Ctrl-C landing just here would be lost: the data then goes
                # out in pieces, and the next Ctrl-C stops the program).
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
        # Read what is there and hand it to `receive` (_io2; TLSSocket has its own _read): the
        # count read, else None. What the receive handler raises goes up to the loop, which
        # hands it to this socket's _fault, as for any handler (error event, or print and close).
        return Socket._io(self, _POLLIN)

    def _tx_failed(self, err):
        # A send failed with err: the end, with the reason the read side gives where the send
        # could not (modlwip says EIO for a send on a pcb that a reset has just freed, and its
        # recv then ECONNRESET, once what arrived before it is read: docs/lwip.md).
        if err == _rt.EIO and not self._state & _ST_CONNECTING:
            while self._sock is not None and self._read():
                pass
        if self._sock is not None or self._state & _ST_CONNECTING:
            self._end(err)

    def _pieces(self, k):
        # No room in the heap for k bytes at once (a small, fragmented heap): hand them over in
        # small pieces rather than lose the connection. Should a small piece fail too, the
        # MemoryError goes to the loop, which closes this connection only.
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
        while q:
            buf = q[0]
            n = send_some(s, buf)
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
        # Queue data (bytes, bytearray, memoryview or str, any length). True while the queue
        # is under highWaterMark, False above (then wait for `drain`). `sent` fires, and
        # callback(sock) runs, once this data has been handed to the network stack. Do not
        # change a bytearray after sending it until its callback ran: it is sent from in place.
        # The common case first, in a frame small enough for MicroPython's C stack (this runs
        # once per message, see net/_rt.py): bytes, no callback, connected, nothing queued,
        # nothing special in _state; the stack takes it all; nothing is allocated. (TLS sockets
        # have their own send: net/_tls.py.)
        if data.__class__ is _bytes and callback is None and not self._state and data:
            s = self._sock
            if s is not None:
                # (callback, None here, holds the count: a local more would not fit.) What
                # send() raises is taken as send_some takes it (tx_caught: 0 for EAGAIN, -errno),
                # in a bare except: a typed one would move this frame to the heap.
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
        if self._queue is None and not self._state & _ST_CONNECTING and getattr(self, "_direct", True):
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
        # Back to the class defaults, storing only what differs: a store of a default would
        # grow the instance's attribute table at the end of its life (net/_sock.py, RAM).
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
                # Out of the server's list (accepted sockets end once), after the events: the
                # server's `close` comes after its last disconnection.
                srv = h[_SERVER_SLOT]
                srv._conns.remove(self)
                if not srv._conns:
                    srv._emptied()

    def __repr__(self):
        p = self.getpeer()
        return "<net.socket %s:%s>" % (p[1], p[0]) if p[0] else "<net.socket>"


# The receive buffer, one for every socket: a read fills it and the `receive` handler gets an
# exact-size bytes copy, the one allocation per message. recv(n) would allocate n bytes per read
# (and need a free block that large in a full, fragmented heap) only to shrink or free it again.
# _rxbuf: [buffer, memoryview of its first _rxbuf[2] bytes, that length, the buffer's length]. Made
# when the first connection is accepted or connected (_rxbuf_grow): a server that only listens
# holds none.
_rxbuf = [None, None, 0, 0]

# Bytes queued by every socket together (the sum of their _queued), against totalHighWaterMark.
_total_queued = [0]

# Builtins used once per message, as module globals: MicroPython looks a builtin up in this
# module's globals first and then in a table it searches linearly, so `len(x)` costs about four
# times `_len(x)` and `type(x) is bytes` seven times `x.__class__ is _bytes` (valgrind: 1081 and
# 2015 instructions against 282 and 292, unix port 1.28; tools/bench/notes.md).
_len = len
_bytes = bytes


def _rxbuf_copy(k, n):
    # Socket._io's copy of the buffer's first k bytes when k is not the last message's length:
    # bytes, or None when the heap has no room for them. A full buffer needs no slice, and a
    # new length gets a view that is kept for the messages after it. A full buffer read for a
    # socket whose recvSize n is larger grows the buffer, from the next read on (if the heap
    # lets it: else the next full read tries again).
    try:
        if k != _rxbuf[3]:
            _rxbuf[1] = memoryview(_rxbuf[0])[:k]
            _rxbuf[2] = k
            return _bytes(_rxbuf[1])
        k = _bytes(_rxbuf[0])
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
