# An echo server whose first connection comes to a fragmented heap (no free block of recvSize),
# for tests/test_tcp_mem.py.
# MIT licence, see LICENSE.
import gc
import net
from scen import say, BOARD_IP
srv = net.createServer(net.TCP, 30)
srv.on("connection", lambda s, c: c.on("receive", lambda c, d: c.send(d)))
srv.listen(0, BOARD_IP)
# Fragment what is left of the heap: 256-byte blocks, every other one freed, so that no block
# of 1460 bytes (a receive buffer of recvSize) is free when the first connection comes.
holes = [None] * 2000
keep = [None] * 2000
n = 0
try:
    while n < 2000:
        holes[n] = bytearray(256)
        keep[n] = bytearray(256)
        n += 1
except MemoryError:
    pass
for i in range(n):
    holes[i] = None
gc.collect()
try:
    bytearray(1460)
    say("BLOCK", "free")
except MemoryError:
    say("BLOCK", "none")
say("PORT", srv.getaddr()[0])
net.run()
