# Tests of the board personalities (board/esp32, board/esp8266): each emulated chip difference,
# seen the way a program on the chip sees it. MIT licence, see LICENSE.
#
# These run on both chips in every session (the `chip` fixture below), whatever --targets says:
# they test the emulator layer itself. The rest of the suite runs under a personality with
# `--targets esp32,esp8266`.
import os
import socket
import subprocess
import time

import pytest

import harness
import peers

CHIPS = ("esp32", "esp8266")

# The chips' errno numbers (ESP32: newlib; ESP8266: MicroPython's internal, Linux-like), from
# micropython-esp32/esp8266-stubs 1.29 (taken from real boards).
ERRNO = {
    "esp32": {"EAGAIN": 11, "EINPROGRESS": 119, "EALREADY": 120, "ECONNRESET": 104, "ECONNABORTED": 113,
              "ENOTCONN": 128, "ETIMEDOUT": 116, "EADDRINUSE": 112, "EHOSTUNREACH": 118, "ENOMEM": 12,
              "EBADF": 9, "ECONNREFUSED": 111},
    "esp8266": {"EAGAIN": 11, "EINPROGRESS": 115, "EALREADY": 114, "ECONNRESET": 104, "ECONNABORTED": 103,
                "ENOTCONN": 107, "ETIMEDOUT": 110, "EADDRINUSE": 98, "EHOSTUNREACH": 113, "ENOMEM": 12,
                "EBADF": 9, "ECONNREFUSED": 111},
}


@pytest.fixture(params=CHIPS)
def chip(request):
    return request.param


@pytest.fixture
def prun(chip, request):
    r = harness.Runner(harness.TARGETS[chip], request)
    yield r
    r.close()


def free_port():
    # The personalities run on the host's loopback, whatever --targets says.
    return peers.free_port("127.0.0.1")


def serving(prun, name):
    # The scenario `name` started on a free port, once it says READY: -> (scenario, port).
    port = free_port()
    s = prun(name, port)
    s.expect("READY")
    return s, port


def connect(port):
    # A client of the scenario's server (on the host's loopback, as free_port).
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def test_personality_takes_the_esp_paths(prun, chip):
    s = prun("chip_paths")
    assert s.line() == "MOD %s %s" % (chip, chip)
    assert s.line() == "RAW False TTL False UNIX None"
    for _ in range(12):
        _, name, mod, rt = s.line().split()
        assert int(mod) == int(rt) == ERRNO[chip][name], name
    canon = "'127.0.0.1'" if chip == "esp32" else "''"
    assert s.line() == "GAI [(2, 1, 0, %s, ('127.0.0.1', 80))]" % canon
    s.wait()


def test_addresses_are_tuples_and_lwip_bind_takes_numbers_only(prun, chip):
    port = free_port()
    s = prun("chip_addresses", port)
    line = s.line()
    if chip == "esp8266":
        assert line == "BIND-NAME ValueError invalid arguments"  # netutils: dotted quads only
    else:
        assert line == "BIND-NAME ok"  # modsocket.c resolves with getaddrinfo
    s.expect("READY")
    connect(port).close()
    assert s.line() == "ACCEPT tuple 127.0.0.1 int"
    assert s.line() == "RAW TypeError"
    s.wait()


def test_fresh_socket_polls_hup_and_refused_connect_is_econnreset(prun, chip):
    port = free_port()  # nothing listens there: the kernel answers the SYN with a RST
    s = prun("chip_refused_poll", port)
    E = ERRNO[chip]
    assert s.line() == "FRESH-IN [16]"  # POLLHUP on a socket that never connected
    assert s.line() == "FRESH-INOUT [20]"  # POLLOUT|POLLHUP
    assert s.line() == "CONNECT %d" % E["EINPROGRESS"]
    after = s.line()
    if chip == "esp8266":
        # modlwip (v1.28, lwip_socket_ioctl): ERR_RST is readable, and ERR|HUP; recv says
        # ECONNRESET once, then reads EOF (STATE_PEER_RST_HANDLED): the loop's second recv
        # returns b"" and prints nothing. Checked against lwip-esp8266 (tests/test_stack_probe.py).
        assert after == "AFTER [29]"  # IN|OUT|ERR|HUP
        assert s.line() == "RECV %d" % E["ECONNRESET"]
    else:
        assert after == "AFTER [5]"  # lwIP select: readable and writable, no POLLERR
        assert s.line() == "RECV %d" % E["ECONNRESET"]
        assert s.line() == "RECV %d" % E["ECONNRESET"]
    assert "111" not in s.output  # never ECONNREFUSED
    s.wait()


def test_net_reports_a_refused_connect_as_the_chip_does(prun, chip):
    port = free_port()
    s = prun("chip_net_refused", port)
    s.expect("DONE", timeout=20)
    errs = [ln.split()[1] for ln in s.lines if ln.startswith(("RECONNECTION", "DISCONNECTION"))]
    assert errs == [str(ERRNO[chip]["ECONNRESET"])], s.output
    s.wait()


def datagrams_then_go(s, port, tag, n):
    # Once the scenario's UDP socket is READY, n datagrams (tag + "0", tag + "1", ...) to it
    # while it does not read; then "go" on its stdin.
    s.expect("READY")
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(n):
        tx.sendto(tag + b"%d" % i, ("127.0.0.1", port))
    tx.close()
    time.sleep(0.2)
    s.send("go\n")


def test_udp_queue_drops_what_lwip_drops(prun, chip):
    # modlwip queues 4 datagrams per socket, ESP-IDF's recvmbox 6; the rest are dropped.
    port = free_port()
    s = prun("chip_udp_queue", port)
    datagrams_then_go(s, port, b"d", 8)
    assert s.expect("END") == str(ERRNO[chip]["EAGAIN"])
    keep = 4 if chip == "esp8266" else 6
    assert s.expect("GOT") == " ".join("d%d" % i for i in range(keep))
    s.wait()


def test_net_udp_receives_only_the_lwip_queue(prun, chip):
    port = free_port()
    s = prun("chip_net_udp_queue", port)
    datagrams_then_go(s, port, b"m", 5)
    s.expect("DONE")
    got = [ln.split()[1] for ln in s.lines if ln.startswith("RECV")]
    if chip == "esp8266":
        assert got == ["m0", "m1", "m2", "m3"]  # the 5th is dropped
    else:
        assert got == ["m0", "m1", "m2", "m3", "m4"]
    s.wait()


def test_six_connections_where_five_fit(prun, chip):
    s, port = serving(prun, "chip_echo")
    conns = []
    for i in range(5):
        c = connect(port)
        c.sendall(b"hello %d" % i)
        assert c.recv(100) == b"hello %d" % i
        conns.append(c)
    sixth = connect(port)
    sixth.sendall(b"hello 5")
    sixth.settimeout(1)
    if chip == "esp8266":
        # esp-open-lwip's tcp_listen_input drops a SYN while 5 connections are active (the
        # peer sends it again later): the 6th is not served while the five stay, and no other
        # connection is harmed (checked against lwip-esp8266, tests/test_stack_probe.py).
        with pytest.raises(socket.timeout):
            sixth.recv(100)
        conns.pop(0).close()
        sixth.settimeout(5)
        assert sixth.recv(100) == b"hello 5"  # served once one of the five has gone
    else:
        assert sixth.recv(100) == b"hello 5"  # ESP32: 10 sockets, listener included
    for c in conns + [sixth]:
        c.sendall(b"x")
        assert c.recv(10) == b"x"
    for c in conns + [sixth]:
        c.close()
    s.kill()


def test_sockets_at_once(prun, chip):
    s = prun("chip_sockets_at_once")
    if chip == "esp8266":
        assert s.line() == "ALL 12"  # pcbs come from the heap (MEMP_MEM_MALLOC 1): no pool to exhaust
    else:
        assert s.line() == "FAILED AT 11 23"  # ENFILE: CONFIG_LWIP_MAX_SOCKETS = 10
    s.wait()


def test_accepted_socket_blocking(prun, chip):
    s, port = serving(prun, "chip_accepted_blocking")
    c = connect(port)
    time.sleep(0.5)
    c.sendall(b"late")
    line = s.line()
    if chip == "esp32":
        assert line == "RECV b'late' after long"  # blocking whatever the listener was
    else:
        assert line == "ERR %d" % ERRNO[chip]["EAGAIN"]  # inherits the listener's timeout
    c.close()
    s.wait()


def test_net_server_copes_with_blocking_accepted_sockets(prun, chip):
    s, port = serving(prun, "chip_echo")
    a = connect(port)
    b = connect(port)
    b.sendall(b"b first")  # a sends nothing: a blocking recv on a would stall everything
    assert b.recv(100) == b"b first"
    a.sendall(b"a")
    assert a.recv(100) == b"a"
    a.close()
    b.close()
    s.kill()


def test_unknown_setsockopt_warns_like_the_firmware(prun, chip):
    s = prun("chip_setsockopt", env={"NET_STRICT": "0"})
    assert s.line() == "KNOWN OK"
    if chip == "esp32":
        assert s.line() == "Warning: lwip.setsockopt() option not implemented"
    else:
        assert s.line() == "Warning: lwip.setsockopt() not implemented"
    assert s.line() == "AFTER"  # a warning, no exception
    s.wait()


def test_unknown_setsockopt_is_a_failure_under_the_harness(prun, chip):
    s = prun("chip_setsockopt")  # the esp targets set NET_STRICT=1
    s.expect("KNOWN OK")
    s.expect("Warning: lwip.setsockopt()")
    assert s.line() == "NET_STRICT: setsockopt(0, 2) is not implemented on %s" % chip
    s.wait(rc=3)
    assert "AFTER" not in s.output


def test_ifconfig_and_ipconfig(prun, chip):
    s = prun("chip_ifconfig")
    assert s.line().startswith("IFCONFIG ('127.0.0.1', '255.0.0.0', '127.0.0.1', ")
    assert s.line() == "ADDR4 ('127.0.0.1', '255.0.0.0')"
    assert s.line().startswith("DNS ")
    assert s.line() == "MAC 6"
    assert s.line() == "IFINFO 127.0.0.1"
    s.wait()


def test_hello_server_example_answers_curl(prun, chip):
    port = free_port()
    s = prun(os.path.join(harness.ROOT, "examples", "hello_server.py"), port)
    assert int(s.expect("PORT")) == port
    out = subprocess.run(
        ["curl", "-s", "--max-time", "10", "http://127.0.0.1:%d/" % port], capture_output=True, timeout=20
    )
    assert out.stdout == b"<h1> Hello, NodeMCU.</h1>"
    s.expect("b'GET / HTTP/1.1")  # the example prints the request
    s.kill()
    assert "Warning: lwip" not in s.output
