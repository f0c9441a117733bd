# createConnection's secure argument checks; the TLS modules load only when asked, for
# tests/test_tls.py.
# MIT licence, see LICENSE.
from scen import say, HOST_IP
from tcp_util import attempt
import net
import sys
net.createConnection()
net.createConnection(net.TCP, 0)
net.createConnection(net.TCP, False)
say("LOADED", "net._tls" in sys.modules, "net._tlsrt" in sys.modules)
for bad in (2, -1, "yes", 1.0, {"ca": 1}, {"cadata": 1}, {"cadata": b"junk"}, {"server_hostname": 5}):
    attempt("BAD", net.createConnection, net.TCP, bad)
attempt("TRUE", net.createConnection, net.TCP, True)
say("LOADED", "net._tls" in sys.modules, "net._tlsrt" in sys.modules)
s = net.createConnection(net.TCP, True)
s.connect(1, HOST_IP)   # refused: no one listens on port 1
s.on("disconnection", lambda s, e: say("REFUSED", e != 0))
net.run()
say("END")
