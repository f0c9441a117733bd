# Tests of the runtime adapter, the event emitter and the emulated board's network module, on
# every target. MIT licence, see LICENSE.
import socket


# What scenarios/foundation_runtime_adapter.py says first: the argument checks' messages (they
# name the argument and the allowed range), addresses, ticks across the wrap.
RUNTIME_ADAPTER = [
    "ValueError port must be in 0..65535, got -1",
    "ValueError port must be in 0..65535, got 65536",
    "TypeError port must be an int in 0..65535, not float",
    "TypeError port must be an int in 0..65535, not str",
    "TypeError port must be an int in 0..65535, not NoneType",
    "TypeError port must be an int in 0..65535, not bool",
    "IP True False False False False False",
    "ValueError ip must be a dotted quad like '192.168.4.1', got 'example.com'",
    "PEER ('127.0.0.1', 4242)",
    "TICKS 1500 -1500",
]


def test_runtime_adapter(run, target):
    s = run("foundation_runtime_adapter")
    assert s.next_lines(len(RUNTIME_ADAPTER)) == RUNTIME_ADAPTER
    port = int(s.expect("FREE"))
    assert 49152 <= port <= 65535
    c = socket.create_connection((s.ip, port), timeout=5)  # really listening there
    assert s.line() == "ACCEPTED %s" % target.host_ip
    c.close()
    assert s.line() == "AGAIN True True"
    assert s.line() == "ERRNO True"
    if target.chip:  # a board personality: no ESP port can set the IP TTL, net refuses clearly
        ln = s.line()
        assert ln.startswith("TTL refused [Errno %d]" % target.errno("EOPNOTSUPP")), ln
        assert ln.endswith("ttl: this port cannot set the IP TTL"), ln
    else:  # CPython and the unix port (Linux) can set the TTL
        assert s.line() == "TTL set"
    s.wait()


# What scenarios/foundation_emitter.py says first: registering (a misspelt event, a handler that
# is not callable), emitting, sharing and copying a handler list, removing a handler.
EMITTER = [
    "ValueError event must be one of error, receive, sent, got 'recieve'",
    "TypeError fn must be callable or None, not int",
    "EMIT-NONE False",
    "GOT x",
    "EMIT True",
    "SHARED True",
    "COPIED True True True",
    "REMOVED False",
]


def test_emitter(run):
    s = run("foundation_emitter")
    assert s.next_lines(len(EMITTER)) == EMITTER
    assert "oops" in s.expect("KeyError")  # the traceback's last line (wording differs per runtime)
    assert s.expect("CLOSED") == ""
    assert s.line() == "A-CLOSED True"
    assert s.line() == "ERROR-EVENT KeyError"
    assert s.line() == "B-CLOSED False"
    s.wait()


def test_emulated_board_network(run, target):
    s = run("foundation_board_network", env={"NET_BOARD_DNS": ""})
    assert s.line() == "SAME True"
    # The station: on loopback, or on a firmware with a link of its own (the lwIP targets,
    # NET_IP) at the board's address on the link's /24, the host as its gateway.
    if target.board_ip == "127.0.0.1":
        ip, mask, gw = "127.0.0.1", "255.0.0.0", "127.0.0.1"
    else:
        ip, mask, gw = s.ip, "255.255.255.0", target.host_ip
    assert s.next_lines(8) == [
        "STA True True ('%s', '%s', '%s', '127.0.0.53')" % (ip, mask, gw),
        "AP ('127.0.4.1', '255.255.255.0', '127.0.4.1')",
        "ADDR4 ('%s', '%s') %s True" % (ip, mask, gw),
        "MAC 6 02:4e:45:54:00:01",
        "DNS 127.0.0.53",
        "DNS 127.0.0.9 127.0.0.9",
        "ValueError invalid WLAN interface identifier",
        "SCAN refused",
    ]
    s.wait()
