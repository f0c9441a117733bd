# A UDP socket's dns(): no callback nor handler, then the callback as the handler, for
# tests/test_udp.py.
# MIT licence, see LICENSE.
from scen import say
from tcp_util import attempt
import net
u = net.createUDPSocket()
attempt("NONE", u.dns, "127.0.0.1")          # no callback and no handler: nobody would hear it
u.on("dns", lambda s, ip: say("EVENT", ip))
u.dns("127.0.0.1", lambda s, ip: say("CB", s is u, ip))   # NodeMCU: the callback is the handler now
say("RETURNED")
net.run()
u.dns("127.0.0.2")                           # no callback: the handler set above answers
net.run()
say("DONE")
