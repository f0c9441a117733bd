# A client that connects, sends in every form, prints its addresses and events, for
# tests/test_tcp_socket.py.
# MIT licence, see LICENSE. argv: the test's server port.
from scen import say, arg, HOST_IP
from tcp_util import log_socket
import net
c = net.createConnection(net.TCP)
say("BEFORE", c.getpeer(), c.getaddr())
log_socket(c, "C")
def on_conn(c):
    say("ADDR", c.getpeer()[0], c.getpeer()[1], c.getaddr()[0], c.getaddr()[1])
    r = c.send("hello ", lambda c: say("CB1"))
    c.send(b"wor", lambda c: say("CB2"))
    c.send(bytearray(b"ld"))
    c.send(memoryview(b"!!xx")[:2], lambda c: say("CB3"))
    say("RET", r)
c.on("connection", on_conn)
c.connect(arg(0), HOST_IP)
say("CONNECTING")
net.run()
say("RUN-RETURNED", c.getpeer(), c.getaddr())
