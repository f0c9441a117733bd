# The event emitter (net._emit): registering, emitting, sharing handler lists, raising handlers,
# for tests/test_foundation.py.
# MIT licence, see LICENSE.
from scen import say
from net._emit import Emitter

class Thing(Emitter):
    _EVENTS = ("error", "receive", "sent")
    closed = False
    def close(self):
        self.closed = True
        say("CLOSED")

def got(t, a):
    say("GOT", a)

a = Thing()
b = Thing()
try:
    a.on("recieve", got)
except ValueError as e:
    say("ValueError", e)
try:
    a.on("receive", 42)
except TypeError as e:
    say("TypeError", e)
say("EMIT-NONE", a._emit1(1, "x"))     # nothing registered: nothing runs
a.on("receive", got)
say("EMIT", a._emit1(1, "x"))
b._handlers = a._handlers              # share, as a server shares with its connections
b.on("receive", got)                   # identical: no copy
say("SHARED", b._handlers is a._handlers)
b.on("sent", got)                      # different: b gets its own list, a is unchanged
say("COPIED", b._handlers is not a._handlers, a._handlers[2] is None, b._handlers[2] is got)
a.on("receive", None)                  # fn=None removes
say("REMOVED", a._emit1(1, "y"))
def bad(t, a):
    raise KeyError("oops")
a.on("receive", bad)
a._emit1(1, "z")                       # no error handler: printed, object closed
say("A-CLOSED", a.closed)
def on_error(t, exc):
    say("ERROR-EVENT", type(exc).__name__)
b.on("receive", bad)
b.on("error", on_error)
b._emit1(1, "z")                       # error handler: it gets the exception, no close
say("B-CLOSED", b.closed)
