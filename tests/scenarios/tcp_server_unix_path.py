# A server listening on a unix-domain path (Node's path form), for tests/test_tcp_server.py.
# MIT licence, see LICENSE. argv: the socket's path.
from scen import say, arg
from tcp_util import log_server
import net
srv = net.createServer()
log_server(srv)
def on_conn(srv, c):
    say("CONN", c.getpeer())
    c.on("receive", lambda c, d: c.send(b"unix:" + d))
srv.on("connection", on_conn)
srv.listen(arg(0), lambda srv: say("LISTENING-CB", srv.address()))   # Node's path form
say("ADDR", srv.address(), srv.getaddr())
net.run()
