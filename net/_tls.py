# net/_tls.py - the TLS layer of a client connection: createConnection(net.TCP, secure).
# MIT licence, see LICENSE.
#
# Loaded only when a program asks for TLS. The connection (net/_sock.py) reads and writes
# through this layer; its `connection` waits for the handshake, run step by step from the loop
# (docs/tcp.md, "TLS client"; docs/design.md, "TLS, a layer under the connection").
from ._rt import const, POLLIN, POLLERR, POLLHUP, ECONNRESET, ETIMEDOUT, is_ip
from ._tlsrt import tls_context, tls_wrap, tls_watch, tls_step, tls_read, tls_write, tls_close, tls_errno
from ._loop import loop, Timer

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


def _timeout(tls):
    # Timer function (module level: no bound method): the handshake took too long.
    if tls._handshaking:
        tls._conn._end(ETIMEDOUT)


def _kick(tls, _):
    # Next-turn call (after unhold(), or when read() stopped early): read what the TLS layer
    # holds decrypted (poll cannot see it: the socket itself may have nothing more to read).
    if tls._handle is not None and tls._conn._reading():
        tls.read()


class Tls:
    # One client connection's TLS layer. From the start of the handshake to the end of the
    # connection (its _ST_TLS), the loop hands the socket's events here, and the connection
    # reads and writes through read() and write().
    _handle = None  # the TLS handle (_tlsrt.tls_wrap) while the layer is up
    _handshaking = False
    _handshake_timer = None
    _held_data = None  # read with the handshake's end while `connection` held: for unhold()

    def __init__(self, conn, secure):
        # The context is made now, so that a bad option or a port without ssl raises at
        # createConnection(net.TCP, secure).
        self._conn = conn
        # The context to wrap with (None: secure=True's shared one), and secure's
        # server_hostname (None: the name given to connect()).
        self._ctx, self._sni = _context(secure)

    def start(self):
        # TCP is up (Client._up): wrap the socket and run the handshake.
        conn = self._conn
        ctx = self._ctx
        host = self._sni
        if host is None:
            host = conn._host  # the name to send (SNI) and to check the certificate against
        if ctx is None:
            ctx = _plain()
            if is_ip(host):
                host = None  # no SNI for an address (RFC 6066), and nothing is checked
        raw = conn._sock
        try:
            t = tls_wrap(ctx, raw, host)
        except Exception as e:
            conn._end(tls_errno(e))
            return
        self._handle = t
        self._handshaking = True
        tm = self._handshake_timer
        if tm is None:
            tm = self._handshake_timer = Timer(_timeout, self)
        tm.start(int(conn.handshakeTimeout * 1000))
        w = tls_watch(t, raw)
        if w is raw:
            loop.own(raw, self)
        else:
            loop.remove(raw)
            loop.add(w, self, POLLIN)
            conn._sock = w
        self._step()

    def _step(self):
        conn = self._conn
        try:
            r = tls_step(self._handle, conn.recvSize)
        except Exception as e:
            conn._end(tls_errno(e))
            return
        if type(r) is int:
            loop.modify(conn._sock, r)  # wait for the direction the handshake needs
            return
        self._handshaking = False
        self._handshake_timer.stop()
        conn._up()
        if r is not None and conn._sock is not None:
            # The server spoke first, in the same read; more may wait inside the TLS layer.
            if not conn._reading():
                self._held_data = r  # `connection` called hold(): kept for unhold()
            elif conn._deliver(r) and len(r) >= conn.recvSize:
                loop.soon(_kick, self)

    # --- from the loop and from the connection -------------------------------------------
    def _io(self, ev):
        conn = self._conn
        if not self._handshaking:
            conn._io2(ev)  # reads and writes come back through read() and write()
        elif ev & (POLLERR | POLLHUP) and not ev & POLLIN:
            conn._end(ECONNRESET)
        else:
            self._step()

    def _fault(self, exc):
        self._conn._fault(exc)

    def read(self):
        # Socket._read through TLS: read until the layer has nothing decrypted left, which poll
        # cannot see; after about a record's worth, the rest on the next turn, so other sockets
        # get theirs.
        conn = self._conn
        p = self._held_data
        if p is not None:  # read before a hold(): first in line
            self._held_data = None
            if not conn._deliver(p):
                return
        n = conn.recvSize
        for _ in range(_TLS_RECORD_BYTES // n + 1):
            try:
                data = tls_read(self._handle, n)
            except Exception as e:
                conn._end(tls_errno(e))
                return
            if data is None:
                return
            if not conn._deliver(data) or len(data) < n:
                return
        loop.soon(_kick, self)

    def write(self, buf):
        # Socket._write through TLS: the bytes of buf the layer took (0: none now), or -errno.
        try:
            return tls_write(self._handle, buf)
        except Exception as e:
            return -tls_errno(e)

    def unheld(self):
        loop.soon(_kick, self)

    def close(self, clean):
        # The connection ends (Socket._end, before its socket closes): free the TLS state.
        self._handshaking = False
        if self._handshake_timer is not None:
            self._handshake_timer.stop()
        t = self._handle
        if t is None:
            return
        self._handle = None
        self._held_data = None
        if clean:
            # First read what the peer sent and nobody will read now (a TLS 1.3 server's
            # session tickets): closing a socket with unread data makes the kernel reset the
            # connection, and the peer may lose what we sent last.
            for _ in range(8):
                try:
                    if not tls_read(t, 2048):
                        break
                except Exception:
                    break
        tls_close(t)
