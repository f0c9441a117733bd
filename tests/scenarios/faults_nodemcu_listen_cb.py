# A server whose NodeMCU listen callback raises at the third connection, for tests/test_faults.py.
# MIT licence, see LICENSE.
import net
from scen import say, BOARD_IP
n = [0]
def on_connection(c):  # NodeMCU's listen callback: once per connection
    n[0] += 1
    c.on("receive", lambda c, d: (c.send(d), c.close()))
    if n[0] == 3:
        srv.close()  # the last client: run() returns once it has ended
        raise ValueError("listen callback failed")
srv = net.createServer(net.TCP, 5)
srv.on("error", lambda s, e: say("SRV-ERROR", e))
srv.listen(0, BOARD_IP, on_connection)
say("PORT", srv.getaddr()[0])
net.run()
