# A minimal echo server built from the foundation alone (runtime adapter, loop, emitter), to
# test them before TCP exists: receive handlers that raise, error events, stop(), asyncio.
# argv: mode ("run", "asyncio"), error handler ("err" or "noerr")
import sys
from scen import say, arg
from net._loop import loop, Timer
from net._emit import Emitter
from raw_loop import RawConn, Listener

_E_ERROR = 0
_E_RECEIVE = 1


class Conn(RawConn, Emitter):
    _EVENTS = ("error", "receive", "disconnection")

    def received(self, data):
        if not data:
            self.close()
            return
        self._emit1(_E_RECEIVE, data)

    def send(self, data):
        self._s.send(data)

    def close(self):
        if self._s is not None:
            loop.remove(self._s)
            self._s.close()
            self._s = None
            say("CLOSED")
            self._emit1(2, 0)


def on_receive(c, data):
    if data.startswith(b"boom"):
        raise ValueError("callback failed on purpose")
    if data.startswith(b"stop"):
        import net
        net.stop()
        return
    c.send(data)


def on_error(c, exc):
    say("ERROR", type(exc).__name__, exc)


def on_conn(c):
    c.on("receive", on_receive)
    if arg(1) == "err":
        c.on("error", on_error)


srv = Listener(lambda s: on_conn(Conn(s)))
say("PORT", srv.port)
if arg(0) == "asyncio":
    import asyncio
    import net

    turns = [0]
    real_poll = loop.poll

    def counting_poll(t=0):
        turns[0] += 1
        real_poll(t)

    loop.poll = counting_poll

    async def ticker():
        n = 0
        while True:
            await asyncio.sleep_ms(50) if hasattr(asyncio, "sleep_ms") else await asyncio.sleep(0.05)
            n += 1
            say("TICK", n, "TURNS", turns[0])

    async def main():
        t = asyncio.create_task(ticker())
        await net.task()
        t.cancel()
        say("TASK-ENDED")

    asyncio.run(main())
else:
    import net

    net.run()
    say("RUN-RETURNED")
srv.close()
say("DONE")
