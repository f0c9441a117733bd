# The runtime adapter (net._rt): argument checks, addresses, ticks, a free port, errnos, the TTL,
# for tests/test_foundation.py.
# MIT licence, see LICENSE.
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
