# A server's events in order, getConnections(), close() while connections are open, listen again,
# for tests/test_tcp_server.py.
# MIT licence, see LICENSE.
from scen import say, BOARD_IP
from tcp_util import err_line, log_socket, log_server
import net
srv = net.createServer()
log_server(srv)
srv.on("connection", lambda srv, c: say("EV-CONNECTION", c.getpeer()[0]))
def on_conn(c):
    say("CB", c.getpeer()[0])
    log_socket(c, "C")
    def on_receive(c, d):
        say("C RECEIVE", repr(d))
        if d == b"count":
            srv.getConnections(lambda err, n: say("COUNT", err, n))
            say("ASKED")
        elif d == b"close-server":
            srv.close(lambda s, err: say("CLOSE-CB", err))
            say("CLOSE-CALLED", srv.getaddr(), srv.address())
            srv.close(lambda s, err: say("CLOSE-CB2", err_line(err)))   # not listening any more
    c.on("receive", on_receive)
srv.listen(0, BOARD_IP, on_conn)
say("PORT", srv.getaddr()[0])
net.run()
say("RUN-RETURNED")
def again():
    srv.close(lambda s, err: say("NOT-LISTENING", err_line(err)))
    net.run()
    srv.listen(0, BOARD_IP, on_conn)      # a closed server may listen again
    say("PORT2", srv.getaddr()[0])
    net.run()
again()
