# The chip's socket module: a fresh socket's poll, a refused connect, recv after it, for
# tests/test_personality.py.
# MIT licence, see LICENSE. argv: a port nothing listens on.
import socket, select, sys, time
s = socket.socket()
p = select.poll()
p.register(s, select.POLLIN)
print("FRESH-IN", [e for o, e in p.ipoll(0)])
p.modify(s, select.POLLIN | select.POLLOUT)
print("FRESH-INOUT", [e for o, e in p.ipoll(0)])
s.setblocking(False)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
except OSError as e:
    print("CONNECT", e.args[0])
time.sleep_ms(100)
print("AFTER", [e for o, e in p.ipoll(0)])
for i in range(2):
    try:
        s.recv(10)
    except OSError as e:
        print("RECV", e.args[0])
