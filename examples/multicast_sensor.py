# examples/multicast_sensor.py - a sensor that announces itself to a multicast group.
# MIT licence, see LICENSE.
#
# Every `period` ms it sends one datagram to 239.255.42.99:4242 (an organisation-local group):
#   "sensor <name> ip <its ip> seq <n> value <reading>"
# so that listeners (examples/multicast_listener.py) find it without knowing its address.
#
#   micropython examples/multicast_sensor.py [name] [count] [period_ms]
# count 0 announces forever. On a board the datagrams leave through the station interface; on a
# host, through the interface that the route for 224.0.0.0/4 names (usually the default route).
# net's loop runs as an asyncio task beside the task that measures and announces.
import sys

import asyncio
import net

GROUP = "239.255.42.99"
PORT = 4242

name = sys.argv[1] if len(sys.argv) > 1 else "sensor-1"
count = int(sys.argv[2]) if len(sys.argv) > 2 else 0
period = int(sys.argv[3]) if len(sys.argv) > 3 else 1000


def reading(seq):
    # Stand-in for a real sensor: a value that changes.
    return 20 + seq % 5


async def main():
    info = net.ifinfo(0)  # the station interface: its address goes into the announcement
    my_ip = (info and info["ip"]) or "0.0.0.0"
    udp = net.createUDPSocket()
    try:
        udp.ttl(1)  # stay on the local network: routers do not forward TTL 1
    except OSError:  # ESP boards cannot set a TTL (docs/udp.md): the stack's default stays
        pass
    seq = 0
    serving = None
    while not count or seq < count:
        seq += 1
        msg = "sensor %s ip %s seq %d value %d" % (name, my_ip, seq, reading(seq))
        udp.send(PORT, GROUP, msg)  # the first send binds a free port: now net has a socket
        print("announced", msg)
        if serving is None:
            serving = asyncio.create_task(net.task())
        await asyncio.sleep(period / 1000)
    udp.close()
    net.stop()  # net's task ends (it would anyway once idle, but it sleeps until woken)
    await serving
    print("sensor done")


asyncio.run(main())
