# tests/scenarios/tcp_run.py - how the TCP and TLS scenarios end: a client runs, a server serves.
# MIT licence, see LICENSE.
import net
from scen import say, arg, BOARD_IP, HOST_IP


def client_run(c, on_conn):
    # c connects to the test's server (at HOST_IP, the port the scenario's first argument)
    # with on_conn as its `connection` handler, prints its disconnection, and runs until it
    # is over.
    c.on("connection", on_conn)
    c.on("disconnection", lambda c, e: say("DISCONNECTION", e))
    c.connect(arg(0), HOST_IP)
    net.run()


def serve(srv, on_conn=None):
    # srv listens on a free port at BOARD_IP (with on_conn as NodeMCU's per-connection
    # callback, if given), tells the test the port ("PORT n"), and serves until it is over.
    if on_conn is None:
        srv.listen(0, BOARD_IP)
    else:
        srv.listen(0, BOARD_IP, on_conn)
    say("PORT", srv.getaddr()[0])
    net.run()
