# A server in Node's or NodeMCU's callback form, busy before its loop first turns, for
# tests/test_tcp_server.py.
# MIT licence, see LICENSE. argv: "node" or "nodemcu", seconds busy.
from scen import say, arg
import net
import time
mode = arg(0)
def on_conn(c):
    say("CONN", c.getpeer()[1])
    c.send(b"hi", lambda c: c.close())
if mode == "node":
    srv = net.createServer(on_conn)          # Node: the connection listener
    srv.on("listening", lambda srv: say("EV-LISTENING"))
    srv.listen(lambda srv: say("LISTENING-CB", srv.getaddr()[0] is not None))   # `listening`'s
else:
    srv = net.createServer()
    srv.on("listening", lambda srv: say("EV-LISTENING"))
    srv.listen(on_conn)                      # NodeMCU: the callback is per connection
say("PORT", srv.getaddr()[0])
time.sleep(float(arg(1)))                    # busy: the client connects before the loop turns
net.run()
