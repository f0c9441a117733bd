# An echo server of two connections at the most that ends the idlest for a newcomer
# (dropIdleAtMax), for tests/test_tcp_server.py.
# MIT licence, see LICENSE.
from scen import say
from tcp_util import log_server
from tcp_run import serve
import net
srv = net.createServer()
log_server(srv)
srv.maxConnections = 2

srv.dropIdleAtMax = True
def on_conn(c):
    p = c.getpeer()[0]  # (None, None) once the connection ended: kept here
    say("CONN", p)
    c.on("receive", lambda c, d: c.send(d))
    c.on("disconnection", lambda c, e: say("GONE", p, e, c.getpeer()))
serve(srv, on_conn)
