# tools/bench/servers/net_echo.py - the subject: examples/echo_server.py, unchanged, measured.
# MIT licence, see LICENSE.
#
# What the benchmark needs from inside the process, around the project's own echo example
# (imported as the module echo_server, which serves on import: createServer, receive -> send,
# hold/unhold for backpressure): the IMPORT figure, the control lines on stdin (benchctl.py)
# read by one more owner on net's own loop, and the idle-turn heap_lock proof.
# Run: micropython -m net_echo PORT   (prints "IMPORT <bytes>" and "PORT <n>", then serves)
import gc
import sys
import benchctl

gc.collect()
_h0 = gc.mem_alloc()
import net

net.createServer  # net loads its TCP module on first use: count it in IMPORT
gc.collect()
print("IMPORT", gc.mem_alloc() - _h0)

import micropython
from micropython import const
from net._loop import loop
from net._rt import POLLIN

_TURNS = const(200)


class Control:
    # stdin is one more pollable object on net's loop: a control line is an I/O event like any.
    def _io(self, events):
        benchctl.command(sys.stdin.readline(), lock)


def lock():
    # Run the proof on the loop's "soon" phase, outside the poll iteration that read this line.
    loop.soon(lock_proof)


def lock_proof(a, b):
    # The server as it is (listening, its connections open and idle, their inactivity timers
    # pending): _TURNS loop turns of 1 ms each with the heap locked. Any allocation raises.
    loop.poll(0)
    ok = "no"
    n = 0
    gc.collect()
    before = gc.mem_alloc()
    micropython.heap_lock()
    try:
        for n in range(_TURNS):
            loop.poll(1)
        ok = "yes"
    except MemoryError:
        pass
    after = gc.mem_alloc()
    micropython.heap_unlock()
    print("LOCK", ok, n + 1, after - before, len(loop._owners) - 2, len(loop._timers))


loop.add(sys.stdin, Control(), POLLIN)
import echo_server  # listens on sys.argv[1], prints "PORT n", runs the loop
