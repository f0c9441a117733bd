# A TLS client waiting for its handshake while a plain client on the same loop is served, for
# tests/test_tls.py.
# MIT licence, see LICENSE. argv: the TLS server's port, the plain server's port.
from scen import say, arg, HOST_IP
from tcp_util import log_socket
import net
a = net.createConnection(net.TCP, 1)
log_socket(a, "A")
a.on("receive", lambda a, d: (say("A RECEIVE", repr(bytes(d))), a.close()))
a.connect(arg(0), HOST_IP)
say("A QUEUED", a.send(b"early"))     # before the handshake: queued, sent once it is over
b = net.createConnection()
b.on("connection", lambda b: b.send(b"ping"))
b.on("receive", lambda b, d: (say("B RECEIVE", repr(bytes(d))), b.close()))
b.connect(arg(1), HOST_IP)
net.run()
say("END")
