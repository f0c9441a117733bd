# examples/nodemcu/socket_send.py - NodeMCU's net docs, both branches, docs/modules/net.md,
# section "net.socket:send()", first example (a table of responses sent one per `sent` event).
# MIT licence, see LICENSE.
#
#   python socket_send.py [port]          (default 80, the doc's)
#
# Line by line, with these differences:
# - the port comes from the command line (the doc's 80 by default);
# - Lua's table is a list: `response[#response + 1] = x` is `response.append(x)`,
#   `table.remove(response, 1)` is `response.pop(0)`, `#response > 0` is `len(response) > 0`;
# - `response = nil` inside the local function assigns the enclosing function's variable:
#   Python needs `nonlocal response` for that;
# - net.createServer(net.TCP) is a TCP server with the default 30 s timeout (NodeMCU's ESP8266
#   firmware read a lone net.TCP as a 1 s timeout: see docs/porting.md);
# - net.run() at the end.
import sys

import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 80

srv = net.createServer(net.TCP)


def receiver(sck, data):
    response = []

    # if you're sending back HTML over HTTP you'll want something like this instead
    # response = ["HTTP/1.0 200 OK\r\nServer: NodeMCU on ESP8266\r\nContent-Type: text/html\r\n\r\n"]

    response.append("lots of data")
    response.append("even more data")
    response.append("e.g. content read from a file")

    # sends and removes the first element from the 'response' table
    def send(localSocket):
        nonlocal response
        if len(response) > 0:
            localSocket.send(response.pop(0))
        else:
            localSocket.close()
            response = None

    # triggers the send() function again once the first chunk of data was sent
    sck.on("sent", send)

    send(sck)


srv.listen(port, lambda conn: conn.on("receive", receiver))
net.run()
