# A server listening on a bound socket (Node's handle form), and on {"fd": 999}, for
# tests/test_tcp_server.py.
# MIT licence, see LICENSE.
from scen import say, BOARD_IP
from tcp_util import attempt
import net
from plain_socket import bound
raw, port = bound()
srv = net.createServer()
srv.on("connection", lambda srv, c: c.on("receive", lambda c, d: c.send(b"handle:" + d)))
srv.listen(raw, lambda srv: say("LISTENING-CB", srv.getaddr() == (port, BOARD_IP)))   # Node's handle form
def can_tell():
    # getsockname (CPython), or a descriptor and Linux's /proc to look it up in (the unix port;
    # not the virtual board, whose / is its flash, nor a board)
    if hasattr(raw, "getsockname"):
        return True
    try:
        import os
        os.stat("/proc/net/tcp")
    except (OSError, ImportError):
        return False
    return hasattr(raw, "fileno")
say("PORT", port, can_tell())
say("KNOWN", srv.getaddr() == (port, BOARD_IP) or srv.getaddr())
attempt("FD", net.createServer().listen, {"fd": 999})
net.run()
