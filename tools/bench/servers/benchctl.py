# tools/bench/servers/benchctl.py - the control commands every MicroPython bench server obeys.
# MIT licence, see LICENSE.
#
# The runner (tools/bench/run.py) measures heap figures inside the server process: it writes a
# command line to the server's stdin and reads the answer line from its stdout. Each server
# watches stdin with its own loop (poll, asyncio stream, net loop) and hands the line here, so
# the three MicroPython servers measure the same way. Commands:
#   heap    -> "HEAP <bytes>"   gc.collect(), then gc.mem_alloc(): live heap
#   abegin  -> "ABEGIN"         gc.collect(), gc.disable(): from now every allocation stays counted
#   aend    -> "AEND <bytes>"   bytes allocated since abegin (garbage included), gc.enable()
#   lock    -> "LOCK ..."       the server's own idle-turn heap_lock proof, where it has one
#   quit    -> exits
# The command line itself and the answer allocate a few bytes: the runner measures two windows
# of different lengths and takes the difference, so that constant drops out.
import gc
import sys

_base = 0


def command(line, lock=None):
    global _base
    cmd = line.strip()
    if type(cmd) is bytes:  # asyncio's stream reader gives bytes, sys.stdin str
        cmd = cmd.decode()
    if cmd == "heap":
        gc.collect()
        print("HEAP", gc.mem_alloc())
    elif cmd == "abegin":
        gc.collect()
        gc.disable()
        _base = gc.mem_alloc()
        print("ABEGIN")
    elif cmd == "aend":
        d = gc.mem_alloc() - _base
        gc.enable()
        print("AEND", d)
    elif cmd == "lock":
        if lock is None:
            print("LOCK n/a")
        else:
            lock()
    elif cmd == "quit" or not line:
        # "" is end of input: the runner went away, so do we.
        sys.exit(0)
    else:
        print("UNKNOWN", cmd)
