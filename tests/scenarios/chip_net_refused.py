# A net client refused, as the chip reports it, for tests/test_personality.py.
# MIT licence, see LICENSE. argv: a port nothing listens on.
import net, sys
c = net.createConnection()
c.on("connection", lambda s: print("CONNECTION"))
c.on("disconnection", lambda s, err: print("DISCONNECTION", err))
c.on("reconnection", lambda s, err: print("RECONNECTION", err))
c.connect(int(sys.argv[1]), "127.0.0.1")
net.run()
print("DONE")
