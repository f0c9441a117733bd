# The chip's socket module: bind by name, accept's address, bind to a raw address, for
# tests/test_personality.py.
# MIT licence, see LICENSE. argv: the test's port.
from chip_listener import reusable, listener
l = reusable()
try:
    l.bind(("localhost", 0))
    print("BIND-NAME ok")
except Exception as e:
    print("BIND-NAME", type(e).__name__, e)
l.close()
l = listener()
print("READY")
c, a = l.accept()
print("ACCEPT", type(a).__name__, a[0], type(a[1]).__name__)
try:
    l.bind(b"\x02\x00")
except Exception as e:
    print("RAW", type(e).__name__)
c.close(); l.close()
