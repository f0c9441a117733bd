# tests/tlspeer.py - the pytest side of the TLS tests: certificates made with the openssl CLI,
# and a TLS server (CPython's ssl) that echoes, answers HTTPS, or misbehaves on purpose.
# MIT licence, see LICENSE.
import os
import shutil
import socket
import ssl
import subprocess
import threading

import pytest

import harness
from peers import recv_until


def make_cert(folder, name="localhost", cn=None):
    # A self-signed certificate (its own CA) for `name` and the host's addresses (where the board
    # reaches the test, on every target) -> (cert path, key path).
    # EC P-256: small and quick to make; MicroPython's mbedtls speaks ECDHE-ECDSA.
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the TLS tests make their certificates with the openssl command, which is not installed")
    cert = os.path.join(folder, "%s.pem" % (cn or name))
    key = os.path.join(folder, "%s.key" % (cn or name))
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=%s" % (cn or name),
         "-addext", "subjectAltName=DNS:%s,%s" % (name, ",".join("IP:" + ip for ip in _host_ips()))],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


def _host_ips():
    # Every target's host address ("127.0.0.1" first): a certificate made once serves them all.
    return ["127.0.0.1"] + sorted({t.host_ip for t in harness.TARGETS.values()} - {"127.0.0.1"})


class TLSServer:
    # A TLS server on the host's address (a free port), one thread per connection. mode:
    #   "echo"     echo everything back until the client closes
    #   "sink"     read until the client closes, answer nothing
    #   "http"     read one request, answer `body` with Connection: close, close
    #   "push"     after the handshake send `body` at once, then read until the client closes
    #   "closenow" accept TCP and close it at once (no handshake)
    #   "garbage"  plain TCP: read the ClientHello, answer an HTTP error, close
    #   "silent"   plain TCP: accept and say nothing
    # hold: a threading.Event the handshake waits for (TCP is accepted at once).
    # What each connection did is recorded in `conns` (dicts: sni, handshake, received, error).
    def __init__(self, cert, key, mode="echo", body=b"", hold=None):
        self.mode = mode
        self.body = body
        self.hold = hold
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.ctx.sni_callback = self._sni
        self.conns = []
        self.accepted = threading.Event()
        self.done = threading.Event()  # a connection's thread finished
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind((harness.host_ip(), 0))
        self.ls.listen(8)
        self.port = self.ls.getsockname()[1]
        self._open = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _sni(self, sslsock, name, ctx):
        sslsock.sni_name = name  # read back after the handshake (name None: no SNI sent)

    def _accept(self):
        while True:
            try:
                c, _ = self.ls.accept()
            except OSError:
                return
            rec = {"sni": None, "handshake": False, "received": bytearray(), "error": None, "eof": False}
            self.conns.append(rec)
            self._open.append(c)
            self.accepted.set()
            threading.Thread(target=self._serve, args=(c, rec), daemon=True).start()

    def _serve(self, c, rec):
        try:
            c.settimeout(30)
            m = self.mode
            if m == "closenow":
                c.close()
                return
            if m == "garbage":
                c.recv(4096)
                c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")
                c.close()
                return
            if m == "silent":
                c.recv(4096)
                self.done.wait(60)
                return
            if self.hold is not None:
                self.hold.wait(30)
            t = self.ctx.wrap_socket(c, server_side=True)
            self._open.append(t)
            rec["sni"] = getattr(t, "sni_name", None)
            rec["handshake"] = True
            if m == "push":
                t.sendall(self.body)
            if m == "http":
                rec["received"] += recv_until(t)
                t.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                          % len(self.body) + self.body)
                t.close()
                return
            while True:
                try:
                    d = t.recv(65536)
                except ssl.SSLEOFError:
                    d = b""
                if not d:
                    rec["eof"] = True
                    break
                rec["received"] += d
                if m == "echo":
                    t.sendall(d)
            t.close()
        except Exception as e:  # recorded for the test to look at
            rec["error"] = e
        finally:
            self.done.set()

    def close(self):
        self.done.set()
        try:
            self.ls.close()
        except OSError:
            pass
        for c in self._open:
            try:
                c.close()
            except OSError:
                pass
