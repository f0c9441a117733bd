# examples/nodemcu/socket_on_buffer.py - NodeMCU's net docs, both branches, docs/modules/net.md,
# section "net.socket:on()", second example (the note's buffering of "receive" data).
# MIT licence, see LICENSE.
#
#   python socket_on_buffer.py [port] [host] [dns_server]   (default 80 httpbin.org)
#
# The doc's snippet uses `srv` from the section's first example; to run on its own this file
# makes `srv` and fetches the same page (the lines marked "from the first example"), and prints
# the buffer once the server has closed (marked "added": the snippet leaves `buffer` unused).
# Line by line otherwise, with these differences:
# - `local buffer = nil` at file level is a module global; the handler assigns it, so Python
#   needs `global buffer` (Lua's closure assigns its upvalue without a declaration);
# - `buffer .. c` is `buffer + c` (bytes concatenate; for many frames a bytearray and
#   `buffer.extend(c)` avoids copying: see docs/porting.md);
# - the ESP8266 branch's comment "throttling could be implemented using socket:hold()" holds here
#   too: net has hold()/unhold() (the ESP32 branch removed them);
# - net.run() at the end.
import sys

import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 80
host = sys.argv[2] if len(sys.argv) > 2 else "httpbin.org"
if len(sys.argv) > 3:
    net.dns.setdnsserver(sys.argv[3], 0)
srv = net.createConnection(net.TCP, 0)  # from the first example

buffer = None


def on_receive(sck, c):
    global buffer
    if buffer is None:
        buffer = c
    else:
        buffer = buffer + c


srv.on("receive", on_receive)
# throttling could be implemented using socket:hold()
# example: https://github.com/nodemcu/nodemcu-firmware/blob/master/lua_examples/pcm/play_network.lua#L83

# from the first example: ask for the page
srv.on("connection", lambda sck: sck.send("GET /get HTTP/1.1\r\nHost: httpbin.org\r\nConnection: close\r\nAccept: */*\r\n\r\n"))
srv.on("disconnection", lambda sck, err: print(len(buffer or b""), "bytes:", (buffer or b"").decode()))  # added
srv.connect(port, host)
net.run()
