# net/_tls.py - net.socket over TLS: createConnection(net.TCP, secure), a TLS client.
# MIT licence, see LICENSE.
#
# Loaded only when a program asks for TLS. A TLS socket is a TCP client whose `connection`
# waits for the handshake, run step by step from the loop; a failed one ends as a refused
# connect does (docs/tcp.md, "TLS client").
from ._rt import (
    const,
    POLLIN,
    POLLOUT,
    POLLERR,
    POLLHUP,
    ECONNRESET,
    ETIMEDOUT,
    is_ip,
    ticks_ms,
)
from ._tlsrt import tls_context, tls_wrap, tls_watch, tls_step, tls_read, tls_write, tls_close, tls_errno
from ._loop import loop, Timer
from ._sock import Socket, _total_queued
from ._client import Client

# Copies of net/_sock.py's event indexes and state bits (tests/test_firmware.py checks them).
_EV_RECEIVE = const(4)
_EV_SENT = const(5)
_EV_DRAIN = const(7)
_ST_CONNECTING = const(1)
_ST_CLOSING = const(2)
_ST_HELD = const(4)
_ST_DRAIN_DUE = const(8)
_ST_QUEUED = const(32)

_TLS_RECORD_BYTES = const(16384)  # the most a TLS record carries: what the TLS layer may hold decrypted

_OPTIONS = ("cadata", "server_hostname")

# The context of secure=True (no certificate check), made on first use and shared.
_plain_ctx = []


def _plain():
    if not _plain_ctx:
        _plain_ctx.append(tls_context())
    return _plain_ctx[0]


def _context(secure):
    # secure -> (context, server_hostname or None); context None: secure=True's (made now, so
    # that a port without ssl raises at the call). Raises at the call for what is wrong.
    if secure is True or secure == 1 and type(secure) is int:
        _plain()
        return None, None
    if type(secure) is dict:
        for k in secure:
            if k not in _OPTIONS:
                raise ValueError("secure: unknown option %r; the options are %s" % (k, ", ".join(_OPTIONS)))
        name = secure.get("server_hostname")
        if name is not None and (type(name) is not str or not name):
            raise TypeError("secure: server_hostname must be a name (str), not %r" % (name,))
        cadata = secure.get("cadata")
        if cadata is None:
            _plain()
            return None, name
        if type(cadata) not in (str, bytes, bytearray):
            raise TypeError("secure: cadata must be str or bytes (PEM or DER), not %s" % type(cadata).__name__)
        return tls_context(cadata), name
    if hasattr(secure, "wrap_socket"):
        return secure, None  # the runtime's own SSLContext, set up by the caller: used as it is
    if type(secure) is int:
        raise ValueError("secure must be 0 or 1 (False or True), got %d" % secure)
    raise TypeError(
        "secure must be True/1, a dict with %s, or an ssl.SSLContext, not %s" % (" and/or ".join(_OPTIONS), type(secure).__name__)
    )


def _timeout(sock):
    # Timer function (module level: no bound method): the handshake took too long.
    if sock._tls_handle is not None and sock._state & _ST_CONNECTING:
        sock._end(ETIMEDOUT)


def _kick(sock, _):
    # Next-turn call (after unhold(), or when _read stopped early): read what the TLS layer
    # holds decrypted (poll cannot see it: the socket itself may have nothing more to read).
    if sock._tls_handle is not None and not sock._state & (_ST_CONNECTING | _ST_HELD | _ST_CLOSING):
        sock._read()


class TLSSocket(Client):
    # handshakeTimeout: seconds from the TCP connect to the end of the TLS handshake; a server
    # that never finishes it ends the connection with ETIMEDOUT.
    handshakeTimeout = 10

    _direct = False  # send() always queues: the data goes out through the TLS layer (_write)
    _tls_handle = None  # the TLS handle (_rt.tls_wrap) while the TLS layer is up
    _ctx = None  # the context to wrap with (None: secure=True's shared one)
    _sni = None  # secure's server_hostname
    _handshake_timer = None  # the handshake's Timer
    _held_data = None  # data read with the handshake's end while held: delivered after unhold()

    def send(self, data, callback=None):
        # Always through the queue (Socket.send's straight-to-the-socket case is for plain TCP).
        return self._send(data, callback)

    # --- the handshake -------------------------------------------------------------------
    def _up(self):
        # TCP is up (net/_client.py calls this): start TLS instead of announcing the connection.
        if self._tls_handle is not None:
            Client._up(self)  # the handshake is over: now `connection`
            return
        ctx = self._ctx
        host = self._sni
        if host is None:
            host = self._host  # the name to send (SNI) and to check the certificate against
        if ctx is None:
            ctx = _plain()
            if is_ip(host):
                host = None  # no SNI for an address (RFC 6066), and nothing is checked
        raw = self._sock
        try:
            t = tls_wrap(ctx, raw, host)
        except Exception as e:
            self._end(tls_errno(e))
            return
        self._tls_handle = t
        tm = self._handshake_timer
        if tm is None:
            tm = self._handshake_timer = Timer(_timeout, self)
        tm.start(int(self.handshakeTimeout * 1000))
        w = tls_watch(t, raw)
        if w is not raw:
            loop.remove(raw)
            loop.add(w, self, POLLIN)
            self._sock = w
        self._step()

    def _step(self):
        try:
            r = tls_step(self._tls_handle, self.recvSize)
        except Exception as e:
            self._end(tls_errno(e))
            return
        if type(r) is int:
            loop.modify(self._sock, r)  # wait for the direction the handshake needs
            return
        self._handshake_timer.stop()
        self._up()
        if r is not None and self._sock is not None and not self._state & _ST_CLOSING:
            # The server spoke first, in the same read; more may wait inside the TLS layer.
            if self._state & _ST_HELD:
                self._held_data = r  # `connection` called hold(): keep it for unhold()
            elif self._got(r) and len(r) >= self.recvSize:
                loop.soon(_kick, self)

    # --- I/O from the loop ---------------------------------------------------------------
    def _io(self, ev):
        if self._tls_handle is not None and self._state & _ST_CONNECTING:
            if ev & (POLLERR | POLLHUP) and not ev & POLLIN:
                self._end(ECONNRESET)
            else:
                self._step()
            return
        Socket._io2(self, ev)

    def _read(self):
        # Read until the TLS layer has nothing decrypted left, which poll cannot see; after
        # about a record's worth, the rest on the next turn, so other sockets get theirs.
        p = self._held_data
        if p is not None:  # read before a hold(): first in line
            self._held_data = None
            if not self._got(p):
                return
        n = self.recvSize
        for _ in range(_TLS_RECORD_BYTES // n + 1):
            try:
                data = tls_read(self._tls_handle, n)
            except Exception as e:
                self._end(tls_errno(e))
                return
            if data is None:
                return
            if not self._got(data) or len(data) < n:
                return
        loop.soon(_kick, self)

    def _got(self, data):
        # Deliver what was read; False when reading must stop (end, held, closed).
        if not data:
            # The peer closed: send what is queued, then close cleanly (as TCP does).
            self._state |= _ST_CLOSING
            if self._queue is None:
                self._end(0)
            else:
                self._state |= _ST_HELD
                self._mask()
            return False
        self._last_io_ms = ticks_ms()
        self._emit1(_EV_RECEIVE, data)
        return self._sock is not None and not self._state & (_ST_HELD | _ST_CLOSING)

    def _write(self):
        # Socket._write with the TLS layer in place of the socket's send().
        q = self._queue
        t = self._tls_handle
        while q:
            buf = q[0]
            try:
                n = tls_write(t, buf)
            except Exception as e:
                self._end(tls_errno(e))
                return
            if not n:
                return
            self._last_io_ms = ticks_ms()
            self._queued -= n
            _total_queued[0] -= n
            if n < len(buf):
                q[0] = buf[n:]
                return
            cb = q[1]
            del q[0:2]
            self._emit_cb(_EV_SENT, cb)
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

    def unhold(self):
        Socket.unhold(self)
        if self._tls_handle is not None:
            loop.soon(_kick, self)

    def _end(self, err):
        t = self._tls_handle
        if t is not None:
            self._tls_handle = None
            self._held_data = None
            if self._handshake_timer is not None:
                self._handshake_timer.stop()
            if not err and not self._state & _ST_CONNECTING:
                # A clean close: first read what the peer sent and nobody will read now (a TLS
                # 1.3 server's session tickets, say). Closing a socket with unread data makes
                # the kernel reset the connection, and the peer may lose what we sent last.
                for _ in range(8):
                    try:
                        if not tls_read(t, 2048):
                            break
                    except Exception:
                        break
            tls_close(t)
        Socket._end(self, err)

    def __repr__(self):
        p = self.getpeer()
        return "<net.socket tls %s:%s>" % (p[1], p[0]) if p[0] else "<net.socket tls>"


def createSecure(secure):
    # createConnection(net.TCP, secure): the context is made now, so that a bad option or a
    # port without ssl raises at the call.
    ctx, name = _context(secure)
    s = TLSSocket()
    if ctx is not None:
        s._ctx = ctx
    if name is not None:
        s._sni = name
    return s
