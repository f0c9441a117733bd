# An idle loop turn (a listening socket, a pending timer) under micropython.heap_lock(), for
# tests/test_loop.py.
# MIT licence, see LICENSE.
from scen import say, BOARD_IP
import gc, micropython, net
from net import _rt
from net._loop import loop, Timer

class Owner:
    def _io(self, ev):
        say("EVENT", ev)

# What an idle server looks like: a listening socket registered, a pending timer.
s = _rt.new_socket()
_rt.reuse_addr(s)
port = _rt.bind_free(s, BOARD_IP)
s.listen(2)
loop.add(s, Owner(), _rt.POLLIN)
t = Timer(lambda a: None)
t.start(60000)
loop.poll(0)                    # first ipoll allocates its result tuple once
ok = before = after = i = None   # globals exist before the heap is measured and locked
gc.collect()
before = gc.mem_alloc()
micropython.heap_lock()
try:
    for i in range(200):
        loop.poll(1)            # idle turns: ipoll with a timeout, timers checked
    ok = "yes"
except MemoryError:
    ok = "no"
after = gc.mem_alloc()
micropython.heap_unlock()
say("IDLE-NO-ALLOC", ok, 200)
say("ALLOC-DELTA", after - before)
