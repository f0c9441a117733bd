# A UDP socket told EADDRINUSE: the error event, then it listens elsewhere, for tests/test_udp.py.
# MIT licence, see LICENSE. argv: the port the test holds.
from scen import say, arg, BOARD_IP
import net
from net import _rt
u = net.createUDPSocket()
u.on("error", lambda s, e: say("ERROR", _rt.errno_of(e) == _rt.EADDRINUSE, s.getaddr()))
u.listen(arg(0), BOARD_IP)
say("LISTEN-RETURNED", u.getaddr())
net.poll(100)
u.listen(0, BOARD_IP)   # the same socket may listen again, elsewhere
say("NOW", u.getaddr()[0] != arg(0))
u.close()
say("DONE")
