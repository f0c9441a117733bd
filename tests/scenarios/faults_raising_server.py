# An echo server whose connection handler raises once, and its error handler always
# (raising_handler.py), for tests/test_faults.py.
# MIT licence, see LICENSE. argv: "cannot-print": net cannot print the failures either, as on a
# board whose heap is too full to print.
import net
from scen import arg
from tcp_run import serve
from raising_handler import calls, on_error
def on_connection(srv, c):
    c.on("receive", lambda c, d: (c.send(d), c.close()))
    if calls[0] == 0:
        raise ValueError("connection handler failed")
if arg(0) == "cannot-print":
    # net's own printing (a line or a traceback) raises MemoryError, as print does with no heap.
    from net import _srv, _rt
    def cannot_print(*args, **kw):
        raise MemoryError("no heap to print")
    _srv.print = cannot_print  # a module's global comes before the builtin
    _rt.print_exception = cannot_print
srv = net.createServer(net.TCP, 5)
srv.on("error", on_error)
srv.on("connection", on_connection)
serve(srv)
