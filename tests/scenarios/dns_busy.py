# A lookup waits on a silent DNS server while an echo server on the same loop keeps serving.
# MIT licence, see LICENSE.
# argv: server ip, timeout ms. The echo owner is a raw socket on the loop (raw_loop.py, as
# loop_echo.py), so this tests the resolver and the loop alone, whatever the TCP module does.
from scen import say, arg
import net
from net._rt import ticks_ms, ticks_diff
from net._loop import loop
from raw_loop import RawConn, Listener


class Conn(RawConn):
    def received(self, data):
        if not data:
            loop.remove(self._s)
            self._s.close()
            return
        say("ECHO", data.decode(), "DNS-PENDING", len(net.dns._pending))
        self._s.send(data)


def answer(_, ip):
    say("ANSWER", ip, ticks_diff(ticks_ms(), t0))
    srv.close()  # the echo connection closes when the peer does; then run() returns


srv = Listener(Conn)
net.dns.setdnsserver(arg(0), 0)
net.dns.TIMEOUT = arg(1)
net.dns.TRIES = 1
t0 = ticks_ms()
net.dns.resolve("slow.test", answer)
say("PORT", srv.port)
net.run()
say("DONE")
