# A UDP socket flooded with small datagrams, reporting how many came and its heap, for
# tests/test_udp.py.
# MIT licence, see LICENSE. argv: the test's port (told "alive" at the end).
from scen import say, arg, runtime, BOARD_IP, HOST_IP
import gc, net
from net._udp import udpsocket
udpsocket.rxsize = 512        # what a board would use; the flood sends 32-byte datagrams
u = net.createUDPSocket()
n = [0, 0]                    # datagrams received, highest heap use seen after a collection
mp = runtime() == "micropython"
def on_receive(s, data, port, ip):
    if data == b"end":
        net.stop()
        return
    n[0] += 1
    if mp and n[0] % 500 == 0:
        gc.collect()
        m = gc.mem_alloc()
        if m > n[1]:
            n[1] = m
u.on("receive", on_receive)
u.listen(0, BOARD_IP)
if mp:
    gc.collect()
    base = gc.mem_alloc()
say("PORT", u.getaddr()[0])
net.run()
say("RECEIVED", n[0])
if mp:
    gc.collect()
    say("HEAP", base, n[1] - base if n[1] else 0, gc.mem_alloc() - base)
u.send(arg(0), HOST_IP, b"alive")
net.poll(100)
say("DONE")
