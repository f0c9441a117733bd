# board/esp8266/socket.py - the ESP8266 firmware's socket module (modlwip), emulated on unix.
# MIT licence, see LICENSE.
#
# Constants as extmod/modlwip.c exports them (lwIP 1.4 raw-API values: SOF_* socket options,
# TF_NODELAY, modlwip's own IP_ADD/DROP_MEMBERSHIP 0x400/0x401), checked against
# micropython-esp8266-stubs 1.29 from a real board. No IPPROTO_UDP, no sockaddr/inet_ntop, no
# AF_UNIX, no IP_TTL. The behaviour is in _lwipemu.py. `usocket` cannot be shadowed on the unix
# port (alias of the built-in): import `socket`, as net does.
from _lwipemu import configure

# setsockopt(level, opt, value): the options lwip_socket_setsockopt() switches on (level
# ignored): SOF_REUSEADDR, SOF_BROADCAST, TCP_NODELAY, IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP and
# 20 (the callback). Values: the Linux (level, option) that does the same here.
configure(
    "esp8266",
    (4, 32, 64, 1024, 1025, 20),
    {4: (1, 2), 32: (1, 6), 64: (6, 1), 1024: (0, 35), 1025: (0, 36)},
    # Linux errno -> MicroPython's internal errno (Linux numbering) for names errno lacks.
    {106: 106, 23: 23, 32: 32, 90: 90, 101: 101, 99: 99, 97: 97, 92: 92},
)
from _lwipemu import socket, getaddrinfo  # noqa: E402

AF_INET = 2
AF_INET6 = 10
SOCK_STREAM = 1
SOCK_DGRAM = 2
SOCK_RAW = 3
IPPROTO_IP = 0
IPPROTO_TCP = 6
SOL_SOCKET = 1
SO_REUSEADDR = 4
SO_BROADCAST = 32
TCP_NODELAY = 64
IP_ADD_MEMBERSHIP = 1024
IP_DROP_MEMBERSHIP = 1025
MSG_PEEK = 1
MSG_DONTWAIT = 2
