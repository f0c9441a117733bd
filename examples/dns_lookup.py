# examples/dns_lookup.py - look names up with net.dns, all at once, without blocking.
# MIT licence, see LICENSE.
#
#   micropython examples/dns_lookup.py micropython.org github.com
#
# The DNS server is the board's (what DHCP gave it); net.dns.setdnsserver("1.1.1.1") would
# choose another. Each answer is printed as it arrives: "name ip", or "name None".
import sys
import net


def show(name, ip):
    # resolve(host, cb, obj) calls cb(obj, ip): here obj is the name that was asked.
    print(name, ip)


for name in sys.argv[1:] or ["micropython.org"]:
    net.dns.resolve(name, show, name)
net.run()  # returns once every answer is in
