# A client's ttl(): argument checks, before connecting and on the connection, for
# tests/test_tcp_socket.py.
# MIT licence, see LICENSE. argv: the test's server port.
from scen import arg, HOST_IP
from tcp_util import attempt
import net
c = net.createConnection()
attempt("BAD0", c.ttl, 0)
attempt("BAD256", c.ttl, 256)
attempt("BADSTR", c.ttl, "5")
attempt("DEFAULT", c.ttl)
attempt("SET-EARLY", c.ttl, 33)     # before connecting: applied at connect
def on_conn(c):
    attempt("GET", c.ttl)
    attempt("SET", c.ttl, 7)
    attempt("GET2", c.ttl)
    c.send(b"after-ttl")
c.on("connection", on_conn)
c.connect(arg(0), HOST_IP)
net.run()
