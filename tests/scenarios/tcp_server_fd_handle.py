# A server listening on a socket's file descriptor (Node's {"fd": n} form), for
# tests/test_tcp_server.py.
# MIT licence, see LICENSE.
from scen import say, BOARD_IP
import net
import socket
raw = socket.socket()
raw.bind((BOARD_IP, 0))
srv = net.createServer()
srv.on("connection", lambda srv, c: c.on("receive", lambda c, d: c.send(b"fd:" + d)))
srv.listen({"fd": raw.fileno()}, lambda srv: say("LISTENING-CB"))
say("PORT", srv.getaddr()[0])
net.run()
