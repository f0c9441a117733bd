# Two UDP sockets, one with a burst waiting: datagrams received per loop turn, for
# tests/test_udp.py.
# MIT licence, see LICENSE. argv: how many datagrams of the burst the first socket gets.
import time
import net
from net._loop import loop
from scen import say, arg, BOARD_IP
turn = [0]
def tick(a, b):  # counts loop turns: a soon call runs once per turn and queues the next
    turn[0] += 1
    if not done[0]:
        loop.soon(tick, None, None)
done = [False]
got = {"A": [], "B": []}
def on(name):
    def rx(u, data, port, ip):
        got[name].append(turn[0])
        if len(got["A"]) == arg(0) and got["B"]:
            done[0] = True
            a.close()
            b.close()
    return rx
a = net.createUDPSocket()
b = net.createUDPSocket()
a.on("receive", on("A"))
b.on("receive", on("B"))
a.listen(0, BOARD_IP)
b.listen(0, BOARD_IP)
say("PORTS", a.getaddr()[0], b.getaddr()[0])
time.sleep(1.5)  # the test sends meanwhile: 30 datagrams wait for a, 1 for b
loop.soon(tick, None, None)
net.run()
say("A", " ".join("%d" % t for t in got["A"]))
say("B", " ".join("%d" % t for t in got["B"]))
