# examples/https_get.py - fetch a page over HTTPS and print it: NodeMCU's client with TLS.
# MIT licence, see LICENSE.
#
# The NodeMCU original (Lua) differs from examples/http_client.py by one argument:
#   sk = net.createConnection(net.TCP, 1)
#   ... sk:connect(443, "example.com")
#
# Run: micropython examples/https_get.py [port] [host] [path] [ca.pem]
#      (default 443 example.com /; give the server's CA certificate to have it checked)
# With `secure=True` the connection is encrypted but whoever answers is believed (as on
# NodeMCU); with {"cadata": ...} the server's certificate must chain to that CA and name the
# host. Prints the response as it arrives, then "CLOSED errno" (0: the server closed after
# answering) or "FAILED errno" when the connection or the TLS handshake failed.
import sys
import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 443
host = sys.argv[2] if len(sys.argv) > 2 else "example.com"
path = sys.argv[3] if len(sys.argv) > 3 else "/"
secure = True
if len(sys.argv) > 4:
    with open(sys.argv[4]) as f:
        secure = {"cadata": f.read()}

sk = net.createConnection(net.TCP, secure)
sk.on("receive", lambda sck, c: print(c.decode()))
sk.on("connection", lambda sck: sck.send(
    "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nAccept: */*\r\n\r\n" % (path, host)))
sk.on("disconnection", lambda sck, err: print("CLOSED", err))
sk.on("reconnection", lambda sck, err: print("FAILED", err))
sk.connect(port, host)
net.run()
