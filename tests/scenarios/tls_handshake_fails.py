# A TLS client whose handshake fails: one event, with its errno, for tests/test_tls.py.
# MIT licence, see LICENSE. argv: the test's server port, 1 (a reconnection handler) or 0,
# handshakeTimeout (s).
from scen import say, arg, HOST_IP
from tcp_util import log_socket
import net
c = net.createConnection(net.TCP, True)
c.handshakeTimeout = arg(2)
log_socket(c, "C", reconnection=arg(1))
c.connect(arg(0), HOST_IP)
net.run()
say("END")
