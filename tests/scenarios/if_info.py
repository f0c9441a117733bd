# net.ifinfo's answers, one labelled line each, on new or old firmware, for tests/test_if.py.
# MIT licence, see LICENSE. argv: "new" (ipconfig()) or "old" (ifconfig() only).
from scen import say, arg
import net, network
def show(label, v):
    # one line per answer, keys sorted: dict order differs between runtimes
    say(label, repr(sorted(v.items())) if type(v) is dict else repr(v))
if arg(0) == "old":
    del network.WLAN.ipconfig   # firmware before 1.24: ifconfig() only
show("STA", net.ifinfo(0))
show("DEFAULT", net.ifinfo())          # NodeMCU's default index: 0, the station
show("AP", net.ifinfo(1))
show("TWO", net.ifinfo(2))
show("NEG", net.ifinfo(-1))
try:
    net.ifinfo("0")
except TypeError as e:
    say("TYPE", e)
sta = network.WLAN(network.STA_IF)
sta.ifconfig(("192.168.1.50", "255.255.255.0", "192.168.1.1", "192.168.1.1"))  # static
show("STATIC", net.ifinfo(0))
sta.active(False)
show("DOWN", net.ifinfo(0))
say("DONE")
