# A multicast member for tests/test_multicast.py. MIT licence, see LICENSE.
# argv: group, port, if_ip. Socket "a" listens on port before the join, socket "b" on port+1
# after it: a join applies to existing and future UDP sockets. A unicast "leave" makes it leave
# the group; "end" closes both sockets, so that net.run() returns.
from scen import say, arg
import net

group, port, if_ip = arg(0), arg(1), arg(2)
socks = []


def on_receive(s, data, port, ip):
    say("RECV", "a" if s is socks[0] else "b", repr(data), port, ip)
    if data == b"leave":
        try:
            net.multicastLeave(if_ip, group)
            say("LEFT")
        except OSError as e:  # ESP32: the firmware cannot leave a group
            say("LEAVE-REFUSED", e.args[-1])
    elif data == b"end":
        for u in socks:
            u.close()


a = net.createUDPSocket()
a.on("receive", on_receive)
a.listen(port)
socks.append(a)
net.multicastJoin(if_ip, group)
b = net.createUDPSocket()
b.on("receive", on_receive)
b.listen(port + 1)
socks.append(b)
say("LISTENING", a.getaddr()[0], b.getaddr()[0])
net.run()
say("DONE")
