# A net UDP socket that reads datagrams that waited (the chip's queue), for
# tests/test_personality.py.
# MIT licence, see LICENSE. argv: the test's port.
import net, sys
from net._loop import Timer
u = net.createUDPSocket()
u.on("receive", lambda s, data, port, ip: print("RECV", data.decode()))
u.listen(int(sys.argv[1]), "127.0.0.1")
print("READY")
sys.stdin.readline()
Timer(lambda a: u.close()).start(500)
net.run()
print("DONE")
