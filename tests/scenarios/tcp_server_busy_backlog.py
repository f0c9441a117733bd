# An echo server busy for 2 s before its loop turns, while clients connect, for
# tests/test_tcp_server.py.
# MIT licence, see LICENSE.
from scen import say, BOARD_IP
import net
import time
srv = net.createServer(net.TCP, 30)
srv.listen(0, BOARD_IP, lambda c: c.on("receive", lambda c, d: c.send(d)))
say("PORT", srv.getaddr()[0])
time.sleep(2)
say("AWAKE")
net.run()
