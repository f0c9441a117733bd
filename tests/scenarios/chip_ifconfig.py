# The emulated board's addresses through network and net.ifinfo, for tests/test_personality.py.
# MIT licence, see LICENSE.
import network, net
w = network.WLAN(network.STA_IF)
print("IFCONFIG", w.ifconfig())
print("ADDR4", w.ipconfig("addr4"))
print("DNS", network.ipconfig("dns"))
print("MAC", len(w.config("mac")))
print("IFINFO", net.ifinfo(0)["ip"])
