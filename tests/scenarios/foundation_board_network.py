# The emulated board's network module (board/network.py): interfaces, addresses, MAC, DNS, for
# tests/test_foundation.py.
# MIT licence, see LICENSE.
from scen import say
import network
sta = network.WLAN(network.STA_IF)
ap = network.WLAN(network.AP_IF)
say("SAME", network.WLAN(0) is sta)
say("STA", sta.active(), sta.isconnected(), sta.ifconfig())
say("AP", ap.ifconfig()[:3])
say("ADDR4", sta.ipconfig("addr4"), sta.ipconfig("gw4"), sta.ipconfig("dhcp4"))
mac = sta.config("mac")
say("MAC", len(mac), ":".join("%02x" % b for b in mac))
say("DNS", network.ipconfig("dns"))
network.ipconfig(dns="127.0.0.9")
say("DNS", network.ipconfig("dns"), sta.ifconfig()[3])
try:
    network.WLAN(5)
except ValueError as e:
    say("ValueError", e)
try:
    sta.scan()
except OSError as e:
    say("SCAN", "refused")
