# Tests of the runtime adapter, the event emitter and the emulated board's network module, on
# every target. MIT licence, see LICENSE.
import socket


def test_runtime_adapter(run, target):
    s = run.code(r"""
from scen import say, BOARD_IP
from net import _rt, _rtopt
# validation messages name the argument and the allowed range
for bad in (-1, 65536, 1.5, "80", None, True):
    try:
        _rt.check_port(bad)
        say("ACCEPTED", repr(bad))
    except (TypeError, ValueError) as e:
        say(type(e).__name__, e)
say("IP", _rt.is_ip("192.168.4.1"), _rt.is_ip("256.1.1.1"), _rt.is_ip("1.2.3"), _rt.is_ip("a.b.c.d"), _rt.is_ip(""), _rt.is_ip(None))
try:
    _rt.check_ip("example.com")
except ValueError as e:
    say("ValueError", e)
# addresses: whatever the port speaks, net sees (ip, port)
say("PEER", _rt.peer(_rt.sockaddr("127.0.0.1", 4242)))
# ticks: differences survive the wrap
t = _rt.ticks_ms()
say("TICKS", _rt.ticks_diff(_rt.ticks_add(t, 1500), t), _rt.ticks_diff(t, _rt.ticks_add(t, 1500)))
# a free port chosen by net, bound for real
s = _rt.new_socket()
port = _rt.bind_free(s, BOARD_IP)
s.listen(1)
say("FREE", port)
s.setblocking(True)
c, a = s.accept()                      # the pytest side connects to the port net chose
say("ACCEPTED", _rt.peer(a)[0])
c.close()
say("AGAIN", _rt.EAGAIN in _rt.AGAIN, _rt.EINPROGRESS in _rt.CONNECTING)
e = OSError(_rt.ECONNRESET)
say("ERRNO", _rt.errno_of(e) == _rt.ECONNRESET)
try:
    _rtopt.set_ttl(_rt.new_socket(), 7) if _rtopt.CAN_TTL else _rtopt.set_ttl(None, 7)
    say("TTL", "set")
except OSError as e:
    say("TTL", "refused", e)
""")
    assert s.next_lines(10) == [
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


def test_emitter(run):
    s = run.code(r"""
from scen import say
from net._emit import Emitter

class Thing(Emitter):
    _EVENTS = ("error", "receive", "sent")
    closed = False
    def close(self):
        self.closed = True
        say("CLOSED")

def got(t, a):
    say("GOT", a)

a = Thing()
b = Thing()
try:
    a.on("recieve", got)
except ValueError as e:
    say("ValueError", e)
try:
    a.on("receive", 42)
except TypeError as e:
    say("TypeError", e)
say("EMIT-NONE", a._emit1(1, "x"))     # nothing registered: nothing runs
a.on("receive", got)
say("EMIT", a._emit1(1, "x"))
b._handlers = a._handlers              # share, as a server shares with its connections
b.on("receive", got)                   # identical: no copy
say("SHARED", b._handlers is a._handlers)
b.on("sent", got)                      # different: b gets its own list, a is unchanged
say("COPIED", b._handlers is not a._handlers, a._handlers[2] is None, b._handlers[2] is got)
a.on("receive", None)                  # fn=None removes
say("REMOVED", a._emit1(1, "y"))
def bad(t, a):
    raise KeyError("oops")
a.on("receive", bad)
a._emit1(1, "z")                       # no error handler: printed, object closed
say("A-CLOSED", a.closed)
def on_error(t, exc):
    say("ERROR-EVENT", type(exc).__name__)
b.on("receive", bad)
b.on("error", on_error)
b._emit1(1, "z")                       # error handler: it gets the exception, no close
say("B-CLOSED", b.closed)
""")
    assert s.next_lines(8) == [
        "ValueError event must be one of error, receive, sent, got 'recieve'",
        "TypeError fn must be callable or None, not int",
        "EMIT-NONE False",
        "GOT x",
        "EMIT True",
        "SHARED True",
        "COPIED True True True",
        "REMOVED False",
    ]
    assert "oops" in s.expect("KeyError")  # the traceback's last line (wording differs per runtime)
    assert s.expect("CLOSED") == ""
    assert s.line() == "A-CLOSED True"
    assert s.line() == "ERROR-EVENT KeyError"
    assert s.line() == "B-CLOSED False"
    s.wait()


def test_emulated_board_network(run, target):
    s = run.code(r"""
from scen import say
import network
sta = network.WLAN(network.STA_IF)
ap = network.WLAN(network.AP_IF)
say("SAME", network.WLAN(0) is sta)
say("STA", sta.active(), sta.isconnected(), sta.ifconfig())
say("AP", ap.ifconfig()[:3])
say("ADDR4", sta.ipconfig("addr4"), sta.ipconfig("gw4"), sta.ipconfig("dhcp4"))
mac = sta.config("mac")
say("MAC", len(mac), ":".join("%02x" % b for b in mac))
say("DNS", network.ipconfig("dns"))
network.ipconfig(dns="127.0.0.9")
say("DNS", network.ipconfig("dns"), sta.ifconfig()[3])
try:
    network.WLAN(5)
except ValueError as e:
    say("ValueError", e)
try:
    sta.scan()
except OSError as e:
    say("SCAN", "refused")
""", env={"NET_BOARD_DNS": ""})
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
