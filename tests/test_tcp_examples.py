# The examples under examples/ run as users run them, on every target, with pytest as the
# other end (curl-like HTTP client, HTTP server, chat clients). MIT licence, see LICENSE.
import http.client
import http.server
import os
import socket
import threading
import time

import pytest

from harness import ROOT
from peers import free_port

EX = os.path.join(ROOT, "examples")


def example(run, name, *args):
    return run(os.path.join(EX, name), *args)


def test_hello_server_answers_http(run):
    port = free_port()
    s = example(run, "hello_server.py", port)
    assert int(s.expect("PORT")) == port
    for path in ("/", "/other"):
        h = http.client.HTTPConnection(s.ip, port, timeout=10)
        h.request("GET", path)
        r = h.getresponse()
        assert r.status == 200
        assert r.getheader("Content-Type") == "text/html"
        assert r.read() == b"<h1> Hello, NodeMCU.</h1>"  # then the server closed
        h.close()
        assert s.expect("b'GET").startswith("%s HTTP/1.1\\r\\nHost: %s:%d" % (path, s.ip, port))


def test_echo_server_echoes_and_survives_a_flood(run):
    s = example(run, "echo_server.py", 0)
    port = int(s.expect("PORT"))
    c = socket.create_connection((s.ip, port), timeout=10)
    data = os.urandom(2 * 1024 * 1024)
    got = bytearray()

    def reader():
        while len(got) < len(data):
            d = c.recv(65536)
            if not d:
                break
            got.extend(d)

    t = threading.Thread(target=reader)
    t.start()
    c.sendall(data)
    t.join(30)
    assert bytes(got) == data


class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("page at %s, host %s\n" % (self.path, self.headers["Host"])).encode() * 200
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


@pytest.mark.parametrize("host", ["ip", "localhost"])  # the host's address, or a name
def test_http_client_fetches_a_page(run, target, host):
    if host == "localhost" and target.board_ip != "127.0.0.1":
        pytest.skip("'localhost' is the board's own loopback, where the test's server is only when board and host share a stack")
    host = target.host_ip if host == "ip" else host
    httpd = http.server.HTTPServer((target.host_ip, 0), Page)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        port = httpd.server_address[1]
        s = example(run, "http_client.py", port, host, "/hello")
        assert s.expect("CLOSED", timeout=20) == "0"
        s.wait()
        out = s.output
        assert out.startswith("HTTP/1.0 200 OK")
        body = out.split("\n\n", 1)[1] if "\n\n" in out else out.split("\r\n\r\n", 1)[1]
        text = "".join(body.replace("\r", "").split("\n"))  # print() added newlines per chunk
        assert text.count("page at /hello, host %s" % host) == 200
    finally:
        httpd.shutdown()


def test_chat_server_broadcasts_to_all_others(run, target):
    s = example(run, "chat_server.py", 0)
    port = int(s.expect("PORT"))
    cs = []
    for i in range(3):
        c = socket.create_connection((s.ip, port), timeout=10)
        f = c.makefile("rb")
        me = "%s:%d" % (target.host_ip, c.getsockname()[1])
        assert f.readline().decode() == "you are %s\n" % me
        for o in cs:
            assert o[1].readline().decode() == "* %s joined\n" % me
        cs.append((c, f, me))
    a, b, c = cs
    a[0].sendall(b"hello all\n")
    for o in (b, c):
        assert o[1].readline().decode() == "%s> hello all\n" % a[2]
    c[0].sendall(b"hi from c\n")
    for o in (a, b):
        assert o[1].readline().decode() == "%s> hi from c\n" % c[2]
    b[1].close()
    b[0].close()
    for o in (a, c):
        assert o[1].readline().decode() == "* %s left\n" % b[2]
    # The sender does not hear itself.
    a[0].settimeout(0.3)
    with pytest.raises(socket.timeout):
        a[0].recv(100)
