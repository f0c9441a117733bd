# examples/nodemcu/dns_resolve.py - NodeMCU's net docs, both branches, docs/modules/net.md,
# section "net.dns.resolve()", example. MIT licence, see LICENSE.
#
#   python dns_resolve.py [name] [dns_server]     (default www.google.com, the board's DNS server)
#
# Line by line, with these differences:
# - the name comes from the command line (the doc's by default), and an optional DNS server
#   (net.dns.setdnsserver), so a test can answer with its own server;
# - `ip == nil` is `ip is None`; the callback is a def (a lambda holds no if statement);
# - net.run() at the end: it returns once the answer has been handled.
import sys

import net

name = sys.argv[1] if len(sys.argv) > 1 else "www.google.com"
if len(sys.argv) > 2:
    net.dns.setdnsserver(sys.argv[2], 0)


def on_resolved(sk, ip):
    if ip is None:
        print("DNS fail!")
    else:
        print(ip)


net.dns.resolve(name, on_resolved)
net.run()
