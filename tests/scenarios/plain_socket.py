# tests/scenarios/plain_socket.py - a plain socket of the runtime's, for scenarios that need one.
# MIT licence, see LICENSE.
import socket
from net import _rt
from scen import BOARD_IP


def bound():
    # A socket bound, with SO_REUSEADDR, to a free port at BOARD_IP: (socket, port).
    s = socket.socket()
    _rt.reuse_addr(s)
    return s, _rt.bind_free(s, BOARD_IP)
