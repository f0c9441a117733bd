# A UDP socket listening with the port omitted (listen(ip)), for tests/test_udp.py.
# MIT licence, see LICENSE.
from scen import say, BOARD_IP
import net
u = net.createUDPSocket()
u.rxsize = 1472
u.on("receive", lambda s, d, port, ip: (say("GOT", d, ip), s.close()))
u.listen(BOARD_IP)
say("ADDR", u.getaddr()[0], u.getaddr()[1])
net.run()
