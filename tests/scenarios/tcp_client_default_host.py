# A client that connects with no host given (NodeMCU's 127.0.0.1), for tests/test_tcp_socket.py.
# MIT licence, see LICENSE. argv: the test's server port.
from scen import say, arg
from tcp_util import log_socket
import net
c = net.createConnection()
log_socket(c, "C")
c.on("connection", lambda c: (say("C CONNECTION", c.getpeer()), c.close()))
c.connect(arg(0))
net.run()
