# A UDP socket's getaddr() open and once closed, for tests/test_udp.py.
# MIT licence, see LICENSE.
from scen import say, BOARD_IP
import net
u = net.createUDPSocket()
u.rxsize = 1472
u.listen(0, BOARD_IP)
say("OPEN", u.getaddr()[0] is not None, u.getaddr()[1])
u.close()
say("CLOSED", u.getaddr())
