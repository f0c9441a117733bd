# board/network.py - the emulated board's `network` module, for running net on a host.
# MIT licence, see LICENSE.
#
# A board's firmware has a `network` module; a host has not. This one answers the calls net
# (and board code in general) makes, with the firmware's shapes, so that code written for a
# board imports and runs unchanged on CPython and on the MicroPython unix port:
# - network.WLAN(network.STA_IF) (index 0): the station, "connected", on 127.0.0.1/8 (or, on a
#   firmware with a link of its own, NET_IP/NET_MASK/NET_GW from the environment);
# - network.WLAN(network.AP_IF) (index 1): the access point, on 127.0.4.1/24 (the shape of an
#   ESP's 192.168.4.1 but on loopback, so that the host can reach it);
# - WLAN.ifconfig([(ip, mask, gw, dns)]) (every firmware), WLAN.ipconfig(...) and the module
#   function network.ipconfig(dns=...) (firmware 1.24 and later), WLAN.config("mac"), active(),
#   isconnected(), status(), connect(), disconnect(), network.hostname();
# - the DNS server setting, global as on the firmware (lwIP keeps one list for all
#   interfaces): defaults to NET_BOARD_DNS from the environment, else 127.0.0.53.
# Not emulated: scanning, radio settings (txpower, channel), WPA; they raise OSError(EOPNOTSUPP)
# rather than pretend.
import errno

try:
    from os import getenv
except ImportError:  # CPython
    from os import environ

    getenv = environ.get

STA_IF = 0
AP_IF = 1

STAT_IDLE = 1000
STAT_CONNECTING = 1001
STAT_GOT_IP = 1010

_dns = [getenv("NET_BOARD_DNS") or "127.0.0.53", "0.0.0.0"]
_hostname = ["mpy-vboard"]


def _check_ip(ip):
    parts = ip.split(".") if type(ip) is str else ()
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        raise ValueError("invalid IPv4 address %r" % (ip,))
    return ip


class WLAN:
    # Two instances, like the firmware: WLAN(0) and WLAN(1) always return the same object.
    _ifs = {}

    def __new__(cls, interface_id=STA_IF):
        if interface_id not in (STA_IF, AP_IF):
            raise ValueError("invalid WLAN interface identifier")
        w = cls._ifs.get(interface_id)
        if w is None:
            w = object.__new__(cls)
            w._init(interface_id)
            cls._ifs[interface_id] = w
        return w

    def __init__(self, interface_id=STA_IF):
        pass

    def _init(self, idx):
        self._idx = idx
        self._active = True
        if idx == STA_IF:
            # A firmware with a real link (the lwIP targets) is given its address in NET_IP.
            self._addr = [getenv("NET_IP") or "127.0.0.1", getenv("NET_MASK") or "255.0.0.0", getenv("NET_GW") or "127.0.0.1"]
            self._dhcp = True
            self._mac = b"\x02\x4e\x45\x54\x00\x01"  # locally administered
            self._ssid = "loopback"
        else:
            self._addr = ["127.0.4.1", "255.255.255.0", "127.0.4.1"]
            self._dhcp = False
            self._mac = b"\x02\x4e\x45\x54\x00\x02"
            self._ssid = "mpy-vboard-ap"

    def __repr__(self):
        return "<WLAN %s>" % ("STA" if self._idx == STA_IF else "AP")

    def active(self, *args):
        if args:
            self._active = bool(args[0])
            return None
        return self._active

    def isconnected(self):
        if self._idx == STA_IF:
            return self._active
        return False  # an AP answers whether a station is connected to it: none here

    def status(self, *args):
        if args:
            if args[0] == "rssi":
                return -40
            if args[0] == "stations":
                return []
            raise ValueError("unknown status param")
        return STAT_GOT_IP if self._active and self._idx == STA_IF else STAT_IDLE

    def connect(self, ssid=None, key=None, **kw):
        if self._idx != AP_IF:
            self._active = True

    def disconnect(self):
        pass

    def scan(self):
        raise OSError(errno.EOPNOTSUPP)

    def config(self, *args, **kw):
        if kw:
            for k in kw:
                if k == "ssid" or k == "essid":
                    self._ssid = kw[k]
                elif k == "mac":
                    if len(kw[k]) != 6:
                        raise ValueError("mac must be 6 bytes")
                    self._mac = bytes(kw[k])
                elif k in ("hostname", "dhcp_hostname"):
                    _hostname[0] = kw[k]
                else:
                    raise OSError(errno.EOPNOTSUPP)
            return None
        if len(args) != 1:
            raise TypeError("config() takes one parameter name or keyword arguments")
        p = args[0]
        if p == "mac":
            return self._mac
        if p in ("ssid", "essid"):
            return self._ssid
        if p in ("hostname", "dhcp_hostname"):
            return _hostname[0]
        raise ValueError("unknown config param")

    def ifconfig(self, *args):
        # (ip, netmask, gateway, dns); the dns part is the global first server.
        if args:
            c = args[0]
            if len(c) != 4:
                raise ValueError("ifconfig needs (ip, netmask, gateway, dns)")
            for a in c:
                _check_ip(a)
            self._addr = [c[0], c[1], c[2]]
            self._dhcp = False
            _dns[0] = c[3]
            return None
        if not self._active:
            return ("0.0.0.0", "0.0.0.0", "0.0.0.0", _dns[0])
        return (self._addr[0], self._addr[1], self._addr[2], _dns[0])

    def ipconfig(self, *args, **kw):
        # Firmware 1.24+: ipconfig("addr4") -> (ip, netmask), "gw4", "dhcp4", "has_dhcp4".
        if kw:
            for k in kw:
                v = kw[k]
                if k == "addr4":
                    if type(v) is tuple:
                        ip, mask = v
                    else:
                        ip, _, bits = v.partition("/")
                        n = int(bits or 24)
                        m = (0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF
                        mask = "%d.%d.%d.%d" % (m >> 24, (m >> 16) & 255, (m >> 8) & 255, m & 255)
                    self._addr[0] = _check_ip(ip)
                    self._addr[1] = _check_ip(mask)
                    self._dhcp = False
                elif k == "gw4":
                    self._addr[2] = _check_ip(v)
                elif k == "dhcp4":
                    self._dhcp = bool(v)
                else:
                    raise ValueError("unexpected key")
            return None
        if len(args) != 1:
            raise TypeError("ipconfig() takes one parameter name or keyword arguments")
        p = args[0]
        if p == "addr4":
            if not self._active:
                return ("0.0.0.0", "0.0.0.0")
            return (self._addr[0], self._addr[1])
        if p == "gw4":
            return self._addr[2] if self._active else "0.0.0.0"
        if p == "dhcp4":
            return self._dhcp
        if p == "has_dhcp4":
            return self._dhcp and self._active
        raise ValueError("unexpected key")


def ipconfig(*args, **kw):
    # Module level (firmware 1.24+): ipconfig("dns") -> first server; ipconfig(dns="a.b.c.d").
    if kw:
        for k in kw:
            if k == "dns":
                _dns[0] = _check_ip(kw[k])
            elif k == "prefer":
                pass
            else:
                raise ValueError("unexpected key")
        return None
    if len(args) != 1:
        raise TypeError("ipconfig() takes one parameter name or keyword arguments")
    if args[0] == "dns":
        return _dns[0]
    if args[0] == "prefer":
        return 4
    raise ValueError("unexpected key")


def hostname(*args):
    if args:
        _hostname[0] = args[0]
        return None
    return _hostname[0]


def country(*args):
    return "XX" if not args else None
