# tests/scenarios/raw_loop.py - a TCP server of raw sockets on net's loop, without net's TCP
# module: for the scenarios that test the loop itself (loop_echo.py) or what else runs on it
# (dns_busy.py), whatever the TCP module does. MIT licence, see LICENSE.
from scen import BOARD_IP
from net import _rt
from net._loop import loop


class RawConn:
    # An accepted socket on the loop: each read goes to self.received(data), b"" at its end
    # (the peer closed, or the socket failed).
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
        self.received(data)


class Listener:
    # A socket listening on the loop at BOARD_IP, on a free port (.port): each connection's
    # socket, non-blocking, goes to conn(socket).
    def __init__(self, conn):
        self._conn = conn
        self._s = _rt.new_socket()
        _rt.reuse_addr(self._s)
        self.port = _rt.bind_free(self._s, BOARD_IP)
        self._s.listen(4)
        loop.add(self._s, self, _rt.POLLIN)

    def _io(self, ev):
        s, a = self._s.accept()
        s.setblocking(False)
        self._conn(s)

    def close(self):
        loop.remove(self._s)
        self._s.close()
