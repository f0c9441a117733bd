# A TLS client given the runtime's own ssl context (no check), for tests/test_tls.py.
# MIT licence, see LICENSE. argv: the test's server port.
from scen import say, arg, HOST_IP
import net
import ssl
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
if hasattr(ctx, "check_hostname"):   # CPython checks names unless told not to
    ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
c = net.createConnection(net.TCP, ctx)
c.on("connection", lambda c: (say("CONNECTION"), c.send(b"own context")))
c.on("receive", lambda c, d: (say("RECEIVE", repr(bytes(d))), c.close()))
c.on("disconnection", lambda c, e: say("DISCONNECTION", e))
c.connect(arg(0), HOST_IP)
net.run()
