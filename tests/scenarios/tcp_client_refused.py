# A client refused twice (a closed socket connects again), for tests/test_tcp_socket.py.
# MIT licence, see LICENSE. argv: the test's port (nothing listens), "re" (a reconnection handler)
# or "dis".
from scen import say, arg, HOST_IP
from tcp_util import log_socket
import net
c = net.createConnection()
log_socket(c, "C", reconnection=arg(1) == "re")
c.connect(arg(0), HOST_IP)
net.run()
say("AGAIN")
c.connect(arg(0), HOST_IP) # a closed socket may connect again
net.run()
say("DONE")
