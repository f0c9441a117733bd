# Five servers listening in each of listen()'s forms, then listen()'s errors, echoing, for
# tests/test_tcp_server.py.
# MIT licence, see LICENSE. argv: a free port (the fourth server's).
from scen import say, arg, BOARD_IP
from tcp_util import attempt, log_server
import net
def on_conn(c):
    say("CONN", c.getpeer()[0], c.getaddr()[0])
    c.on("receive", lambda c, d: c.send(d))
servers = []
def mk():
    srv = net.createServer()
    log_server(srv)
    servers.append(srv)
    return srv
a = mk().listen(on_conn)                     # no port: a free one
say("A", a.getaddr()[0], a.getaddr()[1], a.address()["port"] == a.getaddr()[0], a.address()["family"], a.address()["address"])
b = mk().listen(0, BOARD_IP, on_conn)        # port 0 and an ip
say("B", b.getaddr()[0], b.getaddr()[1], b.address()["address"])
c = mk()                                     # Node's options form: the callback is `listening`'s
c.on("connection", lambda srv, conn: on_conn(conn))
c.listen({"port": 0, "host": BOARD_IP, "backlog": 2, "exclusive": True}, lambda srv: say("C-LISTENING", srv is c, srv.getaddr()[0]))
say("C", c.getaddr()[0], c.getaddr()[1])
d = mk()
d.listen(arg(0), on_conn)                    # a given port, callback second
say("D", d.getaddr()[0], d.getaddr()[1])
e = mk().listen(BOARD_IP, on_conn)           # NodeMCU: the port omitted, an ip given
say("E", e.getaddr()[0], e.getaddr()[1])
attempt("TWICE", d.listen, 0)
attempt("IPIP", mk().listen, "127.0.0.1", "127.0.0.2")
for bad in (-1, 65536, 1.5, "80", None):
    attempt("BADPORT", mk().listen, bad)
attempt("BADIP", mk().listen, 0, "256.1.1.1")
attempt("BADIP2", mk().listen, 0, "localhost")
attempt("BADOPT", mk().listen, {"port": 0, "ipv6Only": True})
attempt("BADCB", mk().listen, 0, BOARD_IP, 5)
say("READY")
net.run()
