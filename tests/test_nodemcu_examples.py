# The translations of NodeMCU's and Node's net doc examples (examples/nodemcu/) run as users run
# them, on every target, with pytest as the other end: httpbin.org played by a local HTTP
# server, the clients of the doc's servers, the UDP peer; names answered by the test's own DNS
# server (tests/dnsserver.py), never one outside. MIT licence, see LICENSE.
import os
import re
import socket
import threading
import time

import pytest

from harness import ROOT
from peers import connect_when_listening, free_port, recv_all, recv_until

EX = os.path.join(ROOT, "examples", "nodemcu")

# The names the doc's examples use, answered by the test's DNS server: httpbin.org is the host
# (where the test's HTTP server listens); the others only need an answer to print.
NODEMCU_IP = "192.0.2.7"
GOOGLE_IP = "192.0.2.8"


def example(run, name, *args, **kw):
    return run(os.path.join(EX, name), *args, **kw)


@pytest.fixture
def dns(target):
    # The test's DNS server, made once per network (inside it: after `target`).
    import harness
    from dnsserver import ZoneServer, per_network

    if not harness.host_addresses():
        pytest.skip("the test's DNS server needs an address of its own on the board's network (port 53)")
    zone = {
        "httpbin.org": [("A", target.host_ip, 300)],
        "www.nodemcu.com": [("A", NODEMCU_IP, 300)],
        "www.google.com": [("A", GOOGLE_IP, 300)],
    }
    srv = per_network("test_nodemcu_examples.zone.%s" % target.host_ip, lambda: ZoneServer(zone))
    srv.reset()
    return srv


@pytest.fixture(scope="module", autouse=True)
def _stop_servers():
    yield
    import dnsserver

    dnsserver.stop_all("test_nodemcu_examples.")


@pytest.mark.parametrize("name", ["createconnection.py", "createconnection_esp32.py", "createserver.py", "server_close.py"])
def test_one_liners_run_and_print_nothing(run, name):
    s = example(run, name)
    s.wait()
    assert s.output == ""


def test_server_listen_sends_hello_world_and_prints_what_it_gets(run):
    port = free_port()
    s = example(run, "server_listen.py", port)
    c = connect_when_listening(port, s)
    got = b""
    while len(got) < 11:
        got += c.recv(100)
    assert got == b"hello world"
    c.sendall(b"hi from the peer")
    assert recv_all(c) == b""  # the receiver closed
    c.close()
    assert s.expect("hi from the peer") == ""


def test_socket_dns_prints_the_address(run, dns):
    s = example(run, "socket_dns.py", "www.nodemcu.com", dns.ip)
    s.wait()
    assert s.output == NODEMCU_IP
    assert dns.count("www.nodemcu.com") == 1


@pytest.mark.parametrize("name, out", [("www.google.com", GOOGLE_IP), ("nowhere.test", "DNS fail!")])
def test_dns_resolve_prints_the_address_or_fails(run, dns, name, out):
    s = example(run, "dns_resolve.py", name, dns.ip)
    s.wait()
    assert s.output == out


def test_dns_getdnsserver_prints_what_was_set(run):
    s = example(run, "dns_getdnsserver.py")
    s.wait()
    lines = s.output.splitlines()
    assert len(lines) == 4
    assert lines[2:] == ["8.8.8.8", "192.168.1.252"]


class Httpbin:
    # httpbin.org's /get as far as the doc's client sees it: reads the request, answers,
    # closes (the request says Connection: close).
    BODY = b'{"url": "http://httpbin.org/get"}\n' * 100  # several frames' worth
    REPLY = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
             b"Connection: close\r\n\r\n" % len(BODY) + BODY)

    def __init__(self, ip):
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind((ip, 0))
        self.ls.listen(1)
        self.port = self.ls.getsockname()[1]
        self.request = None
        self.t = threading.Thread(target=self._serve, daemon=True)
        self.t.start()

    def _serve(self):
        self.ls.settimeout(20)
        c, _ = self.ls.accept()
        c.settimeout(10)
        self.request = recv_until(c)
        c.sendall(self.REPLY)
        c.close()
        self.ls.close()


REQUEST = b"GET /get HTTP/1.1\r\nHost: httpbin.org\r\nConnection: close\r\nAccept: */*\r\n\r\n"


def test_socket_on_fetches_httpbin_and_prints_the_reply(run, target, dns):
    peer = Httpbin(target.host_ip)
    s = example(run, "socket_on.py", peer.port, "httpbin.org", dns.ip)
    s.wait(timeout=30)
    assert peer.request == REQUEST
    assert dns.count("httpbin.org") == 1
    out = s.output
    assert out.startswith("HTTP/1.1 200 OK")
    assert out.replace("\r\n", "\n").split("\n\n", 1)[1] == Httpbin.BODY.decode().rstrip("\n")


def test_socket_on_buffer_gathers_every_frame(run, target, dns):
    peer = Httpbin(target.host_ip)
    s = example(run, "socket_on_buffer.py", peer.port, "httpbin.org", dns.ip)
    s.wait(timeout=30)
    assert peer.request == REQUEST
    n, text = s.output.split(" bytes: ", 1)
    assert int(n) == len(Httpbin.REPLY)  # every frame in the buffer, once
    assert text.rstrip("\n") == Httpbin.REPLY.decode().replace("\r\n", "\n").rstrip("\n")  # as printed, line by line


def test_socket_send_sends_the_table_one_chunk_per_sent_event(run):
    port = free_port()
    s = example(run, "socket_send.py", port)
    c = connect_when_listening(port, s)
    c.sendall(b"GET / HTTP/1.0\r\n\r\n")
    assert recv_all(c) == b"lots of data" + b"even more data" + b"e.g. content read from a file"
    c.close()
    time.sleep(0.2)
    assert s.p.poll() is None, s.output  # the server goes on serving
    assert "Traceback" not in s.output


def test_socket_send_nested_callbacks_send_in_order_then_close(run):
    port = free_port()
    s = example(run, "socket_send_nested.py", port)
    c = connect_when_listening(port, s)
    c.sendall(b"GET / HTTP/1.0\r\n\r\n")
    assert recv_all(c) == (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"
                           b"some large chunk of dynamically loaded data" b"even more dynamically loaded data")
    c.close()
    assert "Traceback" not in s.output


def test_socket_ttl_connects_and_sets_the_ttl(run, target):
    ls = socket.socket()
    ls.bind((target.host_ip, 0))
    ls.listen(1)
    ls.settimeout(15)
    try:
        s = example(run, "socket_ttl.py", ls.getsockname()[1], target.host_ip)
        if target.chip:  # a chip's socket module (personalities, lwIP builds) has no IP_TTL option
            s.wait(rc=1)  # the documented clear error, at the call (docs/API.md, ttl)
            assert s.output.splitlines()[-1].endswith("EOPNOTSUPP: ttl: this port cannot set the IP TTL"), s.output
            return
        assert s.expect("ttl") == "1"
        c, addr = ls.accept()
        assert addr[0] == s.ip
        c.close()  # the example's socket sees the close; net.run() returns
        s.wait()
    finally:
        ls.close()


def test_udpsocket_send_echoes(run, target):
    port = free_port(kind=socket.SOCK_DGRAM)
    s = example(run, "udpsocket_send.py", port)
    assert s.expect("local UDP socket address / port:") == "0.0.0.0:%d" % port
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((target.host_ip, 0))
    u.settimeout(10)
    try:
        u.sendto(b"foo", (s.ip, port))  # echo -n "foo" | nc -w1 -u <device-IP-address> 5000
        data, addr = u.recvfrom(100)
        assert data == b"echo: foo"
        assert s.expect("received") == "'foo' from %s:%d" % (target.host_ip, u.getsockname()[1])
    finally:
        u.close()


def test_node_server_address_says_where_and_goodbye(run):
    s = example(run, "node_server_address.py")
    line = s.expect("opened server on")
    m = re.search(r"'port': (\d+)", line)
    assert m, line
    assert "'family': 'IPv4'" in line and "'address': '0.0.0.0'" in line
    c = socket.create_connection((s.ip, int(m.group(1))), timeout=10)
    assert recv_all(c) == b"goodbye\n"
    c.close()
