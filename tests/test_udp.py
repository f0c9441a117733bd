# Tests of net's UDP sockets (net.createUDPSocket, the udpsocket class) on every target: what a
# user sees (datagrams, the sender's port and ip, events and their order, error messages).
# MIT licence, see LICENSE.
import os
import socket
import time

import pytest

import harness
from test_multicast import netns, started  # noqa: F401  (fixtures: network namespaces)

ROOT = harness.ROOT


def peer_socket(ip=None):
    # The test's UDP peer, on the host's address (where the board reaches the test).
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ip or harness.host_ip(), 0))
    s.settimeout(10)
    return s


@pytest.mark.parametrize("bind_ip", ["0.0.0.0", "board"])  # any address, or the board's own
def test_receive_reports_real_sender_and_replies(run, target, bind_ip):
    s = run("udp_receiver", bind_ip, board_heap=harness.UDP_RX_HEAP)  # a 65507-byte receive buffer (see there)
    port, ip = s.expect("PORT").split()
    assert ip == (s.ip if bind_ip == "board" else bind_ip)
    port = int(port)
    host = target.host_ip
    a = peer_socket()
    a.sendto(b"hello", (s.ip, port))
    assert s.expect("RECV") == "b'hello' %d %s" % (a.getsockname()[1], host)
    data, frm = a.recvfrom(100)
    assert (data, frm) == (b"echo:hello", (s.ip, port))
    if bind_ip == "0.0.0.0":
        # A second sender on another address (loopback has many; a link's host has one) and
        # port: the event names that one, not the last.
        other = "127.0.0.2" if host == "127.0.0.1" else host
        b = peer_socket(other)
        b.sendto(b"from b", (s.ip, port))
        assert s.expect("RECV") == "b'from b' %d %s" % (b.getsockname()[1], other)
        assert b.recvfrom(100)[0] == b"echo:from b"
        a.sendto(b"a again", (s.ip, port))
        assert s.expect("RECV") == "b'a again' %d %s" % (a.getsockname()[1], host)
        assert a.recvfrom(100)[0] == b"echo:a again"
    a.sendto(b"stop", (s.ip, port))
    s.expect("DONE")  # run() returns once the only socket is closed
    s.wait()


def test_send_binds_a_free_port_and_fires_sent_then_callback(run, target):
    peer = peer_socket()
    s = run("udp_sender", peer.getsockname()[1], board_heap=harness.UDP_RX_HEAP)  # a 65507-byte receive buffer (see there)
    assert s.expect("ADDR-BEFORE") == "(None, None)"
    assert s.expect("SEND-RETURNED") == "True"
    port, ip = s.expect("ADDR-AFTER").split()
    port = int(port)
    assert ip == "0.0.0.0" and 49152 <= port <= 65535
    if target.chip == "rp2":
        # The Pico W's lwIP keeps one packet per unresolved ARP entry (ARP_QUEUEING 0, opt.h 666;
        # etharp.c 1076): of three sent before the host's MAC is known, the last one goes out.
        # Its stack runs beside the program (PendSV), so the answer may come between two sends:
        # then the datagrams before it are lost, those after it arrive. In order, ending "three".
        got = []
        while not got or got[-1][0] != b"three":
            got.append(peer.recvfrom(100))
        assert [d for d, _ in got] == [b"one", b"two", b"three"][3 - len(got):]
    else:
        got = [peer.recvfrom(100) for _ in range(3)]
        assert [d for d, _ in got] == [b"one", b"two", b"three"]
    # getaddr() told the truth: the datagrams came from that port.
    assert {a[1] for _, a in got} == {port}
    # sent fires, then send()'s own callback, for each datagram, after send() returned.
    assert [s.line() for _ in range(5)] == ["SENT", "CB one", "SENT", "CB two", "SENT"]
    peer.sendto(b"reply", (s.ip, port))
    assert s.expect("REPLY") == "b'reply' %d %s" % (peer.getsockname()[1], target.host_ip)
    s.expect("DONE")
    s.wait()


def test_misuse_raises_at_the_call_with_a_clear_message(run, target):
    s = run("udp_misuse", board_heap="256K")  # its over-the-limit datagram is 65508 bytes
    lines = {}
    for _ in range(24):
        ln = s.line()
        k, _, v = ln.partition(" ")
        lines[k] = v
    mx = int(s.expect("MAX"))
    esp = target.chip is not None  # a chip's socket module: the personalities, the lwIP builds
    assert mx == (1472 if esp else 65507)  # docs/udp.md, "Datagram size limit, per port"
    port_rng = "port must be in 1..65535, got %d"
    assert lines["port0"] == "ValueError - " + port_rng % 0
    assert lines["port-big"] == "ValueError - " + port_rng % 65536
    assert lines["port-str"] == "TypeError - port must be an int in 1..65535, not str"
    assert lines["port-bool"] == "TypeError - port must be an int in 1..65535, not bool"
    assert lines["ip-name"] == "ValueError - ip must be a dotted quad like '192.168.4.1', got 'localhost'"
    assert lines["ip-short"] == "ValueError - ip must be a dotted quad like '192.168.4.1', got '10.0.1'"
    assert lines["ip-int"] == "ValueError - ip must be a dotted quad like '192.168.4.1', got 167772161"
    assert lines["empty"] == "ValueError - data must not be empty (a UDP datagram of 0 bytes carries nothing)"
    assert lines["empty-str"] == lines["empty"]
    assert lines["over"] == "ValueError - data is %d bytes, over this port's datagram limit of %d" % (mx + 1, mx)
    assert lines["type"] == "TypeError - data must be bytes, bytearray, memoryview or str, not int"
    assert lines["cb"] == "TypeError - callback must be callable or None, not str"
    assert lines["STILL-UNBOUND"] == "(None, None)"  # a refused send binds nothing
    assert lines["listen-port"] == "ValueError - port must be in 0..65535, got -1"
    assert lines["listen-ip"] == "ValueError - ip must be a dotted quad like '192.168.4.1', got 'any'"
    assert lines["event"].startswith("ValueError - event must be one of error, receive, sent, dns, got 'connection'")
    assert lines["ttl-0"] == "ValueError - ttl must be in 1..255, got 0"
    assert lines["ttl-256"] == "ValueError - ttl must be in 1..255, got 256"
    assert lines["ttl-str"] == "TypeError - ttl must be an int in 1..255, not str"
    assert lines["dns-host"] == "TypeError - host must be a name or a dotted quad (str), not 5"
    ealready, ebadf = (int(x) for x in s.expect("ERRNO").split())
    assert lines["listen-twice"].startswith("OSError %d listen: already bound to 0.0.0.0:" % ealready)
    assert lines["send-closed"] == "OSError %d send: the udpsocket is closed" % ebadf
    assert lines["listen-closed"] == "OSError %d listen: the udpsocket is closed" % ebadf
    assert lines["ttl-closed"] == "OSError %d ttl: the udpsocket is closed" % ebadf
    s.expect("DONE")
    s.wait()


def test_address_in_use_is_an_error_event_and_nothing_listens(run, target):
    if target.board_ip != "127.0.0.1":
        pytest.skip("the test's own socket takes the port, which the board sees only when it shares the host's stack (loopback)")
    taken = peer_socket()
    s = run("udp_address_in_use", taken.getsockname()[1])
    assert s.expect("LISTEN-RETURNED") == "(None, None)"
    assert s.expect("ERROR") == "True (None, None)"
    assert s.expect("NOW") == "True"
    s.expect("DONE")
    s.wait()


_IP_RECVTTL = getattr(socket, "IP_RECVTTL", 12)  # Linux; CPython 3.11 has no name for it


def test_ttl_sets_the_ttl_seen_on_the_wire_and_reads_it_back(run, target):
    peer = peer_socket()
    peer.setsockopt(socket.IPPROTO_IP, _IP_RECVTTL, 1)
    s = run("udp_ttl", peer.getsockname()[1])
    if target.chip:  # a chip's socket module (personalities, lwIP builds): the chip cannot
        assert s.expect("DEFAULT") == "OSError True ttl: this port cannot read or set the IP TTL"
        assert s.expect("SET") == "OSError True ttl: this port cannot set the IP TTL"
        assert s.expect("NOW") == "OSError True ttl: this port cannot read or set the IP TTL"
        data, anc, _, _ = peer.recvmsg(100, socket.CMSG_SPACE(4))
        assert data == b"ttl7"  # sent with the stack's default TTL
        s.expect("DONE")
        s.send("\n")
        s.wait()
        return
    with open("/proc/sys/net/ipv4/ip_default_ttl") as f:
        assert int(s.expect("DEFAULT")) == int(f.read())
    assert s.expect("SET") == "7"
    assert s.expect("NOW") == "7"
    data, anc, _, _ = peer.recvmsg(100, socket.CMSG_SPACE(4))
    assert data == b"ttl7"
    ttls = [int.from_bytes(d[:4], "little") for lvl, typ, d in anc if lvl == socket.IPPROTO_IP and typ == socket.IP_TTL]
    assert ttls == [7]
    s.expect("DONE")
    s.send("\n")
    s.wait()


def boom(run, handler):
    # The echo scenario whose receive callback raises at b"boom" ("err": with an error handler),
    # sent b"boom" by a peer of the test's: -> (scenario, peer, the scenario's port).
    s = run("udp_raising_receive", handler, board_heap=harness.UDP_RX_HEAP)  # a 65507-byte receive buffer (see there)
    port = int(s.expect("PORT"))
    a = peer_socket()
    a.sendto(b"boom", (s.ip, port))
    return s, a, port


def test_raising_receive_callback_goes_to_error_event_and_socket_stays(run):
    s, a, port = boom(run, "err")
    assert s.expect("ERROR") == "ValueError receive callback failed"
    a.sendto(b"after", (s.ip, port))
    assert a.recvfrom(100)[0] == b"after"
    s.kill()


def test_raising_receive_callback_without_error_handler_prints_and_closes(run):
    s, a, port = boom(run, "noerr")
    s.expect("ValueError: receive callback failed")
    s.expect("DONE")  # the socket was closed, so run() had nothing left to watch
    s.wait()


def test_dns_callback_becomes_the_handler_and_answers_on_a_later_turn(run):
    # NodeMCU's socket:dns(domain, fn) stores fn as the socket's `dns` callback (its net.c,
    # net_dns): fn answers this lookup and the next ones; without fn the handler answers.
    s = run("udp_dns")
    assert s.line() == "NONE TypeError dns(host, callback): no callback given and no `dns` handler set"
    assert [s.line() for _ in range(4)] == ["RETURNED", "CB True 127.0.0.1", "CB True 127.0.0.2", "DONE"]
    s.wait()


ECHO_EXAMPLE = os.path.join(ROOT, "examples", "udp_echo.py")


def test_udp_echo_example(run, target):
    s = run(ECHO_EXAMPLE, 0, board_heap=harness.UDP_RX_HEAP)  # a 65507-byte receive buffer (see there)
    port = int(s.expect("udp echo listening on port"))
    a = peer_socket()
    for msg in (b"one", b"two" * 100, b"\x00\xffbinary"):
        a.sendto(msg, (s.ip, port))
        assert a.recvfrom(1000) == (msg, (s.ip, port))
    assert s.expect("from") == "%s:%d: 3 bytes" % (target.host_ip, a.getsockname()[1])
    s.kill()


def test_datagram_flood_keeps_the_heap_bounded_and_the_socket_serving(run, target):
    a = peer_socket()
    s = run("udp_flood", a.getsockname()[1], heap="256K" if target.micropython else None)
    port = int(s.expect("PORT"))
    dst = (s.ip, port)
    payload = b"x" * 32
    t0 = time.monotonic()
    sent = 0
    for i in range(10000):
        try:
            a.sendto(payload, dst)
            sent += 1
        except OSError:  # the local stack refused one (ENOBUFS): counts as dropped
            pass
        if time.monotonic() - t0 > 30:
            break
    # The end marker may be dropped too when the target's buffer is full: repeat it.
    deadline = time.monotonic() + 30
    while "RECEIVED" not in s.output and time.monotonic() < deadline and s.p.poll() is None:
        a.sendto(b"end", dst)
        time.sleep(0.2)
    received = int(s.expect("RECEIVED"))
    assert 0 < received <= sent
    if target.micropython:
        base, peak, after = (int(x) for x in s.expect("HEAP").split())
        # No queue grows with the flood: after a collection the heap holds what it held before,
        # give or take a datagram and the loop's bookkeeping.
        assert peak < 4096, "heap grew by %d bytes during the flood" % peak
        assert after < 4096, "heap grew by %d bytes after the flood" % after
        print("flood: sent %d, received %d, heap base %d, peak growth %d, after %d" % (sent, received, base, peak, after))
    assert a.recvfrom(100)[0] == b"alive"
    s.expect("DONE")
    s.wait()


def test_a_flood_is_read_rxburst_datagrams_per_turn_and_starves_no_other_socket(run, target):
    # docs/reliability.md, Limits: at most rxburst (8) datagrams per socket per loop turn, so
    # that 30 datagrams waiting for one socket take 4 turns, and another socket's datagram
    # waiting at the same time is received in the first of them, not after the 30. A chip's
    # stack keeps only a few per socket and drops the rest (modlwip 4, ESP-IDF 6:
    # board/_lwipemu.py): net reads those in one turn and keeps no queue of its own.
    n = 6 if target.chip == "esp32" else 4 if target.chip else 30
    s = run("udp_burst", n)
    pa, pb = (int(x) for x in s.expect("PORTS").split())
    u = peer_socket()
    for i in range(30):
        u.sendto(b"a%d" % i, (s.ip, pa))
    u.sendto(b"b", (s.ip, pb))
    turns_a = [int(x) for x in s.expect("A", timeout=20).split()]
    turns_b = [int(x) for x in s.expect("B").split()]
    per_turn = [turns_a.count(t) for t in sorted(set(turns_a))]
    assert len(turns_a) == n, turns_a
    assert per_turn == ([8, 8, 8, 6] if n == 30 else [n]), per_turn
    assert turns_b == [turns_a[0]], (turns_a, turns_b)
    s.wait()
    u.close()


def test_send_queue_waits_for_the_stack_in_order_and_is_bounded(target, netns, started):
    from test_multicast import _ip, start_in, veth_pair

    if target.chip:
        pytest.skip("the scaffolding shrinks SO_SNDBUF, which lwIP has not; on a board lwIP's ENOMEM fills the queue")
    try:
        a, ia, b, ib = veth_pair(netns)
        va = "vmA" + ia.split(".")[2]
        # A slow link out of A: 200 kbit/s, a deep queue (datagrams wait, none are dropped).
        _ip("netns", "exec", a, "tc", "qdisc", "add", "dev", va, "root", "tbf", "rate", "200kbit", "burst", "1600", "limit", "1000000")
    except OSError as e:
        pytest.skip("no veth pair with a tbf qdisc here: %s" % e)
    rx = netns.socket(b, socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind((ib, 0))
    rx.settimeout(20)
    s = start_in(target, a, "udp_queue", ib, rx.getsockname()[1], started=started)
    accepted, full = [], []
    for _ in range(12):
        k, _, v = s.line(timeout=20).partition(" ")
        if k == "ACCEPTED":
            accepted.append(int(v))
        else:
            assert k == "FULL", k
            i, ok, msg = v.split(" ", 2)
            assert ok == "True" and msg == "send: 4 datagrams already wait for the network stack"
            full.append(int(i))
    queued = int(s.expect("QUEUED"))
    # Some went straight to the stack, then up to txqueue=4 waited, then send() refused.
    assert queued == 4 and full and accepted == list(range(len(accepted)))
    assert full == list(range(len(accepted), 12))
    got = [rx.recvfrom(2000)[0] for _ in accepted]
    assert got == [bytes([65 + i]) * 1000 for i in accepted]  # all of them, in order
    assert [s.expect("SENT") for _ in accepted] == [str(i) for i in accepted]
    s.expect("DONE")
    s.wait()


def test_addresses_are_none_once_closed(run, target):
    # NodeMCU's getaddr() answers nil, nil for a closed socket (issue #19): so does net's.
    s = run("udp_closed_addresses")
    assert s.expect("OPEN") == "True %s" % s.ip
    assert s.expect("CLOSED") == "(None, None)"
    s.wait()


def test_listen_with_the_port_omitted(run, target):
    # NodeMCU's udpsocket:listen([port], [ip]): listen(ip) binds a free port on that address.
    s = run("udp_listen_ip_only")
    port, ip = s.expect("ADDR").split()
    assert ip == s.ip and 49152 <= int(port) <= 65535
    peer = peer_socket()
    peer.sendto(b"hi", (s.ip, int(port)))
    assert s.expect("GOT") == "b'hi' %s" % target.host_ip
    s.wait()
    peer.close()


@pytest.mark.targets("micropython", reason="a receive that finds no heap: CPython has no heap limit to run into")
def test_a_receive_without_heap_is_reported_once_and_retried(run, target):
    # rxsize larger than the heap: every recvfrom() fails with MemoryError while the datagram
    # waits in the stack. The `error` event says so once (not on every loop turn); the handler
    # lowers rxsize, and the datagram arrives on the retry, 100 ms later.
    s = run("udp_receive_no_heap")
    port = int(s.expect("PORT"))
    peer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    peer.sendto(b"hello", (s.ip, port))
    assert s.expect("ERROR") == "1 MemoryError"
    assert s.expect("GOT") == "b'hello' 1"
    s.wait()
    peer.close()
