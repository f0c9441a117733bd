# examples/nodemcu/socket_send_nested.py - NodeMCU's net docs, both branches, docs/modules/net.md,
# section "net.socket:send()", second example (explicit callbacks, one inside the other).
# MIT licence, see LICENSE.
#
#   python socket_send_nested.py [port]       (no default in the doc: 80 as its first example)
#
# The doc's snippet uses a connected `sck` and a `header`; to run on its own this file serves
# them: a server whose receive handler runs the snippet (the lines marked "context").
# Line by line otherwise, with these differences:
# - Lua's `function() ... end` callbacks may ignore the socket net passes them; Python's must
#   accept it, so each takes it (`_s`), and the last names it `sk` as the doc does;
# - each callback is a def before the send that names it (a Python lambda holds one
#   expression), so the nesting reads inside out;
# - send(data, fn): NodeMCU stores fn as the socket's `sent` handler; net runs fn once, for that
#   send (docs/API.md). Here every send has its own callback, so both behave the same.
import sys

import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 80
header = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"  # context


def receiver(sck, request):  # context
    def after_header(_s):
        data1 = "some large chunk of dynamically loaded data"

        def after_data1(_s):
            data2 = "even more dynamically loaded data"

            def after_data2(sk):
                sk.close()

            sck.send(data2, after_data2)

        sck.send(data1, after_data1)

    sck.send(header, after_header)


net.createServer(net.TCP, 30).listen(port, lambda conn: conn.on("receive", receiver))  # context
net.run()
