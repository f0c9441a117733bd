# A TLS client that holds after 1,000 bytes of a 16,000-byte record and unholds a while later, for
# tests/test_tls.py.
# MIT licence, see LICENSE. argv: the test's server port.
from scen import say
from own_loop import own_loop
import net
c = net.createConnection(net.TCP, True)
c.recvSize = 1000
got = bytearray()
state = {"held": 0, "turns": 0}
def on_recv(c, d):
    got.extend(d)
    if len(got) == 1000:
        c.hold()
        state["held"] = 1
        say("HELD", len(got))
    if len(got) >= 16000:
        say("GOT", len(got), got == bytes(range(256)) * 62 + bytes(range(128)))
        c.close()
def turn():
    if state["held"] == 1:
        state["turns"] += 1
        if state["turns"] == 20:      # a while later, the user's own main loop lets go
            say("UNHOLD", len(got))
            state["held"] = 2
            c.unhold()

own_loop(c, on_recv, state, turn)
