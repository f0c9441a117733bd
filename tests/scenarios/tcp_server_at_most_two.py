# An echo server that holds two connections at the most (maxConnections), for
# tests/test_tcp_server.py.
# MIT licence, see LICENSE.
from scen import say
from tcp_util import log_server
from tcp_run import serve
import net
srv = net.createServer()
log_server(srv)
srv.maxConnections = 2

def on_conn(c):
    say("CONN", c.getpeer()[0])
    c.on("receive", lambda c, d: c.send(d))
    c.on("disconnection", lambda c, e: say("GONE", e))
serve(srv, on_conn)
