# tests/peers.py - the test's own end of a connection: the host sockets a test opens as the
# board's peer (clients of the scenario's servers, listeners its clients reach), shared by the
# test files. MIT licence, see LICENSE.
#
# Addresses default to the current target's (harness.board_ip(), harness.host_ip()): loopback on
# the host targets, the TAP link's ends on the lwIP targets.
import socket
import time

import pytest

import harness


def free_port(ip=None, kind=socket.SOCK_STREAM):
    # A port free at ip (default: the host's address as the board reaches it; on loopback
    # targets the board's stack is the host's, so the board may listen there too).
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind((ip or harness.host_ip(), 0))
        return s.getsockname()[1]
    finally:
        s.close()


def connect(port, host=None, timeout=10):
    # A client of the scenario's server on the board.
    return socket.create_connection((host or harness.board_ip(), port), timeout=timeout)


def connect_when_listening(port, s=None, ip=None, timeout=15, what="the example"):
    # A client of a server that prints nothing when it listens (an example run as users run
    # it): try until it does. s: the scenario that serves (its address; it ending early, or the
    # deadline, fails the test with its output); else ip, and pytest.fail.
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection((ip or s.ip, port), timeout=10)
        except OSError:
            if time.monotonic() > deadline or (s is not None and s.p.poll() is not None):
                (s.fail if s is not None else pytest.fail)("%s never listened on %d" % (what, port))
            time.sleep(0.1)


def recv_all(c, n=None, timeout=10):
    # Read until EOF (or n bytes); returns the bytes.
    c.settimeout(timeout)
    out = bytearray()
    while n is None or len(out) < n:
        d = c.recv(65536)
        if not d:
            break
        out += d
    return bytes(out)


def ended(c, timeout=10):
    # The server ended this connection without sending anything: EOF, or a reset. Closes it.
    c.settimeout(timeout)
    try:
        assert c.recv(10) == b""
    except ConnectionResetError:
        pass
    c.close()


def recv_until(c, end=b"\r\n\r\n"):
    # Read until `end` has come (an HTTP request's head) or EOF; returns the bytes.
    got = b""
    while end not in got:
        d = c.recv(4096)
        if not d:
            break
        got += d
    return got


def http_get(c):
    # A plain HTTP/1.0 GET on the connected c; the whole answer (the server closes).
    c.sendall(b"GET / HTTP/1.0\r\n\r\n")
    return recv_all(c)


def listener(backlog=4, rcvbuf=None):
    # A server of the test's where the board reaches it (harness.host_ip()); -> (socket, port).
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        # A small window and a WiFi-sized segment (set before listen: accepted sockets
        # inherit them). Loopback's 64 KB segments would let the sender's kernel buffer grow
        # past a megabyte, so that nothing ever waits in net's queue.
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        ls.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1460)
    ls.bind((harness.host_ip(), 0))
    ls.listen(backlog)
    ls.settimeout(10)
    return ls, ls.getsockname()[1]
