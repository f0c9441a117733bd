# examples/nodemcu/createconnection_esp32.py - NodeMCU's net docs, ESP32 branch (dev-esp32),
# docs/modules/net.md, section "net.createConnection()", example. MIT licence, see LICENSE.
#
#   net.createConnection(net.TCP)
#
# Literal (the ESP32 branch drops the `secure` argument, which it ignores). Nothing is printed
# and nothing goes on the network.
import net

net.createConnection(net.TCP)
