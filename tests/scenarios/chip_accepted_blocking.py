# The chip's socket module: whether an accepted socket is blocking, for tests/test_personality.py.
# MIT licence, see LICENSE. argv: the test's port.
import time
from chip_listener import listener
l = listener()
l.setblocking(False)
print("READY")
while True:
    try:
        c, a = l.accept()
        break
    except OSError:
        time.sleep_ms(10)
t = time.ticks_ms()
try:
    d = c.recv(10)
    print("RECV", d, "after", "long" if time.ticks_diff(time.ticks_ms(), t) > 200 else "short")
except OSError as e:
    print("ERR", e.args[0])
