# net/_if.py - interface info and multicast membership: ifinfo, multicastJoin, multicastLeave.
# MIT licence, see LICENSE.
#
# ifinfo reads the firmware's network.WLAN (the emulated board's on a host). Multicast
# membership is per interface, as NodeMCU's calls are, held by one UDP socket of this module
# (docs/udp.md, "Multicast").
from . import _rt, _rtopt

_groups = []  # the 8-byte mreq (group, interface) of every group joined
_member = [None]  # the socket holding the memberships


def _aton(ip):
    # "a.b.c.d" (checked) -> 4 bytes, network order (no inet_aton on the ESP ports).
    p = ip.split(".")
    return bytes((int(p[0]), int(p[1]), int(p[2]), int(p[3])))


def _mreq(if_ip, group):
    if type(if_ip) is not str:
        raise TypeError("if_ip must be a str: a dotted quad, or '' or 'any' for all interfaces, not %s" % type(if_ip).__name__)
    if type(group) is not str:
        raise TypeError("group must be a str, a dotted quad in 224.0.0.0/4, not %s" % type(group).__name__)
    if if_ip == "" or if_ip == "any":
        if_ip = "0.0.0.0"
    elif not _rt.is_ip(if_ip):
        raise ValueError("if_ip must be a dotted quad, or '' or 'any' for all interfaces, got %r" % (if_ip,))
    if not _rt.is_ip(group) or not 224 <= int(group.split(".")[0]) <= 239:
        raise ValueError("group must be a multicast address in 224.0.0.0/4 (224.0.0.0..239.255.255.255), got %r" % (group,))
    return _aton(group) + _aton(if_ip)


def multicastJoin(if_ip, group):
    # Join group on the interface with address if_ip ("" or "any": the stack's choice by route).
    # Joining a group already joined on that interface does nothing.
    m = _mreq(if_ip, group)
    if m in _groups:
        return
    s = _member[0]
    if s is None:
        s = _rt.new_socket(_rt.SOCK_DGRAM)
    try:
        _rtopt.mcast_join(s, m)
    except OSError:
        if not _groups:
            s.close()
        raise
    _member[0] = s
    _groups.append(m)


def multicastLeave(if_ip, group):
    # Leave a group joined with the same (if_ip, group). ESP32: OSError(EOPNOTSUPP), its
    # firmware has no IP_DROP_MEMBERSHIP.
    m = _mreq(if_ip, group)
    if not _rtopt.CAN_LEAVE:
        _rtopt.mcast_leave(None, m)  # raises the port's clear error
    if m not in _groups:
        raise OSError(_rt.EINVAL, "multicastLeave: %s was not joined on %s" % (group, if_ip or "any"))
    _rtopt.mcast_leave(_member[0], m)
    _groups.remove(m)
    if not _groups:
        _member[0].close()
        _member[0] = None


def _addr(a):
    return None if not a or a == "0.0.0.0" else a


def ifinfo(index=0):
    # The dict docs/API.md describes for interface index (0 station, 1 access point), or None
    # for an index the board does not have; ipconfig() on firmware 1.24+, else ifconfig().
    if type(index) is not int:
        raise TypeError("index must be an int: 0 (station) or 1 (access point), not %s" % type(index).__name__)
    try:
        import network
    except ImportError:
        raise OSError(_rt.EOPNOTSUPP, "ifinfo: this runtime has no network module (on a host, put net's board/ folder on the path)")
    wlan = getattr(network, "WLAN", None)
    if wlan is None or index not in (0, 1):
        return None
    try:
        w = wlan(index)
    except (ValueError, OSError):  # a board without that interface
        return None
    dhcp = None
    if hasattr(w, "ipconfig"):
        ip, mask = w.ipconfig("addr4")
        gw = w.ipconfig("gw4")
        try:
            if w.ipconfig("dhcp4"):
                dhcp = {"enabled": True, "server_ip": None, "client_ip": None, "ntp_server": None}
        except (ValueError, OSError):
            pass
    else:
        ip, mask, gw = w.ifconfig()[:3]
    ip = _addr(ip)
    if dhcp is not None:
        dhcp["client_ip"] = ip
    try:
        mac = w.config("mac")
        hw = ":".join("%02x" % b for b in mac)
    except (ValueError, OSError):
        hw = None
    return {
        "ip": ip,
        "netmask": _addr(mask) if ip else None,
        "gateway": _addr(gw) if ip else None,
        "hwaddr": hw,
        "dhcp": dhcp,
    }


def local_ip(peer_ip):
    # This end's address on a socket bound to 0.0.0.0 (no port has getsockname): the interface
    # whose subnet holds the peer. Address and mask only: this runs in whatever heap is left.
    if peer_ip.startswith("127."):
        return "127.0.0.1"
    try:
        import network
    except ImportError:  # no network module: nothing better to say
        return "0.0.0.0"
    wlan = getattr(network, "WLAN", None)
    best = None
    for i in (0, 1):
        try:
            w = wlan(i)
            ip, mask = w.ipconfig("addr4") if hasattr(w, "ipconfig") else w.ifconfig()[:2]
        except (TypeError, ValueError, OSError):  # no such interface (or no WLAN at all)
            continue
        if _addr(ip) is None:
            continue
        if best is None:
            best = ip
        if _same_net(peer_ip, ip, mask or "255.255.255.255"):
            return ip
    return best or "0.0.0.0"


def _same_net(a, b, mask):
    for x, y, m in zip(a.split("."), b.split("."), mask.split(".")):
        if int(x) & int(m) != int(y) & int(m):
            return False
    return True
