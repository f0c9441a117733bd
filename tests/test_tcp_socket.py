# Tests of net.createConnection and net.socket (API.md, "net.socket"): every row, on every
# target. Mostly the scenario is the client and pytest the server. MIT licence, see LICENSE.
import errno
import socket
import struct
import threading
import time

import pytest

from peers import listener, recv_all


def test_connect_send_receive_addresses_and_peer_close(run, target):
    ls, port = listener()
    s = run("tcp_client_basics", port)
    assert s.expect("BEFORE") == "(None, None) (None, None)"
    a, addr = ls.accept()
    s.expect("CONNECTING")
    pport, pip, lport, lip = s.expect("ADDR").split()
    assert (int(pport), pip) == (port, target.host_ip)
    assert (int(lport), lip) == (addr[1], addr[0])  # getaddr() is true: what the server saw
    assert s.expect("RET") == "True"
    assert recv_all(a, 13) == b"hello world!!"
    # `sent` and each callback once, in send order.
    got = [s.line() for _ in range(7)]
    assert got == ["C SENT", "CB1", "C SENT", "CB2", "C SENT", "C SENT", "CB3"]
    a.sendall(b"from the server")
    assert s.expect("C RECEIVE") == "b'from the server'"
    a.close()
    assert s.expect("C DISCONNECTION") == "0"
    assert s.expect("RUN-RETURNED") == "(None, None) (None, None)"  # ended: NodeMCU's nil, nil
    s.wait()
    assert s.output.count("DISCONNECTION") == 1


@pytest.mark.parametrize("mode", ["re", "dis"])
def test_refused_goes_to_reconnection_or_disconnection(run, target, mode):
    ls, port = listener()
    ls.close()  # nothing listens there now
    s = run("tcp_client_refused", port, mode)
    ev = "C RECONNECTION" if mode == "re" else "C DISCONNECTION"
    assert int(s.expect(ev)) == target.refused  # ECONNRESET on lwIP (the ESP boards)
    s.expect("AGAIN")
    assert int(s.expect(ev)) == target.refused
    s.expect("DONE")
    s.wait()
    out = s.output
    assert out.count("RECONNECTION") + out.count("DISCONNECTION") == 2
    assert "C CONNECTION" not in out


def test_connect_validation_and_states(run, target):
    # MicroPython has no EISCONN name, but net raises the port's number (net/_rt.py).
    eisconn = target.errno("EISCONN")
    ls, port = listener()
    s = run("tcp_client_checks", port)
    assert s.expect("PORT") == "ValueError port must be in 1..65535, got 0"
    assert s.expect("PORT") == "ValueError port must be in 1..65535, got 65536"
    assert s.expect("PORT") == "TypeError port must be an int in 1..65535, not str"
    assert s.expect("PORT") == "TypeError port must be an int in 1..65535, not float"
    assert s.expect("HOST") == "TypeError host must be a name or a dotted quad (str), not 127"
    assert s.expect("SEND-FRESH") == "OSError %d send: socket is not connected" % target.errno("ENOTCONN")
    assert s.expect("TYPE") == "ValueError type must be net.TCP (1) or net.UDP (2), got 3"
    # secure: a TLS client socket (tests/test_tls.py), never a plain one.
    assert s.expect("TLS") == "OK <net.socket tls>"
    assert s.expect("UDP") == "udpsocket"
    assert s.expect("TWICE") == "OSError %d socket is already connected or connecting" % eisconn
    a, _ = ls.accept()
    assert s.expect("TWICE2") == "OSError %d socket is already connected or connecting" % eisconn
    assert s.expect("EMPTY") == "ValueError data must not be empty"
    assert s.expect("BADDATA") == "TypeError data must be bytes, bytearray, memoryview or str, not int"
    assert s.expect("BADCB") == "TypeError callback must be callable or None, not int"
    assert s.expect("C DISCONNECTION") == "0"  # local close: disconnection, errno 0
    assert s.expect("SEND-CLOSED") == "OSError %d send: socket is not connected" % target.errno("ENOTCONN")
    s.expect("DONE")
    s.wait()
    assert s.output.count("DISCONNECTION") == 1
    assert recv_all(a) == b""


def test_connect_without_a_host_goes_to_127_0_0_1(run, target):
    # NodeMCU's default: connect(port) alone connects to 127.0.0.1, the board's own loopback.
    # Every other test names the host (HOST_IP): this one is about the default itself.
    if target.host_ip != "127.0.0.1":
        pytest.skip("the default host is the board's own loopback, which a board on its own link does not have "
                    "(lwIP builds without LWIP_HAVE_LOOPIF)")
    ls, port = listener()
    s = run("tcp_client_default_host", port)
    ls.accept()[0].close()
    assert s.expect("C CONNECTION") == "(%d, '127.0.0.1')" % port
    assert s.expect("C DISCONNECTION") == "0"
    s.wait()


def test_connect_by_name_fires_dns_then_connection(run, target):
    if target.board_ip != "127.0.0.1":
        pytest.skip("'localhost' is the board's own loopback, where the test's listener is only when board and host share a stack")
    ls, port = listener()
    s = run("tcp_client_by_name", port)
    assert s.expect("C DNS") == "127.0.0.1"
    ls.accept()
    assert s.expect("C CONNECTION") == "(%d, '127.0.0.1')" % port
    assert s.expect("C DISCONNECTION") == "0"
    assert s.expect("DNS-CB") == "True 127.0.0.1"
    s.wait()


def test_receive_and_send_on_accepted_socket_and_error_event(run):
    s = run("tcp_accepted_echo_upper")
    port = int(s.expect("PORT"))
    c = socket.create_connection((s.ip, port), timeout=10)
    c.sendall(b"abc")
    assert c.recv(10) == b"ABC"
    assert s.expect("A SENT") == ""
    c.sendall(b"boom")
    assert s.expect("A ERROR") == "ValueError handler failed"
    c.sendall(b"after")  # the error handler dealt with it: the connection stays
    assert c.recv(10) == b"AFTER"
    c.close()
    assert s.expect("A DISCONNECTION") == "0"


def test_one_megabyte_to_a_slow_reader_arrives_whole_with_backpressure(run, target):
    ls, port = listener(rcvbuf=4096)
    s = run("tcp_client_one_megabyte", port, heap="8M")
    a, _ = ls.accept()
    assert s.expect("SEND1") == "False"  # above the high-water mark: wait for drain
    assert s.expect("SEND2") == "False"
    time.sleep(0.5)  # a slow reader: nothing for a while, then small reads with pauses
    got = bytearray()
    a.settimeout(20)
    t0 = time.monotonic()
    while True:
        d = a.recv(8192)
        if not d:
            break
        got += d
        if len(got) < 256 * 1024:
            time.sleep(0.001)
        assert time.monotonic() - t0 < 60
    assert len(got) == 1024 * 1024 + 3
    assert got[-3:] == b"END"
    bad = [off for off in range(0, 1024 * 1024, 4) if int.from_bytes(got[off : off + 4], "big") != off]
    assert not bad, "out of order at %d" % bad[0]
    s.expect("CB1")
    s.expect("CB2")
    assert s.expect("DISCONNECTION") == "0"
    drains, sents, peak = (int(x) for x in s.expect("STATS").split())
    assert drains == 1 and sents == 2
    if target.kind == "micropython":
        # Bounded: the 1 MB buffer exists before `base`; sending it costs little more (no
        # copy: the queue holds memoryview slices of the caller's object).
        print("1 MB send: peak heap above the data itself: %d bytes" % peak)
        assert peak < 4096, peak
    s.wait()


def test_close_flushes_queued_data_first(run):
    ls, port = listener(rcvbuf=4096)
    s = run("tcp_client_close_flushes", port, heap="16M")
    a, _ = ls.accept()
    assert s.expect("RET") == "False"
    s.expect("CLOSED-CALLED")
    time.sleep(0.2)
    assert recv_all(a) == b"z" * 3000000
    assert s.expect("DISCONNECTION") == "0"
    s.wait()


def test_hold_stops_reading_and_unhold_delivers_everything(run):
    ls, port = listener()
    s = run("tcp_client_hold", port)
    a, _ = ls.accept()
    s.expect("HELD")
    data = bytes(range(256)) * 4096  # 1 MB: more than the socket buffers hold
    a.settimeout(20)
    sender = threading.Thread(target=a.sendall, args=(data,))
    sender.start()
    assert s.expect("WHILE-HELD") == "0"  # nothing read while held
    s.expect("UNHELD")
    sender.join(20)
    a.close()
    total = s.expect("DISCONNECTION").split()
    assert total == ["0", str(len(data))]  # every byte arrived after unhold


def test_ttl(run, target):
    ls, port = listener()
    s = run("tcp_client_ttl", port)
    assert s.expect("BAD0") == "ValueError ttl must be in 1..255, got 0"
    assert s.expect("BAD256") == "ValueError ttl must be in 1..255, got 256"
    assert s.expect("BADSTR") == "TypeError ttl must be an int in 1..255, not str"
    if target.chip:
        # No ESP port can set or read the IP TTL (no IP_TTL option in its setsockopt): the user
        # gets a clear EOPNOTSUPP at each call, and the connection itself is unharmed.
        nope = "OSError %d ttl: this port cannot %%s the IP TTL" % target.errno("EOPNOTSUPP")
        assert s.expect("DEFAULT") == nope % "read or set"
        assert s.expect("SET-EARLY") == nope % "read or set"
        a, _ = ls.accept()
        assert s.expect("GET") == nope % "read or set"
        assert s.expect("SET") == nope % "set"
        assert s.expect("GET2") == nope % "read or set"
        assert a.recv(100) == b"after-ttl"
        a.close()
        return
    with open("/proc/sys/net/ipv4/ip_default_ttl") as f:
        assert s.expect("DEFAULT") == "OK %d" % int(f.read())
    assert s.expect("SET-EARLY") == "OK 33"
    a, _ = ls.accept()
    assert s.expect("GET") == "OK 33"
    assert s.expect("SET") == "OK 7"
    assert s.expect("GET2") == "OK 7"
    assert a.recv(100) == b"after-ttl"
    a.close()
