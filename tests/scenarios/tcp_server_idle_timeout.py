# An echo server with a 1 s inactivity timeout, printing each end and when, for
# tests/test_tcp_server.py.
# MIT licence, see LICENSE.
from scen import say
from tcp_run import serve
import net
import time
srv = net.createServer(net.TCP, 1)
t0 = time.time()
def on_conn(c):
    p = c.getpeer()[0]  # (None, None) once the connection ended: kept here
    c.on("receive", lambda c, d: c.send(d))
    c.on("disconnection", lambda c, e: say("DISCONNECTION", p, e, int((time.time() - t0) * 10)))
serve(srv, on_conn)
