# examples/nodemcu/socket_dns.py - NodeMCU's net docs, both branches, docs/modules/net.md,
# section "net.socket:dns()", example. MIT licence, see LICENSE.
#
#   python socket_dns.py [name] [dns_server]      (default www.nodemcu.com, the board's DNS server)
#
# Line by line, with these differences:
# - the name comes from the command line (the doc's by default), and an optional DNS server
#   (net.dns.setdnsserver), so a test can answer with its own server;
# - `sk = nil` is `sk = None`: net's loop keeps the socket until its answer has come, as NodeMCU's
#   firmware does;
# - net.run() at the end: it returns once the answer has been handled.
import sys

import net

name = sys.argv[1] if len(sys.argv) > 1 else "www.nodemcu.com"
if len(sys.argv) > 2:
    net.dns.setdnsserver(sys.argv[2], 0)

sk = net.createConnection(net.TCP, 0)
sk.dns(name, lambda conn, ip: print(ip))
sk = None
net.run()
