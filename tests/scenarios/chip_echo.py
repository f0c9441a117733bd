# A net echo server on the test's port, printing each disconnection, for tests/test_personality.py.
# MIT licence, see LICENSE. argv: the test's port.
import net, sys
srv = net.createServer(net.TCP, 30)
def on_conn(c):
    c.on("receive", lambda s, d: s.send(d))
    c.on("disconnection", lambda s, err: print("DISCONNECTION", err))
srv.listen(int(sys.argv[1]), "127.0.0.1", on_conn)
print("READY")
net.run()
