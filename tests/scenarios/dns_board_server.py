# net.dns's server 0 is the board's own: read and set through network, on new or old firmware, for
# tests/test_dns.py.
# MIT licence, see LICENSE. argv: "new" or "old" firmware, the test's DNS server ip.
from scen import say, arg
import network
import net
dns = net.dns
if arg(0) == "old":
    del network.ipconfig   # firmware before 1.24: no module-level ipconfig
sta = network.WLAN(network.STA_IF)
say("DEFAULT", dns.getdnsserver(0), dns.getdnsserver(1))
dns.setdnsserver(arg(1), 0)
say("NET", dns.getdnsserver(0), "STA", sta.ifconfig()[3], "ADDR", sta.ifconfig()[0])
if arg(0) != "old":
    say("IPCONFIG", network.ipconfig("dns"))
dns.setdnsserver("127.9.9.9", 1)   # server 1 is net's own: the stack's setting stays
say("NET", dns.getdnsserver(0), dns.getdnsserver(1), "STA", sta.ifconfig()[3])
def cb(_, ip):
    say("ANSWER", ip)
dns.resolve("a.test", cb)
net.run()
