# examples/nodemcu/createconnection.py - NodeMCU's net docs, ESP8266 branch (dev/release),
# docs/modules/net.md, section "net.createConnection()", example. MIT licence, see LICENSE.
#
#   net.createConnection(net.TCP, 0)
#
# Literal. The Lua line throws its result away; so does this one. Nothing is printed and nothing
# goes on the network: the socket is made and dropped.
import net

net.createConnection(net.TCP, 0)
