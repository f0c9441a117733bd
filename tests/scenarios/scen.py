# tests/scenarios/scen.py - helpers for scenario scripts (run on every target).
# MIT licence, see LICENSE.
#
# A scenario prints what the user would see, one event a line, for the pytest side to read.
import sys

try:
    from os import getenv
except ImportError:  # a board: no environment; a real board's header sets these (harness.py)
    def getenv(name):
        return None

# Where this scenario's servers listen (the peer connects there), and where the test's own
# servers are reached (tests/harness.py, Target.board_ip): loopback but on the lwIP targets
# and real boards.
BOARD_IP = getenv("NET_BOARD_IP") or "127.0.0.1"
HOST_IP = getenv("NET_HOST_IP") or "127.0.0.1"


def say(*args):
    # One line per event; flushed so the peer sees it at once (CPython runs with -u too).
    print(*args)


def arg(i, default=None):
    # The i-th command-line argument (after the script), as int when it looks like one.
    a = sys.argv[1 + i] if len(sys.argv) > 1 + i else default
    if type(a) is str and a.lstrip("-").isdigit():
        return int(a)
    return a


def runtime():
    return sys.implementation.name
