# examples/nodemcu/udpsocket_send.py - NodeMCU's net docs, both branches, docs/modules/net.md,
# section "net.udpsocket:send()", example (a UDP echo on port 5000). MIT licence, see LICENSE.
#
#   python udpsocket_send.py [port]       (default 5000, the doc's)
#   then: echo -n "foo" | nc -w1 -u <device-IP-address> 5000
#
# Line by line, with these differences:
# - the port comes from the command line (the doc's 5000 by default);
# - data is bytes: decoded for the message, and `"echo: " .. data` is `b"echo: " + data`;
# - string.format's %s/%d are Python's % operator with the same letters;
# - the receive handler is a def (a lambda holds one expression);
# - net.run() at the end (it serves until the program is stopped).
import sys

import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 5000

udpSocket = net.createUDPSocket()
udpSocket.listen(port)


def on_receive(s, data, port, ip):
    print("received '%s' from %s:%d" % (data.decode(), ip, port))
    s.send(port, ip, b"echo: " + data)


udpSocket.on("receive", on_receive)
port, ip = udpSocket.getaddr()
print("local UDP socket address / port: %s:%d" % (ip, port))  # type: ignore[str-format]  # listening: both are set
net.run()
