# A client busy for 0.5 s after connect(), while the peer accepts, sends and closes, for
# tests/test_connect.py.
# MIT licence, see LICENSE. argv: the test's server port.
from scen import say, arg, HOST_IP
from tcp_util import log_socket
import net
import time
c = net.createConnection()
log_socket(c, "C", reconnection=True)
c.connect(arg(0), HOST_IP)
say("CONNECTING")
time.sleep(0.5)               # the peer accepts, sends and closes before net looks
net.run()
say("DONE")
