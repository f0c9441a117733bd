# Tests of net.ping (NodeMCU's ESP8266 net.ping: ICMP echo) on every target: answers from the
# host, by address and by name (a test DNS server knows it), requests nobody answers, a name that
# does not resolve, the summary at the end, and the
# argument errors. Raw sockets need root on a host: without it ping raises EOPNOTSUPP, which is
# what the test then checks. MIT licence, see LICENSE.
import os

import pytest


def _no_raw(s, target):
    # Without root a host has no raw sockets; the scenario says EOPNOTSUPP instead.
    first = s.line(timeout=15)
    if first.startswith("OSERROR"):
        assert first == "OSERROR %d" % target.errno("EOPNOTSUPP")
        if os.geteuid() != 0:
            pytest.skip("raw ICMP sockets need root on a host (net.ping raised EOPNOTSUPP, as it should)")
        pytest.fail("net.ping raised EOPNOTSUPP although this host runs as root", pytrace=False)
    return first


def test_ping_the_host_gets_every_answer_then_the_summary(run, target):
    s = run("ping_run", target.host_ip, "", 3)
    lines = [_no_raw(s, target)] + [s.line(timeout=10) for _ in range(2)]
    assert lines == ["RX 40 %s %d rtt" % (target.host_ip, n) for n in (1, 2, 3)]
    assert s.line(timeout=5) == "END %s 3 0 120 True" % target.host_ip
    assert s.line() == "DONE"
    s.wait()


def test_ping_nobody_answers_counts_every_request_lost(run, target):
    # 192.0.2.99: an address of the TEST-NET block that no host of the test holds (on a host
    # target there is no route to it either; on the lwIP targets nobody answers on the link).
    s = run("ping_run", "192.0.2.99", "", 2)
    lines = [_no_raw(s, target), s.line(timeout=5)]
    assert lines == ["RX 0 192.0.2.99 1 None", "RX 0 192.0.2.99 2 None"]
    assert s.line(timeout=5) == "END 192.0.2.99 2 2 0 True"
    assert s.line() == "DONE"
    s.wait()


@pytest.fixture
def name_server(target):
    # A DNS server that knows the host by name ("host.test"), made once per network (inside
    # it: after `target`), at an address of its own that the board reaches (port 53).
    import harness
    from dnsserver import ZoneServer, per_network

    if not harness.host_addresses():
        pytest.skip("the test's DNS server needs an address of its own on the board's network (port 53), and the host has "
                    "one address on %s's network" % target.name)
    zone = {"host.test": [("A", target.host_ip, 300)]}
    srv = per_network("test_ping.zone.%s" % target.host_ip, lambda: ZoneServer(zone))
    srv.reset()  # the query count, per test
    return srv


@pytest.fixture(scope="module", autouse=True)
def _stop_servers():
    yield
    import dnsserver

    dnsserver.stop_all("test_ping.")


def test_ping_by_name_resolves_then_pings_the_address(run, target, name_server):
    s = run("ping_run", "host.test", name_server.ip, 2)
    lines = [_no_raw(s, target), s.line(timeout=10)]
    assert lines == ["RX 40 %s %d rtt" % (target.host_ip, n) for n in (1, 2)]
    assert s.line(timeout=5) == "END %s 2 0 80 True" % target.host_ip
    assert s.line() == "DONE"
    s.wait()
    assert name_server.count("host.test") == 1


def test_ping_a_name_that_does_not_resolve_says_so_once(run, target, name_server):
    # NodeMCU: received(0, None, None, None) and nothing else (no summary).
    s = run("ping_run", "nowhere.test", name_server.ip, 2)
    assert _no_raw(s, target) == "RX 0 None None None"
    assert s.line(timeout=10) == "DONE"
    s.wait()
    assert "END" not in s.output


# What each of scenarios/ping_bad_args.py's calls raises, by its label.
BAD_ARGS = {
    "HOST": "TypeError host must be a name or a dotted quad (str), not 5",
    "EMPTY": "TypeError host must be a name or a dotted quad (str), not ''",
    "COUNT0": "ValueError count must be an int 1 or more, got 0",
    "COUNTSTR": "ValueError count must be an int 1 or more, got '3'",
    "NORX": "TypeError received must be callable: received(bytes, ip, seqno, rtt)",
    "BADTX": "TypeError sent must be callable or None, not int",
}


def test_ping_names_the_bad_argument(run, target):
    s = run("ping_bad_args")
    for label, want in BAD_ARGS.items():
        assert s.expect(label) == want
    s.expect("DONE")
    s.wait()
