# A client that queues 3 MB and closes at once: close() flushes first, for tests/test_tcp_socket.py.
# MIT licence, see LICENSE. argv: the test's server port.
from tcp_run import client_run
from scen import say
import net
c = net.createConnection()
def on_conn(c):
    r = c.send(b"z" * 3000000)
    say("RET", r)
    c.close()
    say("CLOSED-CALLED")

client_run(c, on_conn)
