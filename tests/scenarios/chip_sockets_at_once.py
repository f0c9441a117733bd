# The chip's socket module: 12 sockets at once, or the call that fails, for
# tests/test_personality.py.
# MIT licence, see LICENSE.
import socket
keep = []
for i in range(12):
    try:
        keep.append(socket.socket())
    except OSError as e:
        print("FAILED AT", i + 1, e.args[0])
        break
else:
    print("ALL 12")
