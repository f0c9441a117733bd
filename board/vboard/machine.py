# board/vboard/machine.py - the virtual board's `machine`: the unix port's own, plus reset().
# MIT licence, see LICENSE.
#
# `machine` is an extensible built-in: this file, first on the path, is imported instead and
# takes everything from the built-in (an empty sys.path makes import pick the built-in).
# reset() is a hard reset, as `mpremote reset` sends it: tools/vboard.py passes the write end
# of a pipe (VBOARD_RESET_FD); a byte there makes it kill this interpreter and start a fresh
# one into the friendly REPL (boot.py, then main.py). Like a board's, it never returns.
import sys

_path = sys.path[:]
sys.path.clear()
try:
    from machine import *  # noqa: F401,F403 (the built-in)
finally:
    sys.path.extend(_path)
del _path

PWRON_RESET = 1
HARD_RESET = 2
SOFT_RESET = 5


def reset():
    import os
    import time

    fd = os.getenv("VBOARD_RESET_FD")
    if fd is None:
        raise OSError(95)  # EOPNOTSUPP: not on a virtual board
    open(int(fd), "wb").write(b"R")
    while True:  # the board kills this process now
        time.sleep_ms(10)


def reset_cause():
    # What started this interpreter, as tools/vboard.py says: power-on, hard or soft reset.
    import os

    return int(os.getenv("VBOARD_RESET_CAUSE") or SOFT_RESET)
