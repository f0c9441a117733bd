# net/_loop.py - the event loop: one poll object, timers by deadline, calls for the next turn.
# MIT licence, see LICENSE.
#
# The loop knows nothing about TCP, UDP or DNS: it calls `owner._io(events)` for a ready
# socket, and an idle turn allocates nothing (docs/design.md, "The event loop").
from ._rt import Poll, ticks_ms, ticks_add, ticks_diff, print_exception, const, CAUGHT, caught, reserve

_FOREVER = const(-1)
_len = len  # found faster than the builtin (docs/design.md, "Frames on the C stack")
_ENTRY_PROBE_BYTES = const(64)  # more than one poll set entry (4 words) takes


class Timer:
    # A one-shot timer: call fn(arg) once `ms` after start(). Restartable; cheap to keep.
    # Deadlines are ticks compared with ticks_diff, so they survive the 2**30 ms wrap.
    def __init__(self, fn, arg=None):
        self._fn = fn
        self._arg = arg
        self._deadline = 0
        self._running = False

    def start(self, ms):
        loop._add_timer(self, ticks_add(ticks_ms(), ms))

    def stop(self):
        if self._running:
            loop._timers.remove(self)
            self._running = False

    def active(self):
        return self._running


class Loop:
    def __init__(self):
        self._poll = Poll()
        self._owners = {}  # socket -> owner (whose _io(events) handles it)
        self._timers = []  # Timer, earliest deadline first
        self._soon = []  # (fn, a, b) to call on the next turn
        self._stopped = False
        self._keep = 0  # things that keep run() going without a socket (e.g. DNS waits)
        self._waker = None  # set while net._aio's CPython task waits: stop() must wake it
        self._current = None  # the owner whose _io runs (or ran last): where its exception goes
        self._peak = 0  # the most sockets ever registered at once (add())

    # --- sockets ---------------------------------------------------------------------------
    def add(self, sock, owner, mask):
        # All or nothing, even in a full heap, after a probe: a large one at a new peak of
        # registrations only (_add_peak), below it a small one, and then nothing can fail
        # after register() (docs/design.md, "Heap probes").
        if _len(self._owners) < self._peak:
            reserve(_ENTRY_PROBE_BYTES)
            self._poll.register(sock, mask)
            self._owners[sock] = owner
        else:
            self._add_peak(sock, owner, mask)

    def _add_peak(self, sock, owner, mask):
        # add() at a new peak: three probes, one per table that may grow, since one block of
        # their total may not exist in a fragmented heap that has all three (docs/design.md, "Heap probes").
        n = 11 * _len(self._owners) + 96
        probe = (reserve(n), reserve(n), reserve(n))
        del probe  # only their room was wanted: garbage, which the next collection gives back
        self._owners[sock] = owner
        try:
            self._poll.register(sock, mask)
        except:  # noqa: E722 (re-raised)
            del self._owners[sock]
            raise
        self._peak = _len(self._owners)

    def own(self, sock, owner):
        # A registered socket's events go to another owner from now on (no growth: the key
        # is there already).
        self._owners[sock] = owner

    def modify(self, sock, mask):
        self._poll.modify(sock, mask)

    def remove(self, sock):
        # Must come before sock.close(): a closed socket cannot be found in the poll set.
        if self._owners.pop(sock, None) is not None:
            self._poll.unregister(sock)
            if self._waker is not None and not self.alive():
                self._waker()  # the asyncio task must see that nothing is left to watch

    def drop(self, sock):
        # remove(), then close: the end of every connection. Its own function, so that the
        # caller's frame needs no `try` (docs/design.md, "Frames on the C stack").
        if self._owners.pop(sock, None) is not None:  # (remove(), inline: once per connection)
            self._poll.unregister(sock)
            if self._waker is not None and not self.alive():
                self._waker()
        try:
            sock.close()
        except OSError:
            pass

    # --- timers and deferred calls ---------------------------------------------------------
    def _add_timer(self, t, deadline):
        ts = self._timers
        if t._running:
            ts.remove(t)
        t._deadline = deadline
        t._running = True
        i = len(ts)
        while i and ticks_diff(ts[i - 1]._deadline, deadline) > 0:
            i -= 1
        ts.insert(i, t)

    def soon(self, fn, a=None, b=None):
        # Call fn(a, b) on the next turn: for answers the API promises "on a later loop turn".
        self._soon.append((fn, a, b))

    # --- driving ---------------------------------------------------------------------------
    def alive(self):
        return bool(self._owners or self._timers or self._soon or self._keep)

    def next_timeout(self, timeout):
        # The poll timeout for this turn: `timeout` (ms, -1 forever) cut to the next timer.
        if self._soon:
            return 0
        ts = self._timers
        if ts:
            d = ticks_diff(ts[0]._deadline, ticks_ms())
            if d < 0:
                d = 0
            if timeout < 0 or d < timeout:
                return d
        return timeout

    # A turn's functions keep their frames on the C stack (docs/design.md, "Frames on the C
    # stack"): the I/O dispatch catches without `as`; timers and soon calls run only when due.
    def poll(self, timeout=0, more=False):
        # One turn: wait up to timeout ms for I/O, dispatch it, run due timers and soon calls.
        # more=True (run()): turn on in this frame, which saves two calls per turn (alive() and
        # this one; next_timeout() is inline too) until stop() or nothing is left to watch.
        ts = self._timers
        while True:
            t = timeout
            if self._soon:
                t = 0
            elif ts:
                t = ticks_diff(ts[0]._deadline, ticks_ms())
                if t < 0:
                    t = 0
                elif 0 <= timeout < t:
                    t = timeout
            self._io_turn(t)
            if ts and ticks_diff(ts[0]._deadline, ticks_ms()) <= 0:
                self._run_timers()
            if self._soon:
                self._run_soon()
            if not more or self._stopped or not (self._owners or ts or self._soon or self._keep):
                return

    def _dispatch(self, t):
        for s, ev in self._poll.ipoll(t):
            s = self._owners.get(s)  # (s, its owner now: a local more would move the frame to the heap)
            self._current = s
            if s is not None:
                s._io(ev)
        self._current = None  # keep no closed socket alive

    # What an owner's _io raises (its callbacks' exceptions too) goes to that owner's error
    # path. The rest of that turn's ready sockets are still ready (poll is level-triggered):
    # the next turn serves them.
    if CAUGHT:

        def _io_turn(self, t):
            try:
                self._dispatch(t)
            except Exception:
                self._io_failed(None)

    else:

        def _io_turn(self, t):
            try:
                self._dispatch(t)
            except Exception as e:
                self._io_failed(e)

    def _io_failed(self, e):
        # Called inside _io_turn's except block. Nothing here may end the loop, not even a full
        # heap (caught() then gives a MemoryError), and a failure of the error path itself is
        # printed and dropped.
        if e is None:
            e = caught()
        try:
            _fault(self._current, e)
        except Exception as e2:
            try:
                print_exception(e2)
            except Exception:
                pass

    def _run_timers(self):
        ts = self._timers
        now = ticks_ms()
        while ts and ticks_diff(ts[0]._deadline, now) <= 0:
            t = ts.pop(0)
            t._running = False
            try:
                t._fn(t._arg)
            except Exception as e:
                _fault(t._arg, e)

    def _run_soon(self):
        # Only what was queued before this point runs now; calls queued by these calls run
        # on the next turn (a callback that re-queues itself cannot starve I/O).
        q = self._soon
        self._soon = []
        for fn, a, b in q:
            try:
                fn(a, b)
            except Exception as e:
                _fault(a, e)

    def run(self):
        # Turn until stop() or until nothing is left to watch.
        self._stopped = False
        if self.alive():
            self.poll(_FOREVER, True)
        self._stopped = False

    def stop(self):
        self._stopped = True
        if self._waker is not None:
            self._waker()


def _fault(owner, exc):
    # An exception escaped an I/O handler or a timer: hand it to the owner's error path (its
    # `error` event, or print and close); never let it stop the loop.
    f = getattr(owner, "_fault", None)
    if f is not None:
        try:
            f(exc)
            return
        except Exception as e:
            exc = e
    print_exception(exc)


# The one loop of this program: every net object registers here.
loop = Loop()
