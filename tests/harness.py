# tests/harness.py - targets and scenario processes for the test suite.
# MIT licence, see LICENSE.
#
# A test is written once and runs on every target (conftest.py parametrizes `target`). The
# code under test runs on the target as a scenario script (tests/scenarios/*.py, or an
# example's file); the pytest process is the network peer. A scenario reports what the user would see
# as lines on stdout ("PORT 49731", "RECV b'hi'"); the test reads them in order with
# expect(). Whatever the target prints, tracebacks included, goes into the failure message.
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join(ROOT, "tests", "scenarios")
BOARD = os.path.join(ROOT, "board")
BIN = os.path.dirname(sys.executable)


def micropython_exe():
    exe = os.path.join(BIN, "micropython")
    return exe if os.path.exists(exe) else "micropython"


class Target:
    # One runtime that scenarios run on. `kind` is what tests ask about ("cpython" or
    # "micropython"); `name` is the id in the report (several targets may share a kind).
    name = kind = None
    # Extra directories put in front of net on the path (board personalities, .mpy builds).
    def __init__(self, name, kind, netpath=ROOT, boardpath=(BOARD,), env=None):
        self.name = name
        self.kind = kind
        self.netpath = netpath
        self.boardpath = list(boardpath)
        self.extra_env = dict(env or {})  # set for every scenario (a test's env= wins)

    def __repr__(self):
        return self.name

    # The board's address: scenarios' servers listen on it and the test's peers connect to it.
    # The host's address: where the board reaches the test's own servers (DNS, TCP, UDP peers).
    # Loopback on the host targets; a TAP link's two ends on the lwIP targets; a real board's
    # Wi-Fi address and the host's address on that network on `device`. Scenarios read them
    # from scen.BOARD_IP and scen.HOST_IP; tests from board_ip() and host_ip() below.
    board_ip = host_ip = "127.0.0.1"
    # The network the board and the host share, for what a test makes once per network (DNS
    # servers): "loopback" (every host target), "link" (the lwIP targets' TAP link), "device".
    network = "loopback"

    def host_addresses(self):
        # Addresses of this host that the board reaches, for the test's servers that need one
        # of their own (DNS servers: port 53, all a resolver asks). Loopback: random ones in
        # 127.0.0.0/8 (sessions side by side never meet); the lwIP targets: the bridge's spare
        # addresses; a real board: none (the host has one address on its network).
        import random

        return ["127.%d.%d.%d" % (random.randint(100, 250), random.randint(0, 255), random.randint(2, 250)) for _ in range(200)]

    def enter(self):
        # Before each test on this target (the `target` fixture): what the test's peers need
        # (the lwIP targets move the test into their link's network namespace).
        pass

    def leave(self):
        pass

    # The heap a scenario gets when its test gives none: None, the runtime's default; a board's
    # budget on targets that impose one (frozen: 38K). There a test whose scenario needs more
    # says so with board_heap= (and why, beside it); heap= is for every MicroPython target.
    budget = None

    def board_heap(self, size):
        # A heap size given for a 32-bit board, as this target needs it.
        return size

    # The errno numbers of this target's runtime, where they differ from the host's (a board
    # personality's board/<chip>/errno.py); tests compare with target.errno("EALREADY").
    errnos = None
    # What the target is, asked one way everywhere (never by its name):
    # chip: the chip whose socket module the target runs ("esp32", "esp8266", "rp2": a board
    #   personality or an lwIP build), None for the host's own (the unix port's, CPython's);
    # lwip: the socket module is a board's own C code on real lwIP over a TAP link (every
    #   LwipTarget: lwip-esp8266, lwip-rp2, lwip-esp32), not the host's kernel;
    # modlwip: that C code is MicroPython's extmod/modlwip.c (lwip-esp8266, lwip-rp2; lwip-esp32
    #   runs ports/esp32/modsocket.c over lwIP's socket API). A personality is neither.
    chip = None
    lwip = False
    modlwip = False
    # True where `network` is in the firmware itself (frozen), so no runtime without it exists.
    frozen_network = False

    def errno(self, name):
        if self.errnos and name in self.errnos:
            return self.errnos[name]
        import errno as _errno

        return getattr(_errno, name)

    @property
    def refused(self):
        # The errno of a refused connect as this target reports it. lwIP (every chip) has no
        # ECONNREFUSED: the RST that answers the SYN is its ERR_RST, i.e. ECONNRESET.
        return self.errno("ECONNRESET" if self.chip else "ECONNREFUSED")

    @property
    def micropython(self):
        return self.kind == "micropython"

    def path(self, script_dir):
        return [script_dir] + ([self.netpath] if self.netpath else []) + self.boardpath

    def without_board(self):
        # The same runtime without board/ on the path (a plain port: no `network` module).
        t = Target(self.name + "-noboard", self.kind, self.netpath, boardpath=())
        t.extra_env = dict(self.extra_env)
        return t

    def argv(self, script, args, heap=None):
        if self.micropython:
            a = [micropython_exe()]
            if heap:
                a += ["-X", "heapsize=%s" % heap]
            return a + [script] + list(args)
        return [sys.executable, "-u", script] + list(args)

    def setup(self):
        # Called before each test on this target (the `target` fixture); targets that need
        # a build or a board prepare it here, once per session.
        pass

    def started(self, scenario, env):
        # Called when a scenario's process has started.
        pass

    def teardown(self):
        # Called once at the end of the session.
        pass

    def env(self, script_dir, extra=None):
        env = dict(os.environ)
        p = self.path(script_dir)
        if self.micropython:
            env["MICROPYPATH"] = ":".join(p + [".frozen"])
        else:
            env["PYTHONPATH"] = ":".join(p)
        env["NET_BOARD_IP"] = self.board_ip
        env["NET_HOST_IP"] = self.host_ip
        env.update(self.extra_env)
        if extra:
            env.update(extra)
        return env


class MpyTarget(Target):
    # The unix port running net from mpy-cross-compiled .mpy files (build/mpy/net), the
    # bytecode a firmware freezes. Built at the first test (only what changed).
    _built = False

    def __init__(self, name):
        sys.path.insert(0, os.path.join(ROOT, "tools"))
        import mpybuild

        self._mpybuild = mpybuild
        Target.__init__(self, name, "micropython", netpath=mpybuild.default_out())

    def setup(self):
        if not self._built:
            self._mpybuild.build(self.netpath)
            self._built = True


# The unix port built by MicroPython's own build with net frozen in (`make firmware BOARD=unix`:
# tools/firmware.py, from MICROPY_DIR or the project's copy of MicroPython), 32-bit where the
# compiler can, as a board is. Built, or brought up to date with net/ (make rebuilds only what
# changed), once per session by the first target that needs it.
FIRMWARE = os.path.join(ROOT, "build", "firmware", "unix")
_firmware = {}


def firmware_build(board="unix"):
    # -> ("ok", info) with info from build/firmware/<board>.json (source tree, bits), ("skip",
    # reason) when there is no MicroPython tree or toolchain to build with, ("fail", output).
    if board not in _firmware:
        argv = [sys.executable, os.path.join(ROOT, "tools", "firmware.py"), "build", "--board", board]
        t0 = time.monotonic()
        p = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=1800)
        if p.returncode == 2 and p.stderr.startswith("build: "):  # what is missing (tools/firmware.py)
            what = "the unix firmware with net frozen in" if board == "unix" else "the %s firmware" % board
            res = ("skip", what + " cannot be built: " + p.stderr.strip().replace("build: ", "", 1))
        elif p.returncode != 0:
            res = ("fail", "`%s` failed (exit %d):\n%s%s" % (" ".join(argv[1:]), p.returncode, p.stdout[-6000:], p.stderr[-6000:]))
        else:
            with open(os.path.join(ROOT, "build", "firmware", board + ".json")) as f:
                info = json.load(f)
            res = ("ok", info)
            FIGURES.append("%s firmware: build/firmware/%s, %s-bit, built from %s (make: %.1f s this session)"
                           % ("frozen" if board == "unix" else board, board, info["bits"], info["source"], time.monotonic() - t0))
            for ln in p.stdout.splitlines():
                if ln.startswith("firmware: `cc -m32`"):
                    FIGURES.append("  " + ln)
        _firmware[board] = res
    return _firmware[board]


def need_firmware(board="unix"):
    # For a target's setup(): the firmware, up to date, or the test skipped (no source tree)
    # or failed (the build failed) with the reason.
    kind, what = firmware_build(board)
    if kind == "skip":
        pytest.skip(what)
    if kind == "fail":
        pytest.fail(what, pytrace=False)
    return what


# The heap a UDP receiver's scenario is given on the frozen target: net reads each datagram
# into a buffer of the port's datagram limit (udpsocket.rxsize), 65507 bytes on the unix port
# (1472 on a board), which 38K cannot hold; 128K was not always enough (the block must be free
# in one piece, next to what the scenario holds).
UDP_RX_HEAP = "256K"


class FrozenTarget(Target):
    # Scenarios on that firmware: net comes from its frozen modules (.frozen), not from any
    # folder (none holds net on the path); board/ as on the micropython target. Each scenario
    # runs in the ESP8266's 38K heap unless its test gives heap= or board_heap= (with the
    # reason there). A 64-bit build (no 32-bit compiler here; the session's figures say so)
    # gets twice the board's figures: its objects are mostly pointers, twice as wide, and in
    # 38K a third of the suite runs out of heap where no board would.
    budget = "38K"
    scale = 1
    firmware = "unix"  # tools/firmware.py's board: the binary is build/firmware/<firmware>

    def __init__(self, name="frozen", boardpath=(BOARD,)):
        Target.__init__(self, name, "micropython", netpath=None, boardpath=boardpath)

    def board_heap(self, size):
        if self.scale == 1:
            return size
        n = int(size[:-1]) * {"K": 1, "M": 1024}[size[-1]]
        return "%dK" % (n * self.scale)

    def argv(self, script, args, heap=None):
        exe = os.path.join(ROOT, "build", "firmware", self.firmware)
        return [exe, "-X", "heapsize=%s" % (heap or self.board_heap(self.budget)), script] + list(args)

    def setup(self):
        info = need_firmware(self.firmware)
        if info.get("bits") == 64 and self.scale == 1:
            self.scale = 2
            FIGURES.append("%s target: a 64-bit build, so scenarios get twice a 32-bit board's heap (%s for 38K)" % (self.name, self.board_heap("38K")))

    def without_board(self):
        import copy

        t = copy.copy(self)
        t.name = self.name + "-noboard"
        t.boardpath = []
        t.extra_env = dict(self.extra_env)
        return t


def _ip(*args):
    r = subprocess.run(("ip",) + args, capture_output=True, text=True, timeout=20)
    if r.returncode:
        raise OSError("ip %s: %s" % (" ".join(args), r.stderr.strip() or "exit %d" % r.returncode))


class Link:
    # The lwIP targets' network, made once per session: a network namespace of its own
    # (netlink-<pid>) holding a bridge at the host's address, 192.0.2.1/24, and a TAP device per
    # board process (nettap<N>, that board at 192.0.2.<10+N>), as boards and a host share a
    # Wi-Fi LAN. Tests on these targets run inside the namespace (enter/leave), so their peers
    # reach the board at its own address and no traffic touches the machine's interfaces.
    HOST_IP = "192.0.2.1"
    # More addresses of the host on the bridge, for the test's servers that need an address of
    # their own (DNS servers, each on port 53 at its address): 192.0.2.2 to 192.0.2.9.
    SPARE = tuple("192.0.2.%d" % i for i in range(2, 10))
    BRIDGE = "netbr0"

    def __init__(self):
        self.ns = None
        self.error = None  # why the link cannot be made here, once found
        self.arp = ()  # the last ARP frames seen (_arp_watch)
        self.taps = {}  # slot -> the process on that TAP device (None: reserved)
        self._home = None  # this thread's own network namespace, to leave back to

    @staticmethod
    def board_ip(slot):
        return "192.0.2.%d" % (10 + slot)

    def up(self):
        # -> None, or the reason the namespace cannot be made (no root, no `ip`, no TAP).
        if self.ns or self.error:
            return self.error
        self._clean_stale()
        name = "netlink-%d" % os.getpid()
        try:
            _ip("netns", "add", name)
            self.ns = name
            _ip("-n", name, "link", "set", "lo", "up")
            _ip("-n", name, "link", "add", self.BRIDGE, "type", "bridge")
            _ip("-n", name, "addr", "add", self.HOST_IP + "/24", "dev", self.BRIDGE)
            for ip in self.SPARE:
                _ip("-n", name, "addr", "add", ip + "/24", "dev", self.BRIDGE)
            _ip("-n", name, "link", "set", self.BRIDGE, "up")
            self._tap(0)
            self._home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
            self._arp_watch()
        except (OSError, subprocess.SubprocessError) as e:
            self.error = "cannot make the lwIP targets' network namespace and TAP link here (needs root and iproute2): %s" % e
            self.down()
        return self.error

    def _clean_stale(self):
        # Namespaces left by a session that was killed (its pid is gone).
        try:
            names = os.listdir("/run/netns")
        except OSError:
            return
        for n in names:
            pid = n[len("netlink-"):]
            if n.startswith("netlink-") and pid.isdigit() and not os.path.exists("/proc/" + pid):
                subprocess.run(("ip", "netns", "del", n), capture_output=True, timeout=20)

    def _tap(self, slot):
        name = "nettap%d" % slot
        if slot not in self.taps:
            _ip("-n", self.ns, "tuntap", "add", "dev", name, "mode", "tap")
            _ip("-n", self.ns, "link", "set", name, "master", self.BRIDGE, "up")
            # The host knows the board's MAC for good (the firmwares derive it from the address:
            # 02:00 and the four bytes of the IP). Else an earlier test's sockets, retransmitting
            # to a board that has gone, keep the entry failing and asking again while no board
            # is there; a new board's first connect then fails with EHOSTUNREACH when the round
            # of asks it came in on ends (CI, 2026-12-02: 8 of lwip-esp8266's tests in one run).
            ip = self.board_ip(slot)
            mac = "02:00:" + ":".join("%02x" % int(x) for x in ip.split("."))
            _ip("-n", self.ns, "neigh", "replace", ip, "lladdr", mac, "dev", self.BRIDGE, "nud", "permanent")
            self.taps[slot] = None
        return name

    def claim(self):
        # -> (slot, TAP device) for a new board process: the lowest whose process has ended.
        slot = 0
        while self.taps.get(slot) is not None and self.taps[slot] is not True and self.taps[slot].poll() is None:
            slot += 1
        name = self._tap(slot)
        self.taps[slot] = True  # reserved until started() names its process
        return slot, name

    def started(self, slot, proc):
        self.taps[slot] = proc

    def _setns(self, fd):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), "setns")

    def enter(self):
        # This thread (pytest's) into the namespace: the sockets, threads and processes a test
        # makes from now on live there.
        fd = os.open("/run/netns/" + self.ns, os.O_RDONLY)
        try:
            self._setns(fd)
        finally:
            os.close(fd)

    def leave(self):
        self._setns(self._home)

    def _arp_watch(self):
        # A record of the ARP frames the host receives on the link (its own are not in it),
        # kept for the report of a failing test. ARP only, which the kernel filters by
        # protocol: a flood costs this nothing.
        import collections
        import socket

        self.enter()
        try:
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
        finally:
            self.leave()
        self.arp = collections.deque(maxlen=60)

        def dotted(b):
            return ".".join(str(x) for x in b)

        def watch():
            while True:
                f, addr = sock.recvfrom(128)
                op = "who-has %s tell %s" % (dotted(f[38:42]), dotted(f[28:32])) if f[21] == 1 else \
                    "%s is-at %s" % (dotted(f[28:32]), f[22:28].hex(":"))
                self.arp.append("%.3f %s %s" % (time.monotonic(), addr[0], op))

        threading.Thread(target=watch, daemon=True).start()

    def state(self):
        # -> the host's neighbour table and the link's counters in the namespace, whether
        # this thread is in it, and the last ARP frames, as text.
        out = []
        for args in (("neigh",), ("-s", "link")):
            r = subprocess.run(("ip", "-n", self.ns) + args, capture_output=True, text=True, timeout=20)
            out.append("$ ip -n %s %s\n%s" % (self.ns, " ".join(args), r.stdout + r.stderr))
        inside = os.stat("/proc/thread-self/ns/net").st_ino == os.stat("/run/netns/" + self.ns).st_ino
        out.append("this thread is %s the link's namespace" % ("in" if inside else "NOT in"))
        out.append("ARP frames received, last %d (now %.3f):\n%s" % (len(self.arp), time.monotonic(), "\n".join(self.arp)))
        return "\n".join(out)

    def down(self):
        if self.ns:
            subprocess.run(("ip", "netns", "del", self.ns), capture_output=True, timeout=20)
            self.ns = None
        self.taps.clear()
        if self._home is not None:
            os.close(self._home)
            self._home = None


LINK = Link()


class LwipTarget(FrozenTarget):
    # net on a board's own socket code: the unix port built with MicroPython's extmod/modlwip.c
    # (esp8266, rp2) or ports/esp32/modsocket.c over lwIP's socket API (esp32), on lwIP
    # configured as the chip's firmware (tools/firmware.py, firmware/unix/lwip-<chip>), its
    # link a TAP device of LINK. The board listens at 192.0.2.10 (further processes of one
    # test at .11, .12, ...); the test's servers are at 192.0.2.1. Built 32-bit, 38K, as frozen.
    host_ip = Link.HOST_IP
    board_ip = Link.board_ip(0)
    network = "link"
    lwip = True

    def host_addresses(self):
        return list(Link.SPARE)

    # The firmware has the emulated board's network module frozen in, as a board's is built in
    # (no heap to compile it), and board/ is not on the path.
    frozen_network = True

    def __init__(self, chip, modlwip=False):
        # modlwip: the firmware's socket module is extmod/modlwip.c (Target.modlwip).
        FrozenTarget.__init__(self, "lwip-" + chip, boardpath=())
        self.firmware = "lwip-" + chip
        self.chip = chip
        self.modlwip = modlwip

    def setup(self):
        FrozenTarget.setup(self)
        why = LINK.up()
        if why:
            pytest.skip(why)

    def enter(self):
        LINK.enter()

    def leave(self):
        LINK.leave()

    def env(self, script_dir, extra=None):
        # Each scenario process gets a TAP device of its own, and its address with it.
        slot, tap = LINK.claim()
        env = FrozenTarget.env(self, script_dir, extra)
        ip = Link.board_ip(slot)
        env.update(NET_TAP=tap, NET_IP=ip, NET_MASK="255.255.255.0", NET_GW=Link.HOST_IP, NET_BOARD_IP=ip)
        return env

    def started(self, scenario, env):
        LINK.started(int(env["NET_TAP"][len("nettap"):]), scenario.p)

    def teardown(self):
        LINK.down()


_HELPERS = []


def helper_modules():
    # The files of tests/scenarios that scenarios import (scen.py, tcp_util.py, ...): what a
    # board needs on its flash. A scenario itself is sent to the board when it runs.
    if not _HELPERS:
        import re

        names = os.listdir(SCENARIOS)
        wanted = set()
        for f in names:
            if f.endswith(".py"):
                with open(os.path.join(SCENARIOS, f)) as fh:
                    for m in re.finditer(r"^\s*(?:from\s+(\w+)\s+import|import\s+([\w ,]+))", fh.read(), re.M):
                        wanted.update(n.strip() for n in (m.group(1) or m.group(2)).split(","))
        _HELPERS.extend(os.path.join(SCENARIOS, f) for f in sorted(names) if f.endswith(".py") and f[:-3] in wanted)
    return _HELPERS


class MpremoteTarget(Target):
    # A board reached through mpremote, as a user reaches a board on USB: the virtual board
    # (tools/vboard.py) or a real one (--port). tools/mprun.py is `mpremote run` (mpremote's
    # own transport: soft reset, raw paste, follow) that also forwards the scenario's stdin
    # to the board, for scenarios that wait for the test on sys.stdin. The scenario runs as a
    # copy with its arguments (and environment variables, through os.putenv where the port
    # has it) set in a header, since a board has no command line; the helper modules of
    # tests/scenarios are copied to the board's flash so that `import scen` works. A board
    # sees only its own flash: an argument that names a host file is copied there first and
    # given as the board's path (/host_args/NAME).
    RUNDIR = os.path.join(ROOT, "build", "mpremote-run")

    def mpremote(self):
        exe = os.path.join(BIN, "mpremote")
        return exe if os.path.exists(exe) else "mpremote"

    def port_for(self, heap):
        raise NotImplementedError

    def stage(self, heap, path):
        # Put the host file path on the board's flash; -> its path on the board.
        raise NotImplementedError

    def launch(self, script, args, heap=None, env=None):
        # -> (argv, environment, cwd) of the host process that runs the scenario.
        os.makedirs(self.RUNDIR, exist_ok=True)
        name = os.path.basename(script)
        port = self.port_for(heap)
        args = [self.stage(heap, a) if os.path.isabs(str(a)) and os.path.isfile(str(a)) else a for a in args]
        # sys.argv is a read-only attribute on MicroPython (its list is not): fill it. The
        # header adds no global name, so the script's globals are what they are elsewhere.
        head = ["__import__('sys').argv.clear(); __import__('sys').argv.extend(%r)" % ([name] + list(args))]
        # The addresses (scen.py), set in the module: a board has no environment to read.
        head.append("__import__('scen').BOARD_IP = %r; __import__('scen').HOST_IP = %r" % (self.board_ip, self.host_ip))
        for k, v in sorted((env or {}).items()):
            head.append("try:\n __import__('os').putenv(%r, %r)\nexcept (ImportError, AttributeError):\n pass" % (k, str(v)))
        with open(script) as f:
            src = f.read()
        fd, tmp = tempfile.mkstemp(prefix=name[:-3] + "_", suffix=".py", dir=self.RUNDIR)
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(head) + "\n" + src)
        self.__dict__.setdefault("_tmps", []).append(tmp)
        argv = [sys.executable, os.path.join(ROOT, "tools", "mprun.py"), port, tmp]
        return argv, dict(os.environ), os.path.dirname(script), self.pidfile_for(heap)

    def pidfile_for(self, heap):
        return None

    def teardown(self):
        for p in self.__dict__.pop("_tmps", ()):
            try:
                os.unlink(p)
            except OSError:
                pass


class VBoardTarget(MpremoteTarget):
    # Scenarios on the virtual board (tools/vboard.py): net frozen in the unix firmware, as on
    # a board, where it can be built (the `frozen` target's build, once per session), else
    # from the .mpy build. One board per heap size a scenario asks for (None: the port's
    # default heap, as on the micropython target), started on first use and kept for the
    # session; each run begins with mpremote's soft reset, which here is a fresh interpreter.
    def __init__(self, name="vboard", boardpath=(BOARD,)):
        Target.__init__(self, name, "micropython", boardpath=boardpath)
        self.boards = {}  # heap -> (process, device, flash folder)
        self.net = None  # "frozen" or "mpy", chosen at the first setup()

    def setup(self):
        if self.net is None:
            kind, what = firmware_build()
            if kind == "fail":
                pytest.fail(what, pytrace=False)
            self.net = "frozen" if kind == "ok" else "mpy"
            FIGURES.append("vboard target: net %s" % ("frozen in build/firmware/unix" if kind == "ok" else "from the .mpy build (%s)" % what))

    def _sync_helpers(self, flash):
        # Copy the scenarios' helper modules to the flash root when changed (scen.py and friends).
        for src in helper_modules():
            dst = os.path.join(flash, os.path.basename(src))
            if not os.path.exists(dst) or os.path.getmtime(dst) < os.path.getmtime(src):
                with open(src, "rb") as a, open(dst + ".tmp", "wb") as b:
                    b.write(a.read())
                os.replace(dst + ".tmp", dst)

    def port_for(self, heap):
        key = str(heap or 0)
        b = self.boards.get(key)
        if b is None or b[0].poll() is not None:
            b = self.boards[key] = start_vboard(heap, [p for p in self.boardpath if p != BOARD], "%s-%s" % (self.name, key), net=self.net or "mpy")
        self._sync_helpers(b[2])
        return b[1]

    def pidfile_for(self, heap):
        return self.boards[str(heap or 0)][2] + ".pid"

    def stage(self, heap, path):
        d = os.path.join(self.boards[str(heap or 0)][2], "host_args")
        os.makedirs(d, exist_ok=True)
        shutil.copyfile(path, os.path.join(d, os.path.basename(path)))
        return "/host_args/" + os.path.basename(path)

    def teardown(self):
        MpremoteTarget.teardown(self)
        for p, _, _ in self.boards.values():
            stop_vboard(p)
        self.boards.clear()


def start_vboard(heap=None, paths=(), tag="vboard", net="mpy", flash=None, exact=True, extra=()):
    # Start tools/vboard.py; returns (process, device, flash folder). The flash folder is
    # emptied first: every session starts from a blank board. exact: the interpreter's heap
    # is `heap` (net's bytecode included, as on the micropython targets); else `heap` is the
    # board's and net's measured bytecode cost is added, as the vboard does by default.
    import shutil

    flash = flash or os.path.join(ROOT, "build", "flash-%s-%d" % (tag, os.getpid()))
    shutil.rmtree(flash, ignore_errors=True)
    argv = [sys.executable, os.path.join(ROOT, "tools", "vboard.py"), "--flash", flash, "--heap", str(heap or 0), "--net", net]
    argv += (["--heap-exact"] if exact else []) + ["--pidfile", flash + ".pid"] + list(extra)
    for p in paths:
        argv += ["--path", p]
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    notes = []  # "vboard note: ..." lines (--net auto: which net and why) come first
    line = p.stdout.readline().decode()
    while line.startswith("vboard note: "):
        notes.append(line.strip())
        line = p.stdout.readline().decode()
    if not line.startswith("vboard: "):
        p.kill()
        raise RuntimeError("the virtual board did not start: %r %s" % (line, p.stdout.read().decode()))
    p.notes = notes
    p.banner = line.strip()  # "vboard: /dev/pts/N (heap ..., flash ..., net ...)"
    p.flash_dir = flash
    # Keep reading its output (so that it never blocks on a full pipe).
    threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
    return p, line.split()[1], flash


def stop_vboard(p):
    # Stop the board and remove its flash folder (and pid file).
    import shutil

    if p.poll() is None:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    flash = getattr(p, "flash_dir", None)
    if flash:
        shutil.rmtree(flash, ignore_errors=True)
        try:
            os.unlink(flash + ".pid")
        except OSError:
            pass


class DeviceTarget(MpremoteTarget):
    # A real board on --port (net frozen in its firmware, or copied with `make deploy`).
    # Skipped, with the reason, when no port is given. The heap is the board's own.
    port = None
    _synced = False
    network = "device"

    def __init__(self, name="device"):
        Target.__init__(self, name, "micropython")

    def host_addresses(self):
        return []

    def setup(self):
        if not self.port:
            pytest.skip("no real board: give its serial port with --port /dev/ttyUSB0")
        if not self._synced:
            self._find_addresses()
            # The scenarios' helper modules (scen.py, tcp_util.py, ...), once per session.
            cmd = [self.mpremote(), "connect", self.port]
            for h in helper_modules():  # one file per cp ("cp a b :" needs os.stat("") to work)
                cmd += ["cp", h, ":" + os.path.basename(h), "+"]
            subprocess.run(cmd[:-1], check=True, timeout=600, stdout=subprocess.DEVNULL)
            self._synced = True

    def port_for(self, heap):
        return self.port

    def _find_addresses(self):
        # The board's address: --board-ip, else its station's, asked of the board. The host's:
        # this machine's address on the route to the board (a UDP connect sends nothing).
        import socket

        if self.board_ip == Target.board_ip:
            p = subprocess.run([self.mpremote(), "connect", self.port, "exec",
                                "import network; print('IP', network.WLAN(network.STA_IF).ifconfig()[0])"],
                               capture_output=True, text=True, timeout=60)
            ips = [ln.split()[1] for ln in p.stdout.splitlines() if ln.startswith("IP ")]
            if not ips or ips[0] == "0.0.0.0":
                pytest.fail("the board on %s has no station address (is it on Wi-Fi?); give --board-ip: %s"
                            % (self.port, (p.stdout + p.stderr).strip()[-500:]), pytrace=False)
            self.board_ip = ips[0]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.connect((self.board_ip, 9))
            self.host_ip = u.getsockname()[0]
        finally:
            u.close()
        FIGURES.append("device target: the board at %s, this host at %s" % (self.board_ip, self.host_ip))

    def stage(self, heap, path):
        name = os.path.basename(path)
        mkdir = "import os\ntry:\n os.mkdir('/host_args')\nexcept OSError:\n pass"
        subprocess.run([self.mpremote(), "connect", self.port, "exec", mkdir, "+", "cp", path, ":/host_args/" + name],
                       check=True, timeout=120, stdout=subprocess.DEVNULL)
        return "/host_args/" + name


TARGETS = {
    "cpython": Target("cpython", "cpython"),
    "micropython": Target("micropython", "micropython"),
    "micropython-mpy": MpyTarget("micropython-mpy"),
    "vboard": VBoardTarget("vboard"),
    "device": DeviceTarget("device"),
    "frozen": FrozenTarget("frozen"),
    "lwip-esp8266": LwipTarget("esp8266", modlwip=True),
    "lwip-rp2": LwipTarget("rp2", modlwip=True),
    "lwip-esp32": LwipTarget("esp32"),
}

# The target of the test at hand (the `target` fixture sets it), for helpers that take no
# target: board_ip() is where a test's peer reaches the board, host_ip() where the board
# reaches the test's own servers.
CURRENT = [TARGETS["cpython"]]


def board_ip():
    return CURRENT[0].board_ip


def host_ip():
    return CURRENT[0].host_ip


def host_addresses():
    # Where the test's own servers may take an address of their own that the board reaches
    # (Target.host_addresses): candidates, some maybe taken; [] when there is none.
    return CURRENT[0].host_addresses()


def network():
    # The network the current target's board is on (Target.network): "loopback", "link"...
    return CURRENT[0].network

# Figures worth a line in the session summary (frozen sizes, heap costs): tests append
# strings here and conftest prints them under "figures".
FIGURES = []

# Board personalities (board/esp32, board/esp8266; docs/personalities.md): the unix port with the
# chip's socket and errno modules first on the path, so net takes its ESP code paths. NET_STRICT=1
# makes an option the chip lacks (the firmware's "Warning: lwip.setsockopt() ..." line) end the
# scenario with exit status 3, so that the test fails. The chip's heap is not imposed by default:
# net and the personality compiled from .py cost host-only heap (docs/personalities.md, RAM).
def _chip_errnos(chip):
    # "NAME = number" lines of board/<chip>/errno.py
    out = {}
    with open(os.path.join(BOARD, chip, "errno.py")) as f:
        for ln in f:
            k, _, v = ln.partition(" = ")
            if k.startswith("E") and v.strip().isdigit():
                out[k] = int(v)
    return out


for _chip in ("esp32", "esp8266"):
    TARGETS[_chip] = Target(
        _chip, "micropython", boardpath=(os.path.join(BOARD, _chip), BOARD), env={"NET_STRICT": "1"}
    )
    TARGETS[_chip].errnos = _chip_errnos(_chip)
    TARGETS[_chip].chip = _chip
# Raised by the firmware but without a name in its errno module: ESP32's newlib EISCONN is 127
# (ESP8266 uses Linux's 106, the host's own number).
TARGETS["esp32"].errnos["EISCONN"] = 127


class Scenario:
    # A scenario process on a target, its output read line by line in the background.
    def __init__(self, target, script, args=(), heap=None, env=None, name=None, board_heap=None):
        # board_heap: the heap the scenario needs on a target with a board's budget (frozen),
        # where its test has found that budget too small; heap= wins, on every target.
        if heap is None and board_heap is not None and target.budget is not None:
            heap = target.board_heap(board_heap)
        self.target = target
        self.name = name or os.path.basename(script)
        sdir = os.path.dirname(script)
        launch = getattr(target, "launch", None)
        self.pidfile = None
        if launch is not None:  # targets reached through mpremote start their own way
            self.argv, penv, sdir, self.pidfile = launch(script, [str(a) for a in args], heap, env)
        else:
            self.argv = target.argv(script, [str(a) for a in args], heap)
            penv = target.env(sdir, env)
        # The board's address as this process has it (lwIP targets: one per process).
        self.ip = penv.get("NET_BOARD_IP", target.board_ip)
        self.p = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=penv,
            cwd=sdir,
        )
        target.started(self, penv)
        self.lines = []  # every line the target printed
        self._q = queue.Queue()
        self._pos = 0  # lines consumed by expect()/line()
        self._t = threading.Thread(target=self._reader, daemon=True)
        self._t.start()

    def _reader(self):
        for raw in self.p.stdout:
            self._q.put(raw.decode("utf-8", "replace").rstrip("\r\n"))
        self._q.put(None)

    def _pull(self, timeout):
        # Move lines from the reader into self.lines; False at end of output.
        try:
            ln = self._q.get(timeout=max(timeout, 0))
        except queue.Empty:
            return True
        if ln is None:
            self._q.put(None)
            return False
        self.lines.append(ln)
        return True

    @property
    def output(self):
        while True:
            try:
                ln = self._q.get_nowait()
            except queue.Empty:
                break
            if ln is None:
                self._q.put(None)
                break
            self.lines.append(ln)
        return "\n".join(self.lines)

    def fail(self, msg):
        rc = self.p.poll()
        pytest.fail(
            "%s\n--- %s on %s (%s) printed: ---\n%s\n--- end of output ---"
            % (msg, self.name, self.target.name, "running" if rc is None else "exit %d" % rc, self.output),
            pytrace=False,
        )

    @property
    def board_pid(self):
        # The pid of the interpreter that runs the scenario (for prlimit and the like): the
        # scenario's own process, or on the virtual board its current interpreter (read after
        # the scenario has started, i.e. after mpremote's soft reset). None on a real board.
        if self.pidfile is None:
            return None if getattr(self.target, "launch", None) else self.p.pid
        with open(self.pidfile) as f:
            return int(f.read())

    def line(self, timeout=10):
        # The next line, in order; fails on timeout or end of output.
        end = time.monotonic() + timeout
        while self._pos >= len(self.lines):
            left = end - time.monotonic()
            if left <= 0:
                self.fail("no line within %gs" % timeout)
            if not self._pull(left) and self._pos >= len(self.lines):
                self.fail("the scenario ended before printing another line")
        ln = self.lines[self._pos]
        self._pos += 1
        return ln

    def next_lines(self, n, timeout=10):
        # The next n lines, in order (a test compares them with the list it expects).
        return [self.line(timeout) for _ in range(n)]

    def expect(self, prefix, timeout=10):
        # Skip lines until one starts with prefix; return the rest of that line, stripped.
        end = time.monotonic() + timeout
        while True:
            while self._pos < len(self.lines):
                ln = self.lines[self._pos]
                self._pos += 1
                if ln.startswith(prefix):
                    return ln[len(prefix):].strip()
            left = end - time.monotonic()
            if left <= 0:
                self.fail("expected a line starting with %r within %gs" % (prefix, timeout))
            if not self._pull(left) and self._pos >= len(self.lines):
                self.fail("the scenario ended without printing a line starting with %r" % prefix)

    def rest(self):
        # Lines not consumed yet (after the process ended, all of them).
        self.output
        r = self.lines[self._pos:]
        self._pos = len(self.lines)
        return r

    def send(self, text):
        self.p.stdin.write(text.encode())
        self.p.stdin.flush()

    def wait(self, timeout=20, rc=0):
        # Wait for the scenario to end; fail unless it exited with rc (None: any).
        try:
            got = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.fail("the scenario did not end within %gs" % timeout)
        self._t.join(5)
        self.output
        if rc is not None and got != rc:
            self.fail("the scenario exited with %d, expected %d" % (got, rc))
        return got

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                pass
        for f in (self.p.stdin, self.p.stdout):
            try:
                f.close()
            except Exception:
                pass


class Runner:
    # The `run` fixture: starts scenarios on the test's target and cleans them up.
    def __init__(self, target, request):
        self.target = target
        self.started = []
        request.node._scenarios = self.started

    def __call__(self, script, *args, heap=None, env=None, board_heap=None):
        # script: a name under tests/scenarios ("echo" or "echo.py"), or a path.
        if not os.path.isabs(script):
            if not script.endswith(".py"):
                script += ".py"
            script = os.path.join(SCENARIOS, script)
        s = Scenario(self.target, script, args, heap=heap, env=env, board_heap=board_heap)
        self.started.append(s)
        return s

    def close(self):
        for s in self.started:
            s.kill()
