# A server whose first connection alone gets handlers: the second must have none, for
# tests/test_tcp_server.py.
# MIT licence, see LICENSE.
from scen import say
from tcp_run import serve
import net
srv = net.createServer()
n = [0]
def first_receive(c, d):
    say("FIRST-RECV", d)
    c.send(d)
def on_conn(c):
    n[0] += 1
    say("CONN", n[0])
    if n[0] == 1:
        c.on("receive", first_receive)
        c.on("disconnection", lambda c, e: say("FIRST-GONE", e))
    else:
        say("HANDLERS", c._handlers is None or all(f is None for f in c._handlers[:len(c._EVENTS)]))
serve(srv, on_conn)
