# An echo server with no error handler, whose accept() fails (NET_FAULTS): printed once, for
# tests/test_faults.py.
# MIT licence, see LICENSE.
import net
from tcp_run import serve
srv = net.createServer(net.TCP, 5)   # no error handler: the failure is printed, once
srv.on("connection", lambda s, c: c.on("receive", lambda c, d: (c.send(d), c.close())))
serve(srv)
