# A UDP socket that sends three datagrams (a free port bound at the first), then waits for a
# reply, for tests/test_udp.py.
# MIT licence, see LICENSE. argv: the test's port.
from scen import say, arg, HOST_IP
import net
u = net.createUDPSocket()
say("ADDR-BEFORE", u.getaddr())
order = []
u.on("sent", lambda s: say("SENT"))
u.on("receive", lambda s, d, port, ip: (say("REPLY", repr(d), port, ip), s.close()))
r = u.send(arg(0), HOST_IP, "one", lambda s: say("CB", "one"))
say("SEND-RETURNED", r)
u.send(arg(0), HOST_IP, bytearray(b"two"), lambda s: say("CB", "two"))
u.send(arg(0), HOST_IP, memoryview(b"xthree")[1:])
p, ip = u.getaddr()
say("ADDR-AFTER", p, ip)
net.run()
say("DONE")
