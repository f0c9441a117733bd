# examples/nodemcu/createserver.py - NodeMCU's net docs, both branches (ESP8266 dev/release and
# ESP32 dev-esp32), docs/modules/net.md, section "net.createServer()", example.
# MIT licence, see LICENSE.
#
#   net.createServer(net.TCP, 30) -- 30s timeout
#
# Literal. Nothing listens yet (no listen()), so nothing is printed and the program ends.
import net

net.createServer(net.TCP, 30)  # 30s timeout
