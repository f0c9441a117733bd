# tests/scenarios/raising_handler.py - a server error handler that says what it got, numbered,
# and then fails with a MemoryError, for the scenarios of tests/test_faults.py.
# MIT licence, see LICENSE.
import sys
from scen import say

calls = [0]
HUGE = 1 << 40 if sys.maxsize > 1 << 32 else 1 << 30  # more than any heap here, in a machine word


def on_error(srv, e):
    calls[0] += 1
    say("SRV-ERROR", calls[0], type(e).__name__)
    bytearray(HUGE)  # the handler runs out of heap itself: a real MemoryError
