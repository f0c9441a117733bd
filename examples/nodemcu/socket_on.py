# examples/nodemcu/socket_on.py - NodeMCU's net docs, both branches, docs/modules/net.md,
# section "net.socket:on()", first example (an HTTP GET to httpbin.org). MIT licence, see LICENSE.
#
#   python socket_on.py [port] [host] [dns_server]    (default 80 httpbin.org, the board's DNS server)
#
# Line by line, with these differences:
# - port and host come from the command line (the doc's by default), and an optional DNS server
#   (net.dns.setdnsserver), so a test can play httpbin.org;
# - `print(c)`: c is bytes in net; decoded to print text (end="" because an HTTP reply carries its
#   own line ends; Lua's print adds one newline per chunk, Python's print would too);
# - the `connection` handler takes the socket only: Lua lets `function(sck, c)` take a second
#   argument that is never given (c is nil); Python does not, so it is dropped;
# - net.run() at the end: it returns once the server has closed the connection.
import sys

import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 80
host = sys.argv[2] if len(sys.argv) > 2 else "httpbin.org"
if len(sys.argv) > 3:
    net.dns.setdnsserver(sys.argv[3], 0)

srv = net.createConnection(net.TCP, 0)
srv.on("receive", lambda sck, c: print(c.decode(), end=""))


# Wait for connection before sending.
def on_connection(sck):
    # 'Connection: close' rather than 'Connection: keep-alive' to have server
    # initiate a close of the connection after final response (frees memory
    # earlier here), https://tools.ietf.org/html/rfc7230#section-6.6
    sck.send("GET /get HTTP/1.1\r\nHost: httpbin.org\r\nConnection: close\r\nAccept: */*\r\n\r\n")


srv.on("connection", on_connection)
srv.connect(port, host)
net.run()
