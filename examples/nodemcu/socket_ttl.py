# examples/nodemcu/socket_ttl.py - NodeMCU's net docs, ESP8266 branch (dev/release),
# docs/modules/net.md, section "net.socket:ttl()", example (the ESP32 branch has no ttl()).
# MIT licence, see LICENSE.
#
#   python socket_ttl.py [port] [ip]          (default 80 192.168.1.1, the doc's)
#
# Line by line, with these differences:
# - port and address come from the command line (the doc's by default);
# - `sk:ttl(1)` returns the TTL now set; the doc drops it, this prints it, so that a user (and
#   the test) sees it took;
# - on MicroPython's ESP8266/ESP32 ports the socket module has no IP_TTL option: there ttl()
#   raises OSError(EOPNOTSUPP) at the call, as docs/API.md says, and the program stops;
# - net.run() at the end (the connection stays open until the peer closes it; then it returns).
import sys

import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 80
ip = sys.argv[2] if len(sys.argv) > 2 else "192.168.1.1"

sk = net.createConnection(net.TCP, 0)
sk.connect(port, ip)
print("ttl", sk.ttl(1))  # restrict frames to single subnet
net.run()
