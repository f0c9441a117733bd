# A client refused: one event, the port's errno, for tests/test_connect.py.
# MIT licence, see LICENSE. argv: the test's port (nothing listens).
from scen import say, arg, HOST_IP
from tcp_util import log_socket
import net
c = net.createConnection()
log_socket(c, "C", reconnection=True)
c.connect(arg(0), HOST_IP)
net.run()
say("DONE")
