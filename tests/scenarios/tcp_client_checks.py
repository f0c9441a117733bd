# A client's argument checks and states (connect twice, send before and after), for
# tests/test_tcp_socket.py.
# MIT licence, see LICENSE. argv: the test's server port.
from scen import say, arg, HOST_IP
from tcp_util import attempt, log_socket
import net
c = net.createConnection()
for bad in (0, 65536, "80", 1.5):
    attempt("PORT", c.connect, bad)
attempt("HOST", c.connect, 80, 127)
attempt("SEND-FRESH", c.send, b"x")
attempt("TYPE", net.createConnection, 3)
attempt("TLS", net.createConnection, net.TCP, 1)
say("UDP", type(net.createConnection(net.UDP)).__name__)
log_socket(c, "C")
c.connect(arg(0), HOST_IP)
attempt("TWICE", c.connect, arg(0), HOST_IP)
def on_conn(c):
    attempt("TWICE2", c.connect, arg(0), HOST_IP)
    attempt("EMPTY", c.send, b"")
    attempt("BADDATA", c.send, 5)
    attempt("BADCB", c.send, b"x", 5)
    c.close()
    attempt("SEND-CLOSED", c.send, b"x")
    c.close()                 # closing again does nothing
c.on("connection", on_conn)
net.run()
say("DONE")
