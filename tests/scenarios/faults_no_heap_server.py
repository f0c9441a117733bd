# A server whose heap is gone when a connection arrives (net's probe, or the connection's own
# object), for tests/test_faults.py.
# MIT licence, see LICENSE. argv: what ("probe" or "admit"), first and last call that fails,
# "shed" (dropIdleWhenFull) or "keep" (Node's back-off).
import net
from tcp_run import serve
from net import _srv
from scen import say, arg
# net's probe before accept() ("probe": the block reserved so that accept() cannot fail half
# done) or the new connection's own object ("admit") raises MemoryError on calls first..last.
what, first, last = arg(0), arg(1), arg(2)
calls = [0]
def no_heap():
    calls[0] += 1
    if first <= calls[0] <= last:
        raise MemoryError("no heap, on purpose")
if what == "probe":
    reserve = _srv.reserve
    def probe(nbytes):
        no_heap()
        reserve(nbytes)
    _srv.reserve = probe
else:
    class Socket(_srv.Socket):
        def __init__(self):
            no_heap()
            super().__init__()
    _srv.Socket = Socket
def on_receive(c, d):
    if d != b"idle":
        c.send(d)
        c.close()
def on_connection(s, c):
    say("CONN")
    c.on("receive", on_receive)
    c.on("disconnection", lambda c, e: say("END", e))
srv = net.createServer(net.TCP, 5)
srv.dropIdleWhenFull = arg(3) == "shed"
srv.on("error", lambda s, e: say("SRV-ERROR", type(e).__name__))
srv.on("connection", on_connection)
serve(srv)
