# The chip's UDP socket: datagrams that wait while it does not read, then read, for
# tests/test_personality.py.
# MIT licence, see LICENSE. argv: the test's port.
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", int(sys.argv[1])))
u.setblocking(False)
print("READY")
sys.stdin.readline()
got = []
while True:
    try:
        d, a = u.recvfrom(100)
    except OSError as e:
        print("END", e.args[0])
        break
    got.append(d.decode())
print("GOT", " ".join(got))
