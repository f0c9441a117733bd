# A server whose connections answer in upper case and raise on b"boom" (an error handler is set),
# for tests/test_tcp_socket.py.
# MIT licence, see LICENSE.
from scen import say, BOARD_IP
from tcp_util import log_socket
import net
srv = net.createServer()
def on_conn(c):
    log_socket(c, "A")
    def on_receive(c, d):
        if d == b"boom":
            raise ValueError("handler failed")
        c.send(d.upper())
    c.on("receive", on_receive)
srv.listen(0, BOARD_IP, on_conn)
say("PORT", srv.getaddr()[0])
net.run()
