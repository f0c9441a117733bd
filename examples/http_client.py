# examples/http_client.py - fetch a web page and print it: NodeMCU's classic client, line by line.
# MIT licence, see LICENSE.
#
# The NodeMCU original (Lua):
#   sk = net.createConnection(net.TCP, 0)
#   sk:on("receive", function(sck, c) print(c) end)
#   sk:on("connection", function(sck, c)
#     sck:send("GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\nAccept: */*\r\n\r\n")
#   end)
#   sk:connect(80, "example.com")
#
# Run: micropython examples/http_client.py [port] [host] [path]   (default 80 127.0.0.1 /)
# A name as host is resolved through net.dns without blocking. Prints the response as it
# arrives, then "CLOSED errno" when the server has closed the connection.
import sys
import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 80
host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
path = sys.argv[3] if len(sys.argv) > 3 else "/"

sk = net.createConnection(net.TCP, 0)
sk.on("receive", lambda sck, c: print(c.decode()))
sk.on("connection", lambda sck: sck.send(
    "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nAccept: */*\r\n\r\n" % (path, host)))
sk.on("disconnection", lambda sck, err: print("CLOSED", err))
sk.connect(port, host)
net.run()
