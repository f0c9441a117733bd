# net/_tlsrt.py - the runtime adapter's TLS half: how each runtime's ssl module is driven.
# MIT licence, see LICENSE.
#
# Part of the runtime adapter, apart so that programs without TLS never load it; it imports
# the ssl module on first use. How CPython's and MicroPython's ssl differ, and how _Bio tells
# MicroPython's handshake is over: docs/design.md, "TLS on each runtime".
from ._rt import (
    const,
    MICROPYTHON,
    POLLIN,
    POLLOUT,
    EOPNOTSUPP,
    ECONNRESET,
    ECONNABORTED,
    EINVAL,
    errno_of,
)

_tls_mod = []  # [the ssl module] after the first use; [None] where the port has none
_TLS_EOF = const(-0x7280)  # MBEDTLS_ERR_SSL_CONN_EOF: the peer closed the TCP connection


def _tls():
    if not _tls_mod:
        m = None
        for name in ("tls", "ssl") if MICROPYTHON else ("ssl",):
            try:
                m = __import__(name)
            except ImportError:
                continue
            if hasattr(m, "SSLContext"):
                break
            m = None  # firmware before 1.22: ssl.wrap_socket only, no non-blocking handshake
        _tls_mod.append(m)
    m = _tls_mod[0]
    if m is None:
        raise OSError(EOPNOTSUPP, "secure: this port has no ssl module")
    return m


def tls_context(cadata=None):
    # A client context: without cadata, no certificate check at all; with cadata (PEM or DER
    # CA certificates, str or bytes), the server's chain and name are checked.
    m = _tls()
    ctx = m.SSLContext(m.PROTOCOL_TLS_CLIENT)
    if cadata is None:
        if not MICROPYTHON:
            ctx.check_hostname = False
        ctx.verify_mode = m.CERT_NONE
        return ctx
    try:
        if MICROPYTHON:
            for der in _der_certs(cadata):
                ctx.load_verify_locations(der)
        else:
            if type(cadata) is not str and bytes(cadata[:5]) == b"-----":
                cadata = bytes(cadata).decode()  # CPython takes PEM as str, DER as bytes
            ctx.load_verify_locations(cadata=cadata)
    except (OSError, ValueError, TypeError):
        raise ValueError("secure: cadata must be CA certificates in PEM or DER (str or bytes)")
    return ctx


def _der_certs(cadata):
    # MicroPython: PEM text -> its certificates as DER (the unix port's mbedtls is built without
    # PEM parsing: load_verify_locations refuses PEM there, takes DER everywhere). DER stays.
    if type(cadata) is not str:
        if bytes(cadata[:5]) != b"-----":
            return (cadata,)
        cadata = bytes(cadata).decode()
    from binascii import a2b_base64

    out = []
    i = 0
    while True:
        a = cadata.find("-----BEGIN CERTIFICATE-----", i)
        b = cadata.find("-----END CERTIFICATE-----", a + 1)
        if a < 0 or b < 0:
            break
        out.append(a2b_base64("".join(cadata[a + 27 : b].split())))
        i = b + 25
    if not out:
        raise ValueError
    return out


_bio = []  # [the _Bio class], defined on first use (a class costs RAM even when unused)


def _bio_class():
    if _bio:
        return _bio[0]
    import io

    class _Bio(io.IOBase):
        # The stream mbedtls reads and writes (MicroPython), watching the server's records.
        # handshake: 1 going, 3 after the server's ChangeCipherSpec, 0 over. Errors go back as
        # -errno, never as exceptions through mbedtls's C frames.
        def __init__(self, s):
            self.sock = s
            self.ssl = None
            self.handshake = 1
            self.header_seen = self.record_type = self.body_left = self.write_refused = 0

        def readinto(self, buf):
            try:
                n = self.sock.readinto(buf)
            except OSError as e:
                return -errno_of(e)
            if n and self.handshake:
                self._scan(buf, n)
            return n

        def write(self, buf):
            try:
                n = self.sock.write(buf)
            except OSError as e:
                return -errno_of(e)
            if n is None:
                self.write_refused = 1
            return n

        def ioctl(self, req, arg):
            # Close (4) frees the TLS state only: the plain socket is its owner's to close.
            return 0 if req == 4 else -EINVAL

        def _scan(self, buf, n):
            i = 0
            while i < n:
                k = self.body_left
                if k and not self.header_seen:  # in a body (during a header, k holds the length's high byte)
                    m = n - i
                    if m > k:
                        m = k
                    self.body_left = k - m
                    i += m
                    if not self.body_left:
                        self._end()
                    continue
                b = buf[i]
                i += 1
                r = self.header_seen + 1
                if r == 1:
                    self.record_type = b
                elif r == 4:
                    self.body_left = b << 8
                elif r == 5:
                    self.body_left |= b
                    r = 0
                    if not self.body_left:
                        self._end()
                self.header_seen = r

        def _end(self):
            # A whole record of the server's went to mbedtls.
            if self.handshake == 3:
                self.handshake = 0
            elif self.record_type == 20:  # ChangeCipherSpec
                self.handshake = 3

    _bio.append(_Bio)
    return _Bio


def tls_wrap(ctx, sock, host):
    # Start TLS on a connected plain socket, without blocking: -> the TLS handle the calls
    # below take. host: the name for SNI and for the certificate check (None: neither).
    if MICROPYTHON:
        b = _bio_class()(sock)
        b.ssl = ctx.wrap_socket(b, server_hostname=host, do_handshake_on_connect=False)
        return b
    return ctx.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)


def tls_watch(t, sock):
    # What the loop polls: the plain socket (MicroPython), the SSLSocket (CPython: wrapping
    # detached the plain one).
    return sock if MICROPYTHON else t


def tls_step(t, n):
    # One step of the handshake: POLLIN or POLLOUT while it goes on (wait for that), else it is
    # over: None, or bytes the server sent right after it (MicroPython reads them in the same
    # call). Failures raise (tls_errno tells their errno).
    if not MICROPYTHON:
        m = _tls()
        try:
            t.do_handshake()
        except m.SSLWantReadError:
            return POLLIN
        except m.SSLWantWriteError:
            return POLLOUT
        return None
    d = t.ssl.read(n)
    if t.handshake:
        if d:  # application data: it is over whatever the headers said
            t.handshake = 0
            return d
        if d is not None:
            raise OSError(ECONNRESET)  # close_notify in the middle of the handshake
        if t.write_refused:
            t.write_refused = 0
            return POLLOUT
        return POLLIN
    return d


def tls_read(t, n):
    # Decrypted bytes (at most n), b"" at the end, None when nothing can be read now.
    if MICROPYTHON:
        try:
            return t.ssl.read(n)
        except OSError as e:
            if errno_of(e) == _TLS_EOF:
                return b""
            raise
    m = _tls()
    try:
        return t.recv(n)
    except (m.SSLWantReadError, m.SSLWantWriteError):
        return None
    except m.SSLEOFError:
        return b""  # closed without close_notify: what most HTTP servers do, a clean end here


def tls_write(t, buf):
    # Bytes of buf the TLS layer took now (0: none, try again when writable). A write that
    # took nothing must be repeated with the same data (mbedtls may hold it half-sent).
    if MICROPYTHON:
        return t.ssl.write(buf) or 0
    m = _tls()
    try:
        return t.send(buf)
    except (m.SSLWantReadError, m.SSLWantWriteError):
        return 0


def tls_close(t):
    # Free the TLS state (MicroPython: mbedtls's buffers, now rather than at GC). The plain
    # socket is closed by its owner.
    if MICROPYTHON:
        try:
            t.ssl.close()
        except OSError:
            pass


def tls_errno(exc):
    # The errno a TLS failure ends a connection with: ECONNRESET when the peer closed, the
    # socket's own errno for a socket error, ECONNABORTED for a TLS failure (bad record, alert,
    # certificate or name rejected).
    if not MICROPYTHON:
        m = _tls()
        if isinstance(exc, m.SSLEOFError):
            return ECONNRESET
        if isinstance(exc, m.SSLError):
            return ECONNABORTED
    if isinstance(exc, OSError):
        n = errno_of(exc)
        if n == _TLS_EOF:
            return ECONNRESET
        if 0 < n < 256:
            return n
    return ECONNABORTED
