# A client that sends 1 MB at once to a slow reader and reports drains and its peak heap, for
# tests/test_tcp_socket.py.
# MIT licence, see LICENSE. argv: the test's server port.
from scen import say, arg, HOST_IP
import net
import gc
if not hasattr(gc, "mem_alloc"):  # CPython: no heap figure to report
    gc.mem_alloc = lambda: 0
N = 1024 * 1024
data = bytearray(N)
for off in range(0, N, 4):
    data[off:off + 4] = off.to_bytes(4, "big")     # each word says where it belongs
c = net.createConnection()
st = {"drain": 0, "peak": 0, "sent": 0}
def on_conn(c):
    say("SEND1", c.send(data, lambda c: say("CB1")))       # 1 MB at once: mostly queued
    say("SEND2", c.send(b"END", lambda c: say("CB2")))     # queued behind it, in order
def on_drain(c):
    st["drain"] += 1
    c.close()
def on_sent(c):
    st["sent"] += 1
def measure(_):
    gc.collect()
    m = gc.mem_alloc()
    if m > st["peak"]:
        st["peak"] = m
    if c._sock is not None:
        t.start(20)
from net._loop import Timer
t = Timer(measure)
c.on("connection", on_conn)
c.on("drain", on_drain)
c.on("sent", on_sent)
c.on("disconnection", lambda c, e: say("DISCONNECTION", e))
gc.collect()
base = gc.mem_alloc()
c.connect(arg(0), HOST_IP)
t.start(20)
net.run()
say("STATS", st["drain"], st["sent"], st["peak"] - base)
