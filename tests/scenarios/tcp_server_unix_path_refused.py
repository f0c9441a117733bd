# listen(path) on a runtime without unix-domain sockets, for tests/test_tcp_server.py.
# MIT licence, see LICENSE. argv: the socket's path.
from scen import say, arg
from tcp_util import attempt, log_server
import net
srv = net.createServer()
log_server(srv)
attempt("LISTEN", srv.listen, arg(0), lambda c: None)
say("ADDR", srv.address(), srv.getaddr())
