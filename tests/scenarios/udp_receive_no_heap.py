# A UDP socket whose rxsize is more than the heap: the error event once, then a smaller rxsize,
# for tests/test_udp.py.
# MIT licence, see LICENSE.
import sys
from scen import say, BOARD_IP
import net
u = net.createUDPSocket()
u.rxsize = 1 << 29 if sys.maxsize > 1 << 32 else 1 << 28  # more than any heap here
errors = [0]
def on_error(s, e):
    errors[0] += 1
    say("ERROR", errors[0], type(e).__name__)
    s.rxsize = 1472
u.on("error", on_error)
u.on("receive", lambda s, d, port, ip: (say("GOT", d, errors[0]), s.close()))
u.listen(0, BOARD_IP)
say("PORT", u.getaddr()[0])
net.run()
