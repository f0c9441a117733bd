# A TLS client that queues 100 KB and closes at once: close() sends the queue first, for
# tests/test_tls.py.
# MIT licence, see LICENSE. argv: the test's server port.
from tcp_run import client_run
from scen import say
import net
DATA = b"".join(("%07d," % i).encode() for i in range(12500))  # 100,000 bytes that say where they belong
c = net.createConnection(net.TCP, True)
def on_conn(c):
    c.send(DATA, lambda c: say("CALLBACK"))
    c.close()
    say("CLOSED")

client_run(c, on_conn)
say("END")
