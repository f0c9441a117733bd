# A TLS client that holds while 40,000 bytes wait on the socket, then reads them, for
# tests/test_tls.py.
# MIT licence, see LICENSE. argv: the test's server port.
from scen import say
from own_loop import own_loop
import net
c = net.createConnection(net.TCP, True)
got = bytearray()
state = {"turns": -1}
def on_conn(c):
    c.hold()
    state["turns"] = 0
def on_recv(c, d):
    got.extend(d)
    if len(got) >= 40000:
        say("GOT", len(got), got == bytes(range(250)) * 160)
        c.close()
def turn():
    if state["turns"] >= 0:
        state["turns"] += 1
        if state["turns"] == 30:
            say("UNHOLD", len(got))
            c.unhold()
c.on("connection", on_conn)

own_loop(c, on_recv, state, turn)
