# Tests of net.ifinfo on every target, against the emulated board (board/network.py): the dict's
# shape, firmware with ipconfig() and older firmware with ifconfig() only, an inactive
# interface, an unknown index, and a runtime without any network module. MIT licence, see LICENSE.
import ast

import pytest

import harness

# NodeMCU's dhcp keys; the emulated station is on DHCP, and MicroPython tells no lease detail.
DHCP = {"enabled": True, "server_ip": None, "ntp_server": None}


def sta(target):
    # The emulated station: on loopback, or on a firmware with a link of its own (the lwIP
    # targets) at the board's address on the link's /24, the host as its gateway.
    if target.board_ip == "127.0.0.1":
        ip, mask, gw = "127.0.0.1", "255.0.0.0", "127.0.0.1"
    else:
        ip, mask, gw = target.board_ip, "255.255.255.0", target.host_ip
    return {"ip": ip, "netmask": mask, "gateway": gw, "hwaddr": "02:4e:45:54:00:01", "dhcp": dict(DHCP, client_ip=ip)}


AP = {"ip": "127.0.4.1", "netmask": "255.255.255.0", "gateway": "127.0.4.1", "hwaddr": "02:4e:45:54:00:02", "dhcp": None}


def answers(s):
    out = {}
    for _ in range(8):
        k, _, v = s.line().partition(" ")
        out[k] = dict(ast.literal_eval(v)) if v.startswith("[") else (v if k == "TYPE" else ast.literal_eval(v))
    return out


def check(out, target):
    STA = sta(target)
    assert out["STA"] == STA and out["DEFAULT"] == STA
    assert out["AP"] == AP
    assert out["TWO"] is None and out["NEG"] is None
    assert out["TYPE"] == "index must be an int: 0 (station) or 1 (access point), not str"
    # A static address: the DHCP client is off.
    assert out["STATIC"] == {"ip": "192.168.1.50", "netmask": "255.255.255.0", "gateway": "192.168.1.1", "hwaddr": STA["hwaddr"], "dhcp": None}
    # An inactive interface has no address: None, not "0.0.0.0".
    assert out["DOWN"]["ip"] is None and out["DOWN"]["netmask"] is None and out["DOWN"]["gateway"] is None
    assert out["DOWN"]["hwaddr"] == STA["hwaddr"]


def test_ifinfo_with_ipconfig_firmware(run, target):
    s = run("if_info", "new")
    check(answers(s), target)
    assert s.line() == "DONE"
    s.wait()


def test_ifinfo_with_older_ifconfig_only_firmware(run, target):
    s = run("if_info", "old")
    out = answers(s)
    # ifconfig() cannot tell whether DHCP is on: dhcp is None there (documented).
    STA_OLD = dict(sta(target), dhcp=None)
    STATIC = out["STATIC"]
    assert out["STA"] == STA_OLD
    assert out["AP"] == AP
    assert STATIC["ip"] == "192.168.1.50" and STATIC["gateway"] == "192.168.1.1" and STATIC["dhcp"] is None
    assert out["DOWN"]["ip"] is None
    assert s.line() == "DONE"
    s.wait()


def test_ifinfo_without_a_network_module_says_so(run, target):
    # The same runtime without board/ on the path: a plain unix port or CPython has no
    # `network` module at all.
    if target.frozen_network:
        pytest.skip("%s's firmware has `network` frozen in, as every board firmware has it built in: "
                    "no runtime without one exists there" % target.name)
    run.target = target.without_board()
    s = run("if_no_network")
    assert s.line() == "OSError True ifinfo: this runtime has no network module (on a host, put net's board/ folder on the path)"
    s.wait()
