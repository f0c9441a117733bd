# tests/scenarios/rel_misuse.py - run the misuse table of docs/reliability.md: every call raises.
# MIT licence, see LICENSE.
#
# argv: the path of docs/reliability.md. The rows between the misuse-table markers are
# "| `call` | `Type: message` |"; each call is evaluated with the objects below in scope and
# printed as "ROW n Type: message" (OSError as "OSError ENAME: message"), or "ROW n NO ERROR".
import errno
import sys
import net
from scen import say, BOARD_IP
from doc_table import doc_table

rows = [r[0] for r in doc_table(sys.argv[1], "misuse-table")]


def cb(*a):
    pass


srv = net.createServer(net.TCP, 30)  # not listening
lsrv = net.createServer(net.TCP, 30)
lsrv.listen(0, BOARD_IP)
sock = net.createConnection()  # not connected
udp = net.createUDPSocket()
closed_udp = net.createUDPSocket()
closed_udp.close()
scope = {"net": net, "srv": srv, "lsrv": lsrv, "sock": sock, "udp": udp, "closed_udp": closed_udp, "cb": cb}


NAMES = ("EOPNOTSUPP", "ENOTCONN", "EALREADY", "EISCONN", "EINVAL", "EBADF", "ENOBUFS")  # CPython's
# errorcode names 95 ENOTSUP: look the names up in this order instead


def ename(n):
    for k in NAMES:
        if getattr(errno, k, None) == n:
            return k
    return str(n)


def describe(e):
    if isinstance(e, OSError) and len(e.args) >= 2:
        return "OSError %s: %s" % (ename(e.args[0]), e.args[1])
    return "%s: %s" % (type(e).__name__, e)


for i, call in enumerate(rows):
    try:
        eval(call, scope)
        say("ROW", i, "NO ERROR")
    except Exception as e:
        say("ROW", i, describe(e))
say("ROWS", len(rows))
lsrv.close()
udp.close()
net.run()  # nothing may be left running: this returns
say("DONE")
