# A lookup waits on a silent DNS server while an echo server on the same loop keeps serving.
# MIT licence, see LICENSE.
# argv: server ip, timeout ms. The echo owner is a raw socket on the loop (as loop_echo.py),
# so this tests the resolver and the loop alone, whatever the TCP module does.
from scen import say, arg, BOARD_IP
import net
from net import _rt
from net._rt import ticks_ms, ticks_diff
from net._loop import loop


class Conn:
    def __init__(self, s):
        self._s = s
        loop.add(s, self, _rt.POLLIN)

    def _io(self, ev):
        try:
            data = self._s.recv(256)
        except OSError as e:
            if _rt.errno_of(e) in _rt.AGAIN:
                return
            data = b""
        if not data:
            loop.remove(self._s)
            self._s.close()
            return
        say("ECHO", data.decode(), "DNS-PENDING", len(net.dns._pending))
        self._s.send(data)


class Listener:
    def __init__(self):
        self._s = _rt.new_socket()
        _rt.reuse_addr(self._s)
        self.port = _rt.bind_free(self._s, BOARD_IP)
        self._s.listen(4)
        loop.add(self._s, self, _rt.POLLIN)

    def _io(self, ev):
        s, a = self._s.accept()
        s.setblocking(False)
        Conn(s)

    def close(self):
        loop.remove(self._s)
        self._s.close()


def answer(_, ip):
    say("ANSWER", ip, ticks_diff(ticks_ms(), t0))
    srv.close()  # the echo connection closes when the peer does; then run() returns


srv = Listener()
net.dns.setdnsserver(arg(0), 0)
net.dns.TIMEOUT = arg(1)
net.dns.TRIES = 1
t0 = ticks_ms()
net.dns.resolve("slow.test", answer)
say("PORT", srv.port)
net.run()
say("DONE")
