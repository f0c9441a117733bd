# A TLS client on a port without an ssl module, for tests/test_tls.py.
# MIT licence, see LICENSE.
from tcp_util import attempt
import net
import sys
sys.modules["ssl"] = None
sys.modules["tls"] = None
attempt("TLS", net.createConnection, net.TCP, True)
attempt("TCP", net.createConnection, net.TCP, 0)
