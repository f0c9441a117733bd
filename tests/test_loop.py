# Tests of the foundation: the event loop, the emitter's error handling, stop(), timers,
# asyncio integration and the no-allocation idle turn. MIT licence, see LICENSE.
import time

import pytest

from peers import connect


def echo_server(run, mode, err):
    # loop_echo.py started (mode "run" or "asyncio"; err: its connections' error handler,
    # "err" or "noerr"); -> (scenario, a function that opens a client of it).
    s = run("loop_echo", mode, err)
    port = int(s.expect("PORT"))
    return s, lambda: connect(port, timeout=5)


def echoed(c, msg):
    # True when msg comes back whole on c.
    c.sendall(msg)
    return c.recv(100) == msg


def stop(s, c):
    # The server told to stop() through c: net.run() returns.
    c.sendall(b"stop")
    s.expect("RUN-RETURNED")


def test_echo_and_stop(run):
    s, client = echo_server(run, "run", "noerr")
    c = client()
    assert echoed(c, b"hello")
    stop(s, c)
    s.expect("DONE")
    s.wait()


def test_raising_callback_closes_its_connection_and_loop_keeps_serving(run):
    s, client = echo_server(run, "run", "noerr")
    a = client()
    b = client()
    a.sendall(b"boom")
    # No error handler: the exception is printed (the target's own traceback) and the
    # connection it belongs to is closed.
    s.expect("Traceback")
    s.expect("ValueError: callback failed on purpose")
    s.expect("CLOSED")
    assert a.recv(100) == b""  # closed by the server
    assert echoed(b, b"still there?")
    c = client()  # and it still accepts
    assert echoed(c, b"new")
    stop(s, c)
    s.wait()


def test_raising_callback_goes_to_error_event(run):
    s, client = echo_server(run, "run", "err")
    a = client()
    a.sendall(b"boom")
    assert s.expect("ERROR") == "ValueError callback failed on purpose"
    assert echoed(a, b"after")  # the connection stays open: the error handler dealt with it
    stop(s, a)
    s.wait()
    assert "Traceback" not in s.output


def test_loop_as_asyncio_task_beside_ticking_task(run):
    s, client = echo_server(run, "asyncio", "noerr")
    first = s.expect("TICK")
    c = client()
    for i in range(5):
        assert echoed(c, b"m%d" % i)
    # The ticker goes on while net serves: several ticks after the echoes.
    t1 = s.expect("TICK")
    t2 = s.expect("TICK")
    n1, turns1 = int(t1.split()[0]), int(t1.split()[2])
    n2, turns2 = int(t2.split()[0]), int(t2.split()[2])
    assert n2 == n1 + 1 and n1 > int(first.split()[0])
    # Idle: net's task does not wake between ticks when nothing happens on its sockets
    # (no busy waiting). Allow one turn per tick for scheduling slack. The interval starts
    # at a tick printed after the echoes were served: t1 and t2 above are merely the next
    # lines, which a board may have printed before it served them (seen on lwip-esp8266).
    time.sleep(0.3)
    s.output
    ln = [x for x in s.rest() if x.startswith("TICK")][-1]
    n2, turns2 = int(ln.split()[1]), int(ln.split()[3])
    time.sleep(0.5)
    idle = s.expect("TICK")
    while int(idle.split()[0]) < n2 + 5:  # ten ticks or so of nothing to do
        idle = s.expect("TICK")
    n3, turns3 = int(idle.split()[0]), int(idle.split()[2])
    assert turns3 - turns2 <= (n3 - n2), "net woke %d times in %d idle ticks" % (turns3 - turns2, n3 - n2)
    c.sendall(b"stop")
    s.expect("TASK-ENDED")
    s.expect("DONE")
    s.wait()


def test_timers_fire_in_deadline_order_and_run_returns(run):
    s = run("loop_timers")
    assert s.expect("ORDER") == "c b a"
    s.expect("RuntimeError: timer callback failed")
    assert s.expect("FIRE") == "after-boom"
    s.expect("DONE")
    s.wait()


@pytest.mark.targets("cpython", reason="the 2**30 ms tick wrap of ESP boards is emulated on CPython's ticks only")
def test_timers_across_tick_wrap(run):
    # Start 15 ms before the ticks wrap to 0: deadlines after the wrap are still in order.
    s = run("loop_timers", env={"NET_TICKS_OFFSET": str((1 << 30) - 15 - int(time.monotonic() * 1000) % (1 << 30))})
    assert s.expect("ORDER") == "c b a"
    s.wait()


@pytest.mark.targets("micropython", reason="micropython.heap_lock() exists on MicroPython only")
def test_idle_turn_allocates_nothing(run):
    s = run("loop_idle_heap_lock")
    assert s.expect("IDLE-NO-ALLOC") == "yes 200"
    assert int(s.expect("ALLOC-DELTA")) == 0
    s.wait()


def test_poll_validates_timeout(run):
    s = run("loop_poll_timeout")
    assert s.next_lines(5) == [
        "TypeError timeout_ms must be an int (milliseconds, -1 to wait), not float",
        "TypeError timeout_ms must be an int (milliseconds, -1 to wait), not str",
        "TypeError timeout_ms must be an int (milliseconds, -1 to wait), not NoneType",
        "ValueError timeout_ms must be -1 or more, got -2",
        "DONE",
    ]
    s.wait()


def test_asyncio_task_ends_when_another_task_removes_the_last_socket(run):
    s = run("loop_asyncio_task_end")
    assert s.line() == "REMOVED"
    assert s.line() == "TASK-ENDED"
    s.wait()
