# net.createServer's type and timeout checks, one labelled line each, for tests/test_tcp_server.py.
# MIT licence, see LICENSE.
from scen import say
from tcp_util import attempt
import net
say("TYPE", type(net.createServer()).__name__, type(net.createServer(net.TCP, 30)).__name__)
say("UDP", type(net.createServer(net.UDP)).__name__)
attempt("T0", net.createServer, 0)
# the ESP8266 branch's createServer(timeout)
attempt("T3", lambda: net.createServer(3)._timeout_ms)
attempt("T30", lambda: net.createServer(30)._timeout_ms)
attempt("TSTR", net.createServer, "tcp")
attempt("TTRUE", net.createServer, True)
attempt("N0", net.createServer, net.TCP, 0)
attempt("N1", lambda: type(net.createServer(net.TCP, 1)).__name__)
attempt("NMAX", lambda: type(net.createServer(net.TCP, 28800)).__name__)
attempt("NBIG", net.createServer, net.TCP, 28801)
attempt("NFLOAT", net.createServer, net.TCP, 1.5)
attempt("NSTR", net.createServer, net.TCP, "30")
say("DONE")
