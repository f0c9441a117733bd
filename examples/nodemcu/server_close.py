# examples/nodemcu/server_close.py - NodeMCU's net docs, both branches, docs/modules/net.md,
# section "net.server:close()", example. MIT licence, see LICENSE.
#
# Literal: `sv:close()` is `sv.close()` (Lua's `:` passes the object; Python's `.` on a method
# does the same).
import net

# creates a server
sv = net.createServer(net.TCP, 30)
# closes the server
sv.close()
net.run()  # NodeMCU's firmware runs the loop for you; here net.run() does (`close` fires on a later turn)
