# A TLS client that sends 100 KB that say where they belong and checks the echo, for
# tests/test_tls.py.
# MIT licence, see LICENSE. argv: the test's server port, its host (an address or a name).
from scen import say, arg
import net
DATA = b"".join(("%07d," % i).encode() for i in range(12500))  # 100,000 bytes that say where they belong
c = net.createConnection(net.TCP, True)
got = bytearray()
def on_conn(c):
    say("CONNECTION", c.getpeer()[1])
    say("SEND", c.send(DATA))
def on_recv(c, d):
    got.extend(d)
    if len(got) >= len(DATA):
        say("GOT", len(got), got == DATA)
        c.close()
c.on("connection", on_conn)
c.on("receive", on_recv)
c.on("sent", lambda c: say("SENT"))
c.on("drain", lambda c: say("DRAIN"))
c.on("disconnection", lambda c, e: say("DISCONNECTION", e))
c.on("reconnection", lambda c, e: say("RECONNECTION", e))
c.connect(arg(0), arg(1))
net.run()
say("END")
