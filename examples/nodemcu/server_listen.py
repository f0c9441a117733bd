# examples/nodemcu/server_listen.py - NodeMCU's net docs, both branches, docs/modules/net.md,
# section "net.server:listen()", example. MIT licence, see LICENSE.
#
#   python server_listen.py [port]        (default 80, the doc's)
#
# Line by line, with these differences:
# - the port comes from the command line (the doc's 80 by default), so a test can pick one;
# - `print(data)`: Lua's data is a string, net's is bytes: decoded to print it as text;
# - `if sv then`: net.createServer raises rather than returning nil, so the test always holds;
#   kept for the shape;
# - net.run() at the end: NodeMCU's firmware runs the event loop itself, a Python program calls it.
import sys

import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 80

# server listens on 80, if data received, print data to console and send "hello world" back to caller
# 30s time out for a inactive client
sv = net.createServer(net.TCP, 30)


def receiver(sck, data):
    print(data.decode())
    sck.close()


if sv:
    def on_connection(conn):  # Lua's inline `function(conn) ... end`: a def (a lambda holds one expression)
        conn.on("receive", receiver)
        conn.send("hello world")

    sv.listen(port, on_connection)

net.run()
