# TLS client: net.createConnection(net.TCP, secure) on every target, against a CPython ssl
# server (tests/tlspeer.py) with certificates made by the openssl command for the session.
# What is asserted is what a user sees: the bytes, the events and their order, the errnos.
# MIT licence, see LICENSE.
import os
import socket
import threading
import time

import pytest

from harness import ROOT, host_ip
from tlspeer import TLSServer, make_cert


# 100,000 bytes that say where they belong ("0000000,0000001,..."): a chunk out of order or
# missing shows. The scenarios that send them (tls_echo.py, tls_close_flushes.py) make the same.
N = 100000
DATA = b"".join(("%07d," % i).encode() for i in range(12500))
assert len(DATA) == N


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("tls"))
    cert, key = make_cert(d)  # localhost and the host's addresses (127.0.0.1, ...)
    other, _ = make_cert(d, cn="other")  # a CA that did not sign the server's certificate
    return {"cert": cert, "key": key, "other": other}


@pytest.fixture
def tls_server(certs):
    made = []

    def make(mode="echo", **kw):
        s = TLSServer(certs["cert"], certs["key"], mode, **kw)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


def events(s, names):
    # The scenario's lines that start with one of names, in order.
    return [ln for ln in s.lines if ln.split(" ")[0] in names]


@pytest.mark.parametrize("host", ["ip", "localhost"])  # the host's address, or a name
def test_echo_100k_whole_and_in_order(run, target, tls_server, host):
    if host == "localhost" and target.board_ip != "127.0.0.1":
        pytest.skip("'localhost' is the board's own loopback, where the test's server is only when board and host share a stack")
    host = target.host_ip if host == "ip" else host
    srv = tls_server("echo")
    s = run("tls_echo", srv.port, host, board_heap="1M")  # DATA: 100 KB joined from 12,500 bytes objects, and as much back; TLS
    s.expect("END", timeout=60)
    s.wait()
    assert events(s, ("CONNECTION", "SEND", "SENT", "DRAIN", "GOT", "DISCONNECTION", "RECONNECTION", "END")) == [
        "CONNECTION %s" % target.host_ip,
        "SEND False",  # 100 KB is over the high-water mark: queued, drain to come
        "SENT",
        "DRAIN",
        "GOT %d True" % N,
        "DISCONNECTION 0",
        "END",
    ]
    assert srv.done.wait(10)
    rec = srv.conns[0]
    assert rec["error"] is None and rec["eof"]
    assert bytes(rec["received"]) == DATA
    # SNI: the name given to connect(), none for an address (RFC 6066).
    assert rec["sni"] == (None if host == target.host_ip else "localhost")
    assert len(srv.conns) == 1


def test_connection_waits_for_the_handshake_and_the_loop_serves_others_meanwhile(run, tls_server):
    hold = threading.Event()
    srv = tls_server("echo", hold=hold)
    # A plain TCP echo peer for the other connection on the same loop.
    ls = socket.socket()
    ls.bind((host_ip(), 0))
    ls.listen(1)

    def plain_echo():
        c, _ = ls.accept()
        d = c.recv(100)
        c.sendall(d)
        c.recv(100)
        c.close()

    threading.Thread(target=plain_echo, daemon=True).start()
    s = run("tls_handshake_meanwhile", srv.port, ls.getsockname()[1])
    assert s.expect("A QUEUED") == "True"
    assert srv.accepted.wait(20)  # TCP is up, the server holds the handshake
    assert s.expect("B RECEIVE", timeout=20) == "b'ping'"
    time.sleep(0.5)
    s.output
    assert not any(ln.startswith("A CONNECTION") or ln.startswith("A RECEIVE") for ln in s.lines), s.output
    assert srv.conns[0]["handshake"] is False
    hold.set()
    s.expect("END", timeout=30)
    s.wait()
    assert events(s, ("A",)) == ["A QUEUED True", "A CONNECTION", "A SENT", "A RECEIVE b'early'", "A DISCONNECTION 0"]
    ls.close()


@pytest.mark.parametrize(
    "mode,err",
    [("closenow", "ECONNRESET"), ("garbage", "ECONNABORTED"), ("silent", "ETIMEDOUT")],
    ids=["server-closes-at-once", "plain-tcp-server", "server-never-answers"],
)
@pytest.mark.parametrize("reconnection", [1, 0], ids=["reconnection", "disconnection"])
def test_handshake_failure_is_an_event_with_errno(run, target, tls_server, mode, err, reconnection):
    srv = tls_server(mode)
    s = run("tls_handshake_fails", srv.port, reconnection, 1)
    s.expect("END", timeout=30)
    s.wait()  # exit status 0: nothing was raised out of the loop
    ev = "RECONNECTION" if reconnection else "DISCONNECTION"
    assert events(s, ("C",)) == ["C %s %d" % (ev, target.errno(err))]
    assert "Traceback" not in s.output


@pytest.mark.parametrize(
    "host,ca,name,ok",
    [
        ("localhost", "cert", "-", True),
        ("ip", "cert", "localhost", True),  # "ip": the host's address
        ("ip", "cert", "-", True),  # the certificate names the host's address too (IP SAN)
        ("localhost", "other", "-", False),  # signed by a CA we were not given
        ("localhost", "cert", "wrong.example", False),  # the certificate names someone else
    ],
    ids=["right-ca", "by-ip-with-server_hostname", "by-ip", "wrong-ca", "wrong-name"],
)
def test_certificate_check_with_cadata(run, target, certs, tls_server, host, ca, name, ok):
    if host == "localhost" and target.board_ip != "127.0.0.1":
        pytest.skip("'localhost' is the board's own loopback, where the test's server is only when board and host share a stack")
    host = target.host_ip if host == "ip" else host
    srv = tls_server("echo")
    s = run("tls_verify", srv.port, host, certs[ca], name)
    s.expect("END", timeout=30)
    s.wait()
    if ok:
        assert events(s, ("C",)) == ["C CONNECTION", "C RECEIVE b'checked'", "C DISCONNECTION 0"]
        if name == "-" and host == target.host_ip:
            # Checked against the address: CPython sends no SNI then; MicroPython's mbedtls
            # has one call for both, so it sends the address as SNI (docs/tcp.md).
            assert srv.conns[0]["sni"] == (host if target.micropython else None)
        else:
            assert srv.conns[0]["sni"] == "localhost"
    else:
        assert events(s, ("C",)) == ["C RECONNECTION %d" % target.errno("ECONNABORTED")]


def test_secure_may_be_the_runtimes_own_ssl_context(run, target, tls_server):
    # A context the program set up itself (here: no check) is used as it is.
    srv = tls_server("echo")
    s = run("tls_own_context", srv.port)
    assert s.expect("CONNECTION") == ""
    assert s.expect("RECEIVE") == "b'own context'"
    assert s.expect("DISCONNECTION") == "0"
    s.wait()
    # By address: CPython sends no SNI then; MicroPython's mbedtls sends the address (docs/tcp.md).
    assert srv.conns[0]["sni"] == (target.host_ip if target.micropython else None)


def test_hold_keeps_decrypted_data_until_unhold(run, tls_server):
    # One 16,000-byte record read 1,000 bytes at a time: after hold() the rest sits decrypted
    # inside the TLS layer with nothing left on the socket for poll to see. unhold() must
    # deliver it all the same.
    body = bytes(range(256)) * 62 + bytes(range(128))
    assert len(body) == 16000
    srv = tls_server("push", body=body)
    s = run("tls_hold_decrypted", srv.port, board_heap="128K")  # the 16,000 bytes it gathers and the 16,000 it compares them with, beside a TLS session with a 16 KB record in it
    assert s.expect("HELD", timeout=30) == "1000"
    assert s.expect("UNHOLD", timeout=30) == "1000"  # nothing arrived while held
    assert s.expect("GOT", timeout=30) == "16000 True"
    assert s.expect("DISCONNECTION") == "0"
    s.expect("END")
    s.wait()


def test_a_burst_bigger_than_one_turns_reading_arrives_whole(run, tls_server):
    # 40,000 bytes (records of 16,384 + 16,384 + 7,232) wait on the socket while the client
    # holds; then it reads 1,460 bytes at a time. Reads run across records, so a turn's
    # reading can end with the last record inside the TLS layer and nothing on the socket:
    # the rest must come on the next turn all the same.
    body = bytes(range(250)) * 160
    srv = tls_server("push", body=body)
    s = run("tls_burst_held", srv.port, board_heap="256K")  # the 40,000 bytes it gathers, beside a TLS session with 16 KB records in it
    assert s.expect("UNHOLD", timeout=30) == "0"
    assert s.expect("GOT", timeout=30) == "40000 True"
    assert s.expect("DISCONNECTION") == "0"
    s.expect("END")
    s.wait()


def test_close_sends_the_queue_first(run, tls_server):
    srv = tls_server("sink")
    s = run("tls_close_flushes", srv.port, board_heap="1M")  # DATA: 100 KB joined from 12,500 bytes objects, queued; TLS
    s.expect("END", timeout=60)
    s.wait()
    assert events(s, ("CLOSED", "CALLBACK", "DISCONNECTION", "END")) == ["CLOSED", "CALLBACK", "DISCONNECTION 0", "END"]
    assert srv.done.wait(20)
    assert srv.conns[0]["eof"] and bytes(srv.conns[0]["received"]) == DATA


def test_bad_secure_values_raise_at_the_call_and_tls_loads_only_when_asked(run, target):
    s = run("tls_bad_secure")
    assert s.expect("LOADED") == "False False"  # plain TCP never loads the TLS modules
    assert s.expect("BAD") == "ValueError secure must be 0 or 1 (False or True), got 2"
    assert s.expect("BAD") == "ValueError secure must be 0 or 1 (False or True), got -1"
    assert s.expect("BAD") == "TypeError secure must be True/1, a dict with cadata and/or server_hostname, or an ssl.SSLContext, not str"
    assert s.expect("BAD") == "TypeError secure must be True/1, a dict with cadata and/or server_hostname, or an ssl.SSLContext, not float"
    assert s.expect("BAD") == "ValueError secure: unknown option 'ca'; the options are cadata, server_hostname"
    assert s.expect("BAD") == "TypeError secure: cadata must be str or bytes (PEM or DER), not int"
    assert s.expect("BAD") == "ValueError secure: cadata must be CA certificates in PEM or DER (str or bytes)"
    assert s.expect("BAD") == "TypeError secure: server_hostname must be a name (str), not 5"
    assert s.expect("TRUE") == "OK <net.socket tls>"
    assert s.expect("LOADED") == "True True"
    assert s.expect("REFUSED") == "True"  # a TCP failure before TLS: the same event as plain TCP
    s.expect("END")
    s.wait()


def test_a_port_without_ssl_refuses_clearly(run, target):
    # As on firmware built without ssl: the module cannot be imported.
    s = run("tls_no_ssl")
    assert s.expect("TLS") == "OSError %d secure: this port has no ssl module" % target.errno("EOPNOTSUPP")
    assert s.expect("TCP") == "OK <net.socket>"
    s.wait()


def test_example_https_get(run, target, certs, tls_server):
    if target.board_ip != "127.0.0.1":
        pytest.skip("'localhost' is the board's own loopback, where the test's server is only when board and host share a stack")
    body = b"Hello over TLS.\n"
    srv = tls_server("http", body=body)
    s = run(os.path.join(ROOT, "examples", "https_get.py"), srv.port, "localhost", "/hello", certs["cert"])
    assert s.expect("HTTP/1.1") == "200 OK"
    assert s.expect("Hello") == "over TLS."
    assert s.expect("CLOSED") == "0"
    s.wait()
    assert bytes(srv.conns[0]["received"]).startswith(b"GET /hello HTTP/1.1\r\nHost: localhost\r\n")
    assert srv.conns[0]["sni"] == "localhost"
