# Tests of net.multicastJoin / net.multicastLeave on every target: a datagram sent to the group
# arrives after the join and none after the leave, on this host's loopback and between two
# network namespaces joined by a veth pair; the sensor/listener examples. MIT licence, see LICENSE.
#
# Network namespaces need root (CAP_SYS_ADMIN) and `ip`; where the machine refuses them the
# tests that need them are skipped with the reason. Every namespace is deleted afterwards.
import ctypes
import os
import random
import socket
import subprocess
import threading
import time

import pytest

import harness

ROOT = harness.ROOT


def rand_group():
    # A fresh group per test: other test processes on this host may use multicast too.
    return "239.77.%d.%d" % (random.randint(0, 255), random.randint(1, 254))


def rand_port():
    return random.randint(20000, 40000)


def mc_sender(if_ip=None, sock=None):
    # if_ip: the sender's interface; by default the host's address (where the board is reached).
    if_ip = if_ip or harness.host_ip()
    s = sock or socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(if_ip))
    s.bind((if_ip, 0))
    return s


# --- network namespaces ----------------------------------------------------------------------
_CLONE_NEWNET = 0x40000000


def _ip(*args):
    r = subprocess.run(("ip",) + args, capture_output=True, text=True, timeout=20)
    if r.returncode:
        raise OSError("ip %s: %s" % (" ".join(args), r.stderr.strip()))


class Netns:
    # Named network namespaces for one test, deleted by close().
    def __init__(self):
        self.names = []

    def add(self, tag):
        name = "netudp%s-%d-%d" % (tag, os.getpid(), random.randint(0, 99999))
        _ip("netns", "add", name)
        self.names.append(name)
        _ip("-n", name, "link", "set", "lo", "up")
        return name

    def socket(self, ns, *args):
        # A socket living in namespace ns: created by a thread that entered it (setns moves
        # only the calling thread), then used from here like any socket.
        out = {}

        def work():
            try:
                libc = ctypes.CDLL(None, use_errno=True)
                fd = os.open("/var/run/netns/" + ns, os.O_RDONLY)
                try:
                    if libc.setns(fd, _CLONE_NEWNET) != 0:
                        raise OSError(ctypes.get_errno(), "setns into " + ns)
                    out["s"] = socket.socket(*args)
                finally:
                    os.close(fd)
            except Exception as e:
                out["e"] = e

        t = threading.Thread(target=work)
        t.start()
        t.join(10)
        if "e" in out:
            raise out["e"]
        return out["s"]

    def close(self):
        for n in self.names:
            subprocess.run(("ip", "netns", "del", n), capture_output=True, timeout=20)
        self.names = []


class NsTarget(harness.Target):
    # The same runtime (its interpreter, path and environment), started inside a network
    # namespace.
    def __init__(self, base, ns):
        harness.Target.__init__(self, "%s@%s" % (base.name, ns), base.kind, base.netpath, base.boardpath)
        self.ns = ns
        self.base = base
        self.budget = base.budget
        self.board_heap = base.board_heap

    def argv(self, script, args, heap=None):
        return ["ip", "netns", "exec", self.ns] + self.base.argv(script, args, heap)

    def env(self, script_dir, extra=None):
        return self.base.env(script_dir, extra)


@pytest.fixture
def netns(target):
    # The tests that make namespaces start the target's process in one (ip netns exec), which
    # only a board on the host's own stack can be: an lwIP board lives on its TAP link.
    if target.board_ip != "127.0.0.1":
        pytest.skip("the test starts the board in a network namespace of its own, which a board on its own link (lwIP, TAP) cannot enter")
    n = Netns()
    try:
        n.add("probe")
    except (OSError, subprocess.SubprocessError) as e:
        n.close()
        pytest.skip("network namespaces are not available here: %s" % e)
    yield n
    n.close()


def start_in(target, ns, script, *args, started, board_heap=None):
    if not os.path.isabs(script):
        script = os.path.join(harness.SCENARIOS, script + ".py")
    s = harness.Scenario(NsTarget(target, ns), script, args, board_heap=board_heap)
    started.append(s)
    return s


@pytest.fixture
def started(request):
    lst = []
    request.node._scenarios = lst
    yield lst
    for s in lst:
        s.kill()


ESP32 = "esp32"  # the chip whose socket module has no IP_DROP_MEMBERSHIP (ports/esp32/modsocket.c
# setsockopt: IP_ADD_MEMBERSHIP only): the personality and lwip-esp32 alike


def leave_refused(target, s):
    # On ESP32 multicastLeave raises a clear OSError (docs/udp.md): check that, and stop there.
    if target.chip != ESP32:
        return False
    assert s.line() == "LEAVE-REFUSED multicastLeave: this port (ESP32) cannot leave a multicast group"
    s.kill()
    return True


# --- join and leave on this host's loopback (the lwIP targets: their link to the host) --------
def test_join_receives_and_leave_stops_on_loopback(run, target):
    group, port = rand_group(), rand_port()
    s = run("udp_mcast", group, port, target.board_ip, board_heap=harness.UDP_RX_HEAP)  # a 65507-byte receive buffer (see there)
    pa, pb = (int(x) for x in s.expect("LISTENING").split())
    tx = mc_sender()
    me, host = tx.getsockname()[1], target.host_ip
    # Socket a existed before the join, socket b was created after it: both receive.
    tx.sendto(b"g1", (group, pa))
    assert s.expect("RECV") == "a b'g1' %d %s" % (me, host)
    tx.sendto(b"g2", (group, pb))
    assert s.expect("RECV") == "b b'g2' %d %s" % (me, host)
    tx.sendto(b"leave", (s.ip, pa))
    assert s.line() == "RECV a b'leave' %d %s" % (me, host)
    if leave_refused(target, s):
        return
    assert s.line() == "LEFT"
    # After the leave: the group's datagrams do not arrive; a unicast datagram sent after them
    # on the same path does, and is the next thing the target sees.
    tx.sendto(b"g3", (group, pa))
    tx.sendto(b"g4", (group, pb))
    tx.sendto(b"end", (s.ip, pa))
    assert s.line() == "RECV a b'end' %d %s" % (me, host)
    s.expect("DONE")
    s.wait()


def test_join_and_leave_validate_their_arguments(run, target):
    s = run("mcast_validation")
    einval = 22
    want_if = "ValueError - if_ip must be a dotted quad, or '' or 'any' for all interfaces, got %r"
    want_group = "ValueError - group must be a multicast address in 224.0.0.0/4 (224.0.0.0..239.255.255.255), got %r"
    assert s.line() == "if-bad " + want_if % "10.0.0"
    assert s.line() == "if-name " + want_if % "eth0"
    assert s.line() == "if-type TypeError - if_ip must be a str: a dotted quad, or '' or 'any' for all interfaces, not NoneType"
    assert s.line() == "group-unicast " + want_group % "192.168.1.1"
    assert s.line() == "group-240 " + want_group % "240.0.0.1"
    assert s.line() == "group-223 " + want_group % "223.255.255.255"
    assert s.line() == "group-type TypeError - group must be a str, a dotted quad in 224.0.0.0/4, not int"
    if target.chip == ESP32:
        refused = "OSError %d multicastLeave: this port (ESP32) cannot leave a multicast group" % int(s.expect("EOPNOTSUPP"))
        assert s.expect("leave-unjoined") == refused
        assert s.line() == "join ok"
        assert s.line() == "join-again ok"
        assert s.line() == "leave " + refused
        assert s.line() == "leave-again " + refused
        assert s.line() == "join-239 ok"
        assert s.line() == "leave-239 " + refused
        assert s.line() == "DONE"
        s.wait()
        return
    assert s.expect("EOPNOTSUPP")
    assert s.line() == "leave-unjoined OSError %d multicastLeave: 239.1.2.3 was not joined on %s" % (einval, s.ip)
    assert s.line() == "join ok"
    assert s.line() == "join-again ok"  # joining twice is one membership
    assert s.line() == "leave ok"
    assert s.line() == "leave-again OSError %d multicastLeave: 224.0.0.251 was not joined on %s" % (einval, s.ip)
    assert s.line() == "join-239 ok"
    assert s.line() == "leave-239 ok"
    assert s.line() == "DONE"
    s.wait()


# --- join and leave between two network namespaces ---------------------------------------------
def veth_pair(netns):
    a = netns.add("A")
    b = netns.add("B")
    n = random.randint(1, 250)
    ia, ib = "10.201.%d.1" % n, "10.201.%d.2" % n
    va, vb = "vmA%d" % n, "vmB%d" % n
    _ip("link", "add", va, "netns", a, "type", "veth", "peer", "name", vb, "netns", b)
    _ip("-n", a, "addr", "add", ia + "/24", "dev", va)
    _ip("-n", b, "addr", "add", ib + "/24", "dev", vb)
    _ip("-n", a, "link", "set", va, "up")
    _ip("-n", b, "link", "set", vb, "up")
    return a, ia, b, ib


def test_join_receives_and_leave_stops_between_namespaces(target, netns, started):
    try:
        a, ia, b, ib = veth_pair(netns)
    except OSError as e:
        pytest.skip("no veth pair between namespaces here: %s" % e)
    group, port = rand_group(), rand_port()
    s = start_in(target, a, "udp_mcast", group, port, ia, started=started, board_heap=harness.UDP_RX_HEAP)  # a 65507-byte receive buffer (see there)
    pa, pb = (int(x) for x in s.expect("LISTENING", timeout=20).split())
    tx = mc_sender(ib, netns.socket(b, socket.AF_INET, socket.SOCK_DGRAM))
    me = tx.getsockname()[1]
    # The veth link may need a moment to come up: the first datagram is repeated until it is
    # seen (bounded), then each one is sent once.
    deadline = time.monotonic() + 15
    while "RECV a b'g1'" not in s.output and time.monotonic() < deadline and s.p.poll() is None:
        tx.sendto(b"g1", (group, pa))
        time.sleep(0.2)
    assert s.expect("RECV") == "a b'g1' %d %s" % (me, ib)  # the real sender, in the other namespace
    tx.sendto(b"g2", (group, pb))
    assert s.expect("RECV b b'g2'") == "%d %s" % (me, ib)
    tx.sendto(b"leave", (ia, pa))
    assert s.expect("RECV a b'leave'") == "%d %s" % (me, ib)
    if leave_refused(target, s):
        return
    assert s.line() == "LEFT"
    tx.sendto(b"g3", (group, pa))
    tx.sendto(b"g4", (group, pb))
    tx.sendto(b"end", (ia, pa))
    assert s.line() == "RECV a b'end' %d %s" % (me, ib)
    s.expect("DONE")
    s.wait()


# --- the examples: a sensor announcing itself, a listener ---------------------------------------
def test_sensor_and_listener_examples(target, netns, started):
    # Both run on the target, in a namespace of their own whose route for 224.0.0.0/4 goes
    # through loopback (on this host it goes out of the default interface, where the sensor's
    # datagrams would leave the machine).
    ns = netns.add("L")
    _ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", "lo", "src", "127.0.0.1")
    ex = os.path.join(ROOT, "examples")
    lis = start_in(target, ns, os.path.join(ex, "multicast_listener.py"), "any", 3, started=started, board_heap=harness.UDP_RX_HEAP)  # a 65507-byte receive buffer (see there)
    assert lis.expect("listening on", timeout=20) == "239.255.42.99:4242"
    sen = start_in(target, ns, os.path.join(ex, "multicast_sensor.py"), "kitchen", 3, 100, started=started)
    sent = [sen.expect("announced", timeout=20) for _ in range(3)]
    assert sent == ["sensor kitchen ip 127.0.0.1 seq %d value %d" % (i, 20 + i % 5) for i in (1, 2, 3)]
    sen.expect("sensor done")
    sen.wait()
    heard = [lis.expect("heard", timeout=20) for _ in range(3)]
    ports = {h.split()[2].split(":")[1] for h in heard}
    assert len(ports) == 1  # one sensor socket, bound once
    port = ports.pop()
    assert heard == ["kitchen from 127.0.0.1:%s seq %d value %d" % (port, i, 20 + i % 5) for i in (1, 2, 3)]
    if target.chip == ESP32:
        assert lis.expect("still a member:").endswith("cannot leave a multicast group")
    lis.expect("listener done")
    lis.wait()
