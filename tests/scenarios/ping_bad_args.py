# net.ping's argument errors, one labelled line each, for tests/test_ping.py.
# MIT licence, see LICENSE.
from scen import say
from tcp_util import attempt
import net
f = lambda *a: None
attempt("HOST", net.ping, 5, f)
attempt("EMPTY", net.ping, "", f)
attempt("COUNT0", net.ping, "127.0.0.1", 0, f)
attempt("COUNTSTR", net.ping, "127.0.0.1", "3", f)
attempt("NORX", net.ping, "127.0.0.1", 3)
attempt("BADTX", net.ping, "127.0.0.1", 3, f, 5)
say("DONE")
