# net/_emit.py - the event emitter every net object inherits: on(event, fn) and safe dispatch.
# MIT licence, see LICENSE.
#
# An object's handlers live in one list, indexed by the event's place in _EVENTS and never
# changed in place, so a server's connections share theirs (docs/design.md, "Handler lists").
# What a callback raises goes to the object's `error` handler, else is printed and the object closed.
from ._rt import const, print_exception

# Every class puts "error" first in its _EVENTS, so the error handler is always at index 0.
_EV_ERROR = const(0)

# on() runs for every connection (a connection handler registers its handlers): module globals
# are found faster than builtins (docs/design.md, "Frames on the C stack").
_callable = callable
_str = str
_len = len


def slots(events):
    # A class's {event name: its index in _EVENTS}, its _EVI: one dict lookup per on(), where
    # `in` and index() compare the name with every event before it (tools/bench/notes.md, step 9).
    d = {}
    i = 0
    for e in events:
        d[e] = i
        i += 1
    return d


def _shared(h, i, fn):
    # An accepted socket's handler list with handler i set to fn. The memo after the server's
    # slot, (i, fn, the list made), lets connections that register alike share one list.
    m = h[-1]
    if m is not None and m[0] == i and m[1] is fn:
        return m[2]
    n = list(h)
    n[i] = fn
    n[-1] = None
    h[-1] = (i, fn, n)
    return n


class Emitter:
    _EVENTS = ("error",)
    _EVI = {"error": 0}  # slots(_EVENTS); a class without one of its own is served by _EVENTS
    _handlers = None

    def on(self, event, fn=None):
        # Register fn for event; fn=None removes it. Unknown names raise at once.
        if event.__class__ is not _str:
            raise TypeError("event must be a str, one of %s; not %s" % (", ".join(self._EVENTS), type(event).__name__))
        i = self._EVI.get(event)
        if i is None:
            ev = self._EVENTS
            if event not in ev:
                raise ValueError("event must be one of %s, got %r" % (", ".join(ev), event))
            i = ev.index(event)
        h = self._handlers
        if h is not None and h[i] is fn:
            return  # nothing changes (a server's connections share their handler list)
        if fn is not None and not _callable(fn):
            raise TypeError("fn must be callable or None, not %s" % type(fn).__name__)
        if h is None:
            if fn is None:
                return
            h = [None] * _len(self._EVENTS)
        elif _len(h) > _len(self._EVENTS):
            self._handlers = _shared(h, i, fn)  # an accepted socket's list: see _shared
            return
        else:
            h = list(h)  # copy: the old list may be shared with other objects
        h[i] = fn
        self._handlers = h

    def _handler(self, i):
        h = self._handlers
        return None if h is None else h[i]

    # True when a handler ran. A fixed number of arguments, no *args tuple per call; UDP's
    # _emit3 is UDP's own (a method here costs every server heap: docs/design.md, "Memory").
    def _emit0(self, i):
        h = self._handlers
        if h is None or h[i] is None:
            return False
        try:
            h[i](self)
        except Exception as e:
            self._fault(e)
        return True

    def _emit1(self, i, a):
        h = self._handlers
        if h is None or h[i] is None:
            return False
        try:
            h[i](self, a)
        except Exception as e:
            self._fault(e)
        return True

    def _emit2(self, i, a, b):
        h = self._handlers
        if h is None or h[i] is None:
            return False
        try:
            h[i](self, a, b)
        except Exception as e:
            self._fault(e)
        return True

    def _emit_cb(self, i, cb):
        # Event i, then cb(self): a send's `sent` event and its own callback (TCP and UDP),
        # each caught like any handler.
        self._emit0(i)
        if cb is not None:
            try:
                cb(self)
            except Exception as e:
                self._fault(e)

    def _fault(self, exc):
        # A callback of ours raised (or the loop caught an exception in our I/O handler).
        h = self._handlers
        fn = None if h is None else h[_EV_ERROR]
        if fn is not None:
            try:
                fn(self, exc)
                return
            except Exception as e2:  # the error handler itself failed: report both
                print_exception(exc)
                exc = e2
        print_exception(exc)
        try:
            self.close()
        except Exception as e3:
            print_exception(e3)
