# A server whose every callback raises, each with an exception of its own type, for
# tests/test_faults.py.
# MIT licence, see LICENSE.
import net
from scen import say, BOARD_IP
from raising_handler import on_error
def boom(exc):
    def f(*a):
        raise exc("failed on purpose")
    return f
def on_receive(c, d):
    if d == b"close":
        srv.close(boom(ZeroDivisionError))
        c.close()
    else:
        c.send(d)
        if d.startswith(b"bye"):
            c.close()
srv = net.createServer(net.TCP, 5)
srv.maxConnections = 1
srv.on("error", on_error)
srv.on("listening", boom(ValueError))
srv.on("drop", boom(TypeError))
srv.on("close", boom(IndexError))
srv.on("connection", lambda s, c: c.on("receive", on_receive))
srv.listen({"port": 0, "host": BOARD_IP}, boom(KeyError))  # Node's form: once, at `listening`
say("PORT", srv.getaddr()[0])
net.run()
say("DONE")
