# net/_aio.py - run net's loop as an asyncio task beside other tasks (loaded on first use).
# MIT licence, see LICENSE.
#
# `asyncio.create_task(net.task())` serves net beside other tasks, never blocking or spinning:
# between net's turns it waits in asyncio's own poller (docs/design.md, "The loop as an asyncio task").
import io
from ._loop import loop
from ._rt import const

_MP_STREAM_POLL = const(3)
_MP_STREAM_POLL_RD = const(1)


class _Ready(io.IOBase):
    def ioctl(self, req, arg):
        if req != _MP_STREAM_POLL:
            return -1  # no file descriptor (and nothing else) to offer
        if loop._stopped or not loop.alive() or loop.next_timeout(-1) == 0:
            return arg & _MP_STREAM_POLL_RD
        for _ in loop._poll.ipoll(0):
            return arg & _MP_STREAM_POLL_RD
        return 0


def _mp_wait(core, ready):
    # A generator, awaited from task(): the way MicroPython's own streams wait for I/O.
    yield core._io_queue.queue_read(ready)


async def task():
    # Serve net until net.stop() or until nothing is left to watch.
    import asyncio

    core = getattr(asyncio, "core", None)
    loop._stopped = False
    if core is not None and hasattr(core, "_io_queue"):  # MicroPython asyncio
        ready = _Ready()
        while not loop._stopped and loop.alive():
            loop.poll(0)
            if loop._stopped or not loop.alive():
                break
            await _mp_wait(core, ready)
    else:  # CPython asyncio
        aloop = asyncio.get_running_loop()
        fd = loop._poll.fileno()
        while not loop._stopped and loop.alive():
            loop.poll(0)
            if loop._stopped or not loop.alive():
                break
            t = loop.next_timeout(-1)
            if t == 0:
                await asyncio.sleep(0)
                continue
            fut = aloop.create_future()
            loop._waker = lambda: _wake(fut)  # net.stop() from another task wakes us
            if fd >= 0:
                aloop.add_reader(fd, _wake, fut)
            h = aloop.call_later((t if t > 0 else 50) / 1000, _wake, fut) if (t > 0 or fd < 0) else None
            try:
                await fut
            finally:
                if fd >= 0:
                    aloop.remove_reader(fd)
                if h is not None:
                    h.cancel()
                loop._waker = None
    loop._stopped = False


def _wake(fut):
    if not fut.done():
        fut.set_result(None)
