# socket() fails (EMFILE) for a client, a UDP socket and a server's listen, then works again, for
# tests/test_faults.py.
# MIT licence, see LICENSE. argv: the test's server port.
import net
from scen import say, arg, BOARD_IP, HOST_IP
from tcp_util import log_socket, log_server, attempt
import net_faults
# socket() calls 1..3 fail with EMFILE: a client connect, a UDP socket, a server's listen.
net_faults.configure("socket=EMFILE:1-3")
c = net.createConnection()
log_socket(c, "C")
c.connect(arg(0), HOST_IP)         # its socket cannot be made: an event, not an exception
net.run()
attempt("UDP", net.createUDPSocket) # a UDP socket is made at the call: OSError(EMFILE) there
srv = net.createServer(net.TCP, 5)
log_server(srv)
srv.listen(0, BOARD_IP)            # the listening socket: the server's error event
net.run()
say("LISTENING?", srv.getaddr())
c.connect(arg(0), HOST_IP)         # socket() works again: the same object connects
net.run()
u = net.createUDPSocket()
say("UDP2", u.getaddr())
u.close()
say("FAULTS", net_faults.stats["socket"])
