# tests/scenarios/chip_listener.py - for the scenarios that listen with the chip's own socket
# module (tests/test_personality.py). MIT licence, see LICENSE.
import socket
import sys


def reusable():
    # A socket with SO_REUSEADDR.
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return l


def listener():
    # One listening on the test's port (the scenario's first argument).
    l = reusable()
    l.bind(("127.0.0.1", int(sys.argv[1])))
    l.listen(2)
    return l
