# A server whose connections' stack refuses a send: later sends say False, the end is an event,
# for tests/test_faults.py.
# MIT licence, see LICENSE.
import net
from tcp_run import serve
from scen import say
from tcp_util import attempt
import net_faults
net_faults.configure("reset=1/1")  # every connection fails once 1 byte went through
def on_receive(c, d):
    say("RECEIVED", d)
    say("FIRST", c.send(b"x"))  # the stack refuses it: True, and the end comes as an event
    attempt("SECOND", c.send, b"y")
    c.close()  # leaves the end to that event, with its errno
def on_connection(srv, c):
    c.on("receive", on_receive)
    c.on("disconnection", lambda c, e: (say("DISCONNECTION", e), srv.close()))
srv = net.createServer(net.TCP, 5)
srv.on("connection", on_connection)
serve(srv)
