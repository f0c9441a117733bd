# tests/scenarios/own_loop.py - a client scenario that runs its own main loop (net.poll), as a
# user's program does. MIT licence, see LICENSE.
import net
from scen import say, arg, HOST_IP


def own_loop(c, on_recv, state, turn):
    # c connects to the test's server (at HOST_IP, the port the scenario's first argument),
    # on_recv as its `receive` handler; turn() runs after every poll, until the disconnection
    # (which sets state["done"]), 3000 polls at the most.
    c.on("receive", on_recv)
    c.on("disconnection", lambda c, e: (say("DISCONNECTION", e), state.update(done=1)))
    c.connect(arg(0), HOST_IP)
    n = 0
    while "done" not in state and n < 3000:
        net.poll(10)
        n += 1
        turn()
    say("END")
