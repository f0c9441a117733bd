# net/_loop.py - the event loop: one poll object, timers by deadline, calls for the next turn.
# MIT licence, see LICENSE.
#
# The loop knows nothing about TCP, UDP or DNS. An owner registers a socket with a mask and
# an owner object; when the socket is ready the loop calls `owner._io(events)`. Sockets stay
# registered for their whole life and only their mask changes (poll.modify), unlike asyncio
# which registers and unregisters around every read.
#
# No heap allocation per turn while idle: ipoll() reuses its result tuple, timers are kept in a
# list sorted by deadline (ticks, wrap-safe), and nothing below builds a tuple, a bound method
# or a closure unless an event actually happens. tests/test_loop.py proves it with
# micropython.heap_lock().
from ._rt import Poll, ticks_ms, ticks_add, ticks_diff, print_exception, const, CAUGHT, caught, reserve

_FOREVER = const(-1)
_len = len  # once per connection: a module global is found faster than a builtin (net/_sock.py)
_ENTRY_PROBE_BYTES = const(64)  # bytes: more than one poll set entry (4 words) takes


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
        # All or nothing, even when the heap is full (the dict or the poll set may need to grow):
        # a socket left in the poll set without an owner would be reported forever, and a
        # register() that fails half way breaks the poll set (_rt.reserve says why).
        # What registering needs: one poll entry (a few words), and room for the dict and the
        # poll set to grow, but only when more sockets are registered than ever before:
        # MicroPython's maps reuse the slots of removed keys and grow only when full, and the
        # poll set reuses its free pollfd slots. So the large probe (a garbage block the size of
        # both tables) runs at a new peak only, not once per accepted connection.
        # Below the peak (every accepted connection but the first few), nothing can fail but
        # the poll entry, which the small probe vouches for: the dict takes a removed key's
        # slot (a MicroPython map grows only when it has neither a free nor a removed one). So
        # register first, then store the owner, and there is nothing to undo: no `try`, and a
        # frame on the C stack (net/_rt.py).
        if _len(self._owners) < self._peak:
            reserve(_ENTRY_PROBE_BYTES)
            self._poll.register(sock, mask)
            self._owners[sock] = owner
        else:
            self._add_peak(sock, owner, mask)

    def _add_peak(self, sock, owner, mask):
        # add() at a new peak of registrations. What may grow is three separate blocks: this
        # dict's table and the poll set's (a map grows to the next of its sizes, about 1.33x
        # the entries, 8 bytes each) and the poll set's pollfd array (4 entries of 8 bytes
        # more). The probe asks for three such blocks at once: one block of their total would
        # fail in a fragmented heap that holds all three (seen: 896 bytes at 21 sockets).
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
        # remove(), then close the socket: the end of every connection. A close that fails
        # (the stack closed it already) tells nobody anything. (Its own function, so that the
        # caller's frame needs no exception handler: see net/_rt.py on frame sizes.)
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

    # A turn's functions are kept small: MicroPython allocates the frame of a Python function
    # larger than 11 words on the heap and frees it again on every call (net/_rt.py, "calls
    # made once per message"), and `except ... as e` alone makes a frame that large. So the
    # I/O dispatch catches without `as` where the runtime can name the exception anyway, and
    # the timer and soon parts, with their `as e`, run only when there is something to run.
    def poll(self, timeout=0, more=False):
        # One turn: wait up to timeout ms for I/O, dispatch it, run due timers and soon calls.
        # more=True (run()): turn on, in this same frame, until stop() or until nothing is left
        # to watch. An idle turn's own work costs about as much as the two calls run() would
        # otherwise make per turn (alive() and this), and a server turns once or twice per
        # connection. (next_timeout()'s work is inline for the same reason.)
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
            s = self._owners.get(s)  # (s again: a local more and the frame would not fit)
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
