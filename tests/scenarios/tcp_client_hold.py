# A client that holds its connection for 1.5 s, then unholds, counting what it receives, for
# tests/test_tcp_socket.py.
# MIT licence, see LICENSE. argv: the test's server port.
from scen import say, arg, HOST_IP
import net
from net._loop import Timer
c = net.createConnection()
n = [0]
def on_receive(c, d):
    n[0] += len(d)
def on_conn(c):
    c.hold()
    say("HELD")
c.on("connection", on_conn)
c.on("receive", on_receive)
c.on("disconnection", lambda c, e: say("DISCONNECTION", e, n[0]))
c.connect(arg(0), HOST_IP)
def cmd(_):
    # 1.5 s after connecting (pytest has been sending all along): report, then unhold.
    say("WHILE-HELD", n[0])
    c.unhold()
    say("UNHELD")
Timer(cmd).start(1500)
net.run()
