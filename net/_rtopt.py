# net/_rtopt.py - the runtime adapter's optional half: what only some programs use (the IP TTL,
# multicast, UDP's limits, unix-domain and file-descriptor listen handles).
# MIT licence, see LICENSE.
#
# Part of the runtime adapter, apart so that a TCP server never holds it in its heap
# (docs/design.md, "Memory"). Like _rt, it may ask which runtime it is on.
import sys

from ._rt import socket, MICROPYTHON, EOPNOTSUPP, AF_UNIX, errnos, _RAW_ADDR


# Unix-domain addresses (where AF_UNIX exists): the unix port binds raw sockaddr_un bytes
# (sa_family in host order, then the path, NUL-terminated); CPython takes the path itself.
if _RAW_ADDR:

    def unix_addr(path):
        import struct

        return struct.pack("H", AF_UNIX) + path.encode() + b"\0"

else:

    def unix_addr(path):
        return path


def from_fd(fd):
    # A listening handle given as {"fd": n}: only CPython can make a socket object of an fd.
    if MICROPYTHON:
        raise OSError(EOPNOTSUPP, "listen: {'fd': n} needs a runtime that can wrap a file descriptor (CPython)")
    return socket.socket(fileno=fd)


def sock_addr(sock):
    # (port, ip) a socket handed to listen() is bound to; (None, None) where the runtime cannot
    # tell. CPython has getsockname; no MicroPython port has. The unix port's sockets have a
    # descriptor: Linux lists its inode's local address in /proc/net/tcp. The boards' have none.
    f = getattr(sock, "getsockname", None)
    if f is not None:
        a = f()
        return (a[1], a[0]) if type(a) is tuple else (None, None)
    try:
        import os

        st = os.stat("/proc/self/fd/%d" % sock.fileno())
        # A socket's inode, matched in the inode column only: a number that is not a host socket
        # (lwip-esp32's are lwIP's; the host holds /dev/null there) matched other columns.
        if st[0] & 0o170000 != 0o140000:
            return (None, None)
        ino = str(st[1])
        with open("/proc/net/tcp") as t:
            for ln in t:
                f = ln.split()
                if len(f) > 9 and f[9] == ino:
                    # "  0: 0100007F:1F90 00000000:0000 0A ...": the address in host order (little-endian)
                    a = f[1]
                    q = int(a[:8], 16)
                    b = (q & 255, q >> 8 & 255, q >> 16 & 255, q >> 24)
                    if sys.byteorder == "big":
                        b = b[::-1]
                    return (int(a[9:13], 16), "%d.%d.%d.%d" % b)
    except (AttributeError, OSError, ValueError):
        pass
    return (None, None)


# --- IP TTL --------------------------------------------------------------------------------
# No MicroPython port names IP_TTL: the unix port passes Linux's number through; ESP ports
# would only print a warning, so they get OSError(EOPNOTSUPP) instead (docs/udp.md, "TTL").
_IP_TTL = getattr(socket, "IP_TTL", None)
_IPPROTO_IP = getattr(socket, "IPPROTO_IP", 0)
if _IP_TTL is None and _RAW_ADDR and sys.platform == "linux":
    _IP_TTL = 2  # Linux IP_TTL, level IPPROTO_IP = 0
CAN_TTL = _IP_TTL is not None


def set_ttl(sock, n):
    if _IP_TTL is None:
        raise OSError(EOPNOTSUPP, "ttl: this port cannot set the IP TTL")
    sock.setsockopt(_IPPROTO_IP, _IP_TTL, n)


# The TTL of a socket net has not set one on: no port has getsockopt, so the unix port reads
# Linux's default once; a port that cannot set a TTL cannot tell one either.
_default_ttl = []


def get_ttl(sock):
    if _IP_TTL is None:
        raise OSError(EOPNOTSUPP, "ttl: this port cannot read or set the IP TTL")
    if hasattr(sock, "getsockopt"):
        return sock.getsockopt(_IPPROTO_IP, _IP_TTL)
    if not _default_ttl:
        n = 64  # Linux's built-in default
        try:
            with open("/proc/sys/net/ipv4/ip_default_ttl") as f:
                n = int(f.read())
        except (OSError, ValueError):
            pass
        _default_ttl.append(n)
    return _default_ttl[0]


# IP_MULTICAST_TTL: the TTL of multicast datagrams (Linux's default is 1: the local link only).
# UDP's ttl(n) sets both, so that ttl(n) means the same for unicast and multicast sends. The unix
# port has no name for it and passes Linux's number through, as for IP_TTL.
_IP_MULTICAST_TTL = getattr(socket, "IP_MULTICAST_TTL", None)
if _IP_MULTICAST_TTL is None and _RAW_ADDR and sys.platform == "linux":
    _IP_MULTICAST_TTL = 33


def set_mcast_ttl(sock, n):
    if _IP_MULTICAST_TTL is not None:
        sock.setsockopt(_IPPROTO_IP, _IP_MULTICAST_TTL, n)


# --- UDP -----------------------------------------------------------------------------------
# The largest datagram net sends: one 1500-byte frame less the headers where lwIP does not
# reassemble fragments, IPv4's own limit on a host (docs/udp.md, "Datagram size limit, per port").
LWIP = MICROPYTHON and not _RAW_ADDR
UDP_MAX = 1472 if LWIP else 65507

# sendto's "no buffer now, try again": lwIP answers ENOMEM when its pbuf pool is empty (freed as
# the radio sends), Linux EAGAIN or ENOBUFS when the socket's send buffer is full.
TXAGAIN = errnos("EAGAIN", "EWOULDBLOCK", "ENOBUFS", "ENOMEM")

# Multicast membership, with the mreq of 8 bytes (group, then interface; network order). Every
# port has IP_ADD_MEMBERSHIP (ESP ports ignore the level); IP_DROP_MEMBERSHIP exists on
# ESP8266, the unix port and CPython, not on ESP32: leave is refused there, never called.
_IP_ADD_MEMBERSHIP = getattr(socket, "IP_ADD_MEMBERSHIP", None)
_IP_DROP_MEMBERSHIP = getattr(socket, "IP_DROP_MEMBERSHIP", None)
CAN_JOIN = _IP_ADD_MEMBERSHIP is not None
CAN_LEAVE = _IP_DROP_MEMBERSHIP is not None


def mcast_join(sock, mreq):
    if _IP_ADD_MEMBERSHIP is None:
        raise OSError(EOPNOTSUPP, "multicastJoin: this port has no IP_ADD_MEMBERSHIP")
    sock.setsockopt(_IPPROTO_IP, _IP_ADD_MEMBERSHIP, mreq)


def mcast_leave(sock, mreq):
    if _IP_DROP_MEMBERSHIP is None:
        raise OSError(EOPNOTSUPP, "multicastLeave: this port (ESP32) cannot leave a multicast group")
    sock.setsockopt(_IPPROTO_IP, _IP_DROP_MEMBERSHIP, mreq)


