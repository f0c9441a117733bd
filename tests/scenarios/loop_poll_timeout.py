# net.poll's timeout checks, then net.run() with nothing to watch, for tests/test_loop.py.
# MIT licence, see LICENSE.
from scen import say
import net
for bad in (1.5, "10", None, -2):
    try:
        net.poll(bad)
        say("NO-ERROR", repr(bad))
    except (TypeError, ValueError) as e:
        say(type(e).__name__, e)
net.poll(0)
net.run()       # nothing to watch: returns at once
say("DONE")
