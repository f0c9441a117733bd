# A UDP socket that answers each datagram with "echo:" and its sender's port and ip, until "stop",
# for tests/test_udp.py.
# MIT licence, see LICENSE. argv: the address to listen on ("board": BOARD_IP).
from scen import say, arg, BOARD_IP
import net
u = net.createUDPSocket()
def on_receive(s, data, port, ip):
    say("RECV", repr(data), port, ip)
    if data == b"stop":
        s.close()
        return
    s.send(port, ip, b"echo:" + data)
u.on("receive", on_receive)
u.listen(0, BOARD_IP if arg(0) == "board" else arg(0))
say("PORT", u.getaddr()[0], u.getaddr()[1])
net.run()
say("DONE")
