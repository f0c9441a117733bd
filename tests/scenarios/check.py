# tests/scenarios/check.py - check(label, fn, *args): make a call that should raise, and print
# what it raised as "label Type errno message" (errno "-" for what is no OSError), or "label ok".
# MIT licence, see LICENSE.
from scen import say
from net import _rt


def check(label, fn, *a):
    try:
        fn(*a)
        say(label, "ok")
    except Exception as e:
        # CPython raises OSError subclasses (BlockingIOError for EALREADY): name the base.
        say(label, "OSError" if isinstance(e, OSError) else type(e).__name__, _rt.errno_of(e) if isinstance(e, OSError) else "-", e.args[-1] if e.args else "")
