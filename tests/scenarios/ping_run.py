# net.ping of a host or name, printing each answer and the summary, for tests/test_ping.py.
# MIT licence, see LICENSE. argv: host, DNS server ip ("": the default), count.
from scen import say, arg
import net
def rx(n, ip, seq, rtt):
    say("RX", n, ip, seq, "rtt" if rtt is not None and rtt >= 0 else rtt)
def tx(ip, total, lost, nbytes, ms):
    say("END", ip, total, lost, nbytes, ms >= 0)
dns = arg(1)
if dns:
    net.dns.setdnsserver(dns, 0)
try:
    net.ping(arg(0), arg(2, 3), rx, tx)
except OSError as e:
    say("OSERROR", e.args[0])
net.run()
say("DONE")
