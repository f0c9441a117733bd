# examples/multicast_listener.py - listen for the sensors of examples/multicast_sensor.py.
# MIT licence, see LICENSE.
#
#   micropython examples/multicast_listener.py [if_ip] [count]
# Joins 239.255.42.99 on the interface with address if_ip ("any", the default: the stack
# chooses by route), prints each sensor's announcement with the address it really came from,
# and after `count` announcements (0: never) leaves the group and stops.
import sys

import net

GROUP = "239.255.42.99"
PORT = 4242

if_ip = sys.argv[1] if len(sys.argv) > 1 else "any"
count = int(sys.argv[2]) if len(sys.argv) > 2 else 0
heard = [0]


def on_receive(sock, data, port, ip):
    words = data.decode().split()
    if len(words) < 8 or words[0] != "sensor":
        return  # not an announcement
    heard[0] += 1
    print("heard %s from %s:%d seq %s value %s" % (words[1], ip, port, words[5], words[7]))
    if count and heard[0] >= count:
        try:
            net.multicastLeave(if_ip, GROUP)
        except OSError as e:  # ESP32's firmware cannot leave a group (docs/udp.md)
            print("still a member:", e)
        sock.close()  # nothing left to watch: net.run() returns


udp = net.createUDPSocket()
udp.on("receive", on_receive)
udp.listen(PORT)  # all interfaces: the group's datagrams arrive here once joined
net.multicastJoin(if_ip, GROUP)
print("listening on %s:%d" % (GROUP, PORT))
net.run()
print("listener done")
