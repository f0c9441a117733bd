# Two clients whose peer never reads: totalHighWaterMark makes send() say False on both, for
# tests/test_hostile.py.
# MIT licence, see LICENSE. argv: bytes per send, the test's server port.
import net
from net._sock import Socket
from net._rt import HEAP_SIZE
from scen import say, arg, HOST_IP
say("DEFAULT", Socket.totalHighWaterMark, HEAP_SIZE)
Socket.totalHighWaterMark = 3000
Socket.highWaterMark = 1 << 20      # so that only the total can say False
CHUNK = arg(0)
BLK = bytes(CHUNK)                  # queued as views of this one object: no heap per send
socks = []
drained = []
def fill(sock):
    # CHUNK bytes at a time until send() says False: (sends, bytes queued then)
    for i in range(1000):
        if not sock.send(BLK):
            return i + 1, sock._queued
def go(sock):
    getattr(sock._sock, "_r", sock._sock).setsockopt(1, 7, 4096)  # SO_SNDBUF: a board's few KB (hostile_send_queue_cap.py)
    socks.append(sock)
    if len(socks) == 2:
        a, b = socks
        n, q = fill(a)
        say("A", n, q >= 3000)                 # False once the total (its own queue) is over
        say("B-SMALL", b.send(b"b" * 100), b._queued)  # the stack takes it whole: nothing queued
        m, q = fill(b)
        say("B", m, 0 < q <= CHUNK)            # False at the first send it queues any of
        say("BYTES", n * CHUNK, 100 + m * CHUNK)
def drain(sock):
    drained.append(sock)
    say("DRAIN", len(drained))
    sock.close()
for i in range(2):
    s = net.createConnection()
    s.on("connection", go)
    s.on("drain", drain)
    s.on("disconnection", lambda s, e: say("END", e))
    s.connect(arg(1), HOST_IP)
net.run()
