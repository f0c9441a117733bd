# An echo server that fragments its heap on b"go", then counts a 1000-byte message's pieces, for
# tests/test_faults.py.
# MIT licence, see LICENSE.
import gc
import net
from tcp_run import serve
from scen import say
fill = []
st = [0, 0, 0, 0]  # bytes received, pieces, largest piece, bytes out of place
def fragment():
    # Every free block taken by 200-byte objects, then every other one freed: the heap has
    # room for small objects only, none for a 1000-byte one.
    gc.collect()
    try:
        while True:
            fill.append(bytearray(200))
    except MemoryError:
        pass
    for i in range(0, len(fill), 2):
        fill[i] = None
    gc.collect()
def on_receive(c, d):
    if d == b"go" and not fill:
        fragment()
        say("FRAGMENTED")
        return
    if d == b"again":
        c.send(b"served")
        return
    n = len(d)
    p = st[0]
    for i in range(n):
        if d[i] != (p + i) % 251:
            st[3] += 1
    st[0] += n
    st[1] += 1
    if n > st[2]:
        st[2] = n
    if st[0] == 1000:
        fill.clear()
        gc.collect()
        say("GOT", st[0], st[1], st[2], st[3])
srv = net.createServer(net.TCP, 30)
srv.on("connection", lambda s, c: (c.on("receive", on_receive), c.on("disconnection", lambda c, e: say("END", e))))
serve(srv)
