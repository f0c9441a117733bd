# A UDP echo socket whose receive callback raises on b"boom", with or without an error handler,
# for tests/test_udp.py.
# MIT licence, see LICENSE. argv: "err" (an error handler) or "noerr".
from scen import say, arg, BOARD_IP
import net
u = net.createUDPSocket()
def on_receive(s, data, port, ip):
    if data == b"boom":
        raise ValueError("receive callback failed")
    say("RECV", repr(data))
    s.send(port, ip, data)
u.on("receive", on_receive)
if arg(0) == "err":
    u.on("error", lambda s, e: say("ERROR", type(e).__name__, e))
u.listen(0, BOARD_IP)
say("PORT", u.getaddr()[0])
net.run()
say("DONE")
