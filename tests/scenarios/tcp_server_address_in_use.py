# A server told EADDRINUSE: the error event, close(), listen again (Node's retry), for
# tests/test_tcp_server.py.
# MIT licence, see LICENSE.
from scen import say, BOARD_IP
from tcp_util import err_line, log_server
import net
from plain_socket import bound
busy, port = bound()
busy.listen(1)
srv = net.createServer()
log_server(srv)
def on_error(srv, e):
    say("SRV ERROR", err_line(e))
    say("STATE", srv.getaddr(), srv.address())
    srv.close(lambda srv, err: (say("CLOSE-CB", err_line(err)), again()))
srv.on("error", on_error)
def again():
    srv.listen(0, BOARD_IP, lambda c: say("CONN"))   # listen again after the error
    say("AGAIN", srv.getaddr()[0])
srv.listen(port, BOARD_IP, lambda c: say("CONN"))
say("AFTER-LISTEN", port, srv.getaddr(), srv.address())
net.run()
