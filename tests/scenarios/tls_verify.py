# A TLS client that checks the server's certificate against cadata (and a server_hostname), for
# tests/test_tls.py.
# MIT licence, see LICENSE. argv: the test's server port, its host, the CA file, server_hostname
# ("-": none).
from scen import say, arg
import net
with open(arg(2)) as f:
    ca = f.read()
opts = {"cadata": ca}
if arg(3) != "-":
    opts["server_hostname"] = arg(3)
c = net.createConnection(net.TCP, opts)
c.on("reconnection", lambda c, e: say("C RECONNECTION", e))
c.on("disconnection", lambda c, e: say("C DISCONNECTION", e))
c.on("connection", lambda c: (say("C CONNECTION"), c.send(b"checked")))
c.on("receive", lambda c, d: (say("C RECEIVE", repr(bytes(d))), c.close()))
c.connect(arg(0), arg(1))
net.run()
say("END")
