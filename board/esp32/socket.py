# board/esp32/socket.py - the ESP32 firmware's socket module, emulated on the unix port.
# MIT licence, see LICENSE.
#
# Constants as ports/esp32/modsocket.c exports them (values from lwIP's headers, checked against
# micropython-esp32-stubs 1.29 from a real board). No sockaddr/inet_ntop/inet_pton, no AF_UNIX,
# no IP_TTL: net's runtime adapter takes the ESP code paths. The behaviour is in _lwipemu.py.
# `usocket` cannot be shadowed on the 1.29 unix port (the u-name is an alias of the built-in), so
# code must import `socket`, as net does.
from _lwipemu import configure

# setsockopt(level, opt, value): the options socket_setsockopt() switches on (level ignored):
# SO_REUSEADDR, SO_BROADCAST, SO_BINDTODEVICE, TCP_NODELAY, IP_ADD_MEMBERSHIP, and 20 (the
# MICROPY_PY_SOCKET_EVENTS callback). Values: the Linux (level, option) that does the same here.
configure(
    "esp32",
    (4, 32, 4107, 1, 3, 20),
    {4: (1, 2), 32: (1, 6), 1: (6, 1), 3: (0, 35)},
    # Linux errno -> newlib errno, for names MicroPython's errno module lacks.
    {106: 127, 23: 23, 32: 32, 90: 122, 101: 114, 99: 125, 97: 106, 92: 109, 113: 118},
)
from _lwipemu import socket, getaddrinfo  # noqa: E402

AF_INET = 2
AF_INET6 = 10
SOCK_STREAM = 1
SOCK_DGRAM = 2
SOCK_RAW = 3
IPPROTO_IP = 0
IPPROTO_TCP = 6
IPPROTO_UDP = 17
SOL_SOCKET = 4095
SO_REUSEADDR = 4
SO_BROADCAST = 32
SO_BINDTODEVICE = 4107
TCP_NODELAY = 1
IP_ADD_MEMBERSHIP = 3
MSG_PEEK = 1
MSG_DONTWAIT = 8
