# net.dns's argument checks, one line each, then the longest name allowed resolved, for
# tests/test_dns.py.
# MIT licence, see LICENSE. argv: the test's DNS server ip.
from scen import say, arg
import net
dns = net.dns
def cb(_, ip):
    say("ANSWER", ip)
def check(f, *a):
    try:
        f(*a)
        say("OK")
    except (TypeError, ValueError) as e:
        say(type(e).__name__, e)
check(dns.resolve, 123, cb)
check(dns.resolve, b"a.test", cb)
check(dns.resolve, "", cb)
check(dns.resolve, ".", cb)
check(dns.resolve, "a..test", cb)
check(dns.resolve, ".a.test", cb)
check(dns.resolve, "x" * 64 + ".test", cb)
check(dns.resolve, ("x" * 63 + ".") * 4, cb)
check(dns.resolve, "a.test", None)
check(dns.resolve, "a.test", "cb")
check(dns.setdnsserver, "1.2.3", 0)
check(dns.setdnsserver, "1.2.3.256")
check(dns.setdnsserver, None)
check(dns.setdnsserver, "0.0.0.0")
check(dns.setdnsserver, "255.255.255.255", 1)
check(dns.setdnsserver, "8.8.8.8", 2)
check(dns.setdnsserver, "8.8.8.8", "0")
check(dns.getdnsserver, -1)
check(dns.getdnsserver, 1.0)
say("SERVER1", dns.getdnsserver(1))
dns.setdnsserver(arg(0), 1)
say("SERVER1", dns.getdnsserver(1))
dns.setdnsserver(arg(0))
# The longest name and label allowed go out as a query (and get NXDOMAIN).
check(dns.resolve, ("x" * 63 + ".") * 3 + "y" * 61, cb)
check(dns.resolve, "x" * 63 + ".test.", cb)
net.run()
say("DONE")
