# A sender whose datagrams outrun a slow link, for tests/test_udp.py (the send queue).
# MIT licence, see LICENSE. argv: destination ip, port.
from scen import say, arg
import net
from net import _rt
u = net.createUDPSocket()
# Test scaffolding: a small send buffer, so that the stack says "no buffer now" (EAGAIN) while
# the slow link (a tbf qdisc on the veth) holds the first datagrams. On a board lwIP says it
# (ENOMEM) whenever its pbuf pool is empty. SOL_SOCKET/SO_SNDBUF: Linux numbers.
u._sock.setsockopt(1, 7, 4096)
dst_ip, dst_port = arg(0), arg(1)
pending = [0]
def sent(s, i):
    say("SENT", i)
    pending[0] -= 1
    if not pending[0]:
        s.close()
for i in range(12):
    try:
        u.send(dst_port, dst_ip, bytes([65 + i]) * 1000, lambda s, i=i: sent(s, i))
        pending[0] += 1
        say("ACCEPTED", i)
    except OSError as e:
        say("FULL", i, _rt.errno_of(e) == _rt.ENOBUFS, e.args[-1])
say("QUEUED", len(u._queue or ()))
net.run()
say("DONE")
