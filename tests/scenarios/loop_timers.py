# Timers fire in deadline order, stopped ones never, a raising callback is printed, for
# tests/test_loop.py.
# MIT licence, see LICENSE.
from scen import say
import net
from net._loop import Timer
order = []
def fire(name):
    order.append(name)
    say("FIRE", name)
a = Timer(fire, "a"); b = Timer(fire, "b"); c = Timer(fire, "c"); d = Timer(fire, "d")
a.start(60); b.start(20); c.start(40); d.start(30)
d.stop()                       # a stopped timer never fires
c.start(10)                    # restarting moves it
net.run()                      # returns once no timer is left
say("ORDER", " ".join(order))
def boom(_):
    raise RuntimeError("timer callback failed")
Timer(boom).start(5)
Timer(fire, "after-boom").start(15)
net.run()
say("DONE")
