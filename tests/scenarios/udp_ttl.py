# A UDP socket's ttl() read, set and read again, then one datagram sent, for tests/test_udp.py.
# MIT licence, see LICENSE. argv: the test's port.
from scen import say, arg, HOST_IP
import net
from net import _rt
u = net.createUDPSocket()
for label, n in (("DEFAULT", None), ("SET", 7), ("NOW", None)):
    try:
        say(label, u.ttl(n))
    except OSError as e:   # ESP ports: no TTL option
        say(label, "OSError", _rt.errno_of(e) == _rt.EOPNOTSUPP, e.args[-1])
u.send(arg(0), HOST_IP, b"ttl7", lambda s: s.close())
net.run()
say("DONE")
# A board's stack outlives the program: the datagram may still wait for ARP in lwIP (the first
# send of a cold cache). Stay up until the test has it.
import sys
sys.stdin.readline()
