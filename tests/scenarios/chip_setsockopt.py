# The chip's socket module: known options, then one no ESP port has (a warning), for
# tests/test_personality.py.
# MIT licence, see LICENSE.
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
print("KNOWN OK")
s.setsockopt(0, 2, 64)   # Linux IP_TTL: no ESP port has it
print("AFTER")
