# tests/scenarios/tcp_mem.py - heap figures of a TCP server (MicroPython): bytes per idle
# connection, allocations per received message, and an idle turn with connections open under
# micropython.heap_lock(). MIT licence, see LICENSE.
#
# pytest drives it through a control connection (the first one): "MEM" -> "MEM bytes conns",
# "ALLOC-START"/"ALLOC-END" around a ping-pong on another connection, "LOCK" -> idle turns
# with the heap locked. Module-level handlers: every connection shares one handler list.
import gc
import micropython
import net
from net._loop import loop
from scen import say, BOARD_IP

state = {"ctl": None, "m0": 0, "lock": False}


def on_data(c, d):
    c.send(b"k")  # a constant: sending it allocates nothing


def on_ctl(c, d):
    m1 = gc.mem_alloc()
    if d == b"ALLOC-END":
        gc.enable()
        say("ALLOC", m1 - state["m0"])
        return
    if d == b"MEM":
        gc.collect()
        say("MEM", gc.mem_alloc(), len(srv._conns))
    elif d == b"ALLOC-START":
        gc.collect()
        gc.disable()
        state["m0"] = gc.mem_alloc()
        c.send(b"ok")
    elif d == b"LOCK":
        state["lock"] = True
        net.stop()


def on_connection(c):
    if state["ctl"] is None:
        state["ctl"] = c
        c.on("receive", on_ctl)
        return
    c.on("receive", on_data)


srv = net.createServer(net.TCP, 600)
srv.listen(0, BOARD_IP, on_connection)
say("PORT", srv.getaddr()[0])
while True:
    net.run()
    if not state["lock"]:
        break
    state["lock"] = False
    ok = "yes"
    i = 0
    loop.poll(0)
    gc.collect()
    before = gc.mem_alloc()
    micropython.heap_lock()
    try:
        for i in range(200):
            loop.poll(1)
    except MemoryError:
        ok = "no"
    after = gc.mem_alloc()
    micropython.heap_unlock()
    say("LOCKED", ok, i + 1, after - before, len(srv._conns))
