# A client whose connect waits in a full accept queue: it counts loop turns until connected, for
# tests/test_connect.py.
# MIT licence, see LICENSE. argv: the test's server port.
from scen import say, arg, HOST_IP
from tcp_util import log_socket
import net
from net import _rt
c = net.createConnection()
log_socket(c, "C")
up = []
c.on("connection", lambda c: (up.append(1), say("C CONNECTION")))
c.connect(arg(0), HOST_IP)
c.send(b"early")              # queued while connecting
say("CONNECTING")
turns = 0
t0 = _rt.ticks_ms()
while not up and turns < 1000000:
    net.poll(1000)
    turns += 1
say("TURNS", turns, _rt.ticks_diff(_rt.ticks_ms(), t0))
net.run()
say("DONE")
