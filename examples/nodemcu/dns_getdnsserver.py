# examples/nodemcu/dns_getdnsserver.py - NodeMCU's net docs, both branches, docs/modules/net.md,
# section "net.dns.getdnsserver()", example. MIT licence, see LICENSE.
#
# Literal. The doc's comments show NodeMCU's defaults (208.67.222.222, nil); net starts with
# the board's own servers (DHCP's, or the host's resolv.conf), so the first two lines print
# those, `None` where there is none. Setting a server sends nothing on the network.
import net

print(net.dns.getdnsserver(0))  # 208.67.222.222
print(net.dns.getdnsserver(1))  # nil

net.dns.setdnsserver("8.8.8.8", 0)
net.dns.setdnsserver("192.168.1.252", 1)

print(net.dns.getdnsserver(0))  # 8.8.8.8
print(net.dns.getdnsserver(1))  # 192.168.1.252
