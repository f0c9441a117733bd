# What can be checked of the firmware without a board or a toolchain: net compiles with
# mpy-cross for every arch, its frozen size (reported in the summary), the manifests and
# package.json freeze/list exactly the modules of net/, the board definitions, the build and
# flash commands, the messages naming what is missing, and the type stubs (against the real
# module, and mypy on the examples). MIT licence, see LICENSE.
#
# The module list is always read from net/ at test time: a module added by anyone is checked
# without touching this file.
import ast
import json
import os
import re
import subprocess
import sys

import pytest

import harness

ROOT = harness.ROOT
FW = os.path.join(ROOT, "firmware")
sys.path.insert(0, os.path.join(ROOT, "tools"))
import firmware  # noqa: E402
import mpybuild  # noqa: E402

# Budget for net's frozen bytecode (sum of the xtensa .mpy files; the firmware's frozen
# content is about this size). The ESP8266 1 MiB build has the least room: a regression guard,
# not a hard chip limit.
FROZEN_BUDGET = 96 * 1024


def test_module_list_is_read_from_the_package():
    mods = mpybuild.modules()
    on_disk = sorted("net/" + f for f in os.listdir(os.path.join(ROOT, "net")) if f.endswith(".py"))
    assert mods == on_disk
    assert "net/__init__.py" in mods and "net/_rt.py" in mods
    assert not [m for m in mods if not m.endswith(".py")]  # no stubs (.pyi), no caches


@pytest.mark.parametrize("arch", mpybuild.ARCHS)
def test_every_module_compiles_with_mpy_cross(arch, tmp_path):
    sizes = mpybuild.build(str(tmp_path), arch)
    assert [m for m, _ in sizes] == mpybuild.modules()
    for m, size in sizes:
        with open(os.path.join(tmp_path, m[:-3] + ".mpy"), "rb") as f:
            head = f.read(4)
        # .mpy v6 ("M", 6): what MicroPython 1.2x imports and freezes.
        assert head[:2] == b"M\x06", (m, head)
        assert size > 0


def test_a_compile_error_names_the_module(tmp_path):
    pkg = tmp_path / "net"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("x = 1\n")
    (pkg / "broken.py").write_text("def f(:\n    pass\n")
    with pytest.raises(RuntimeError) as e:
        mpybuild.build(str(tmp_path / "out"), "xtensa", net_dir=str(pkg))
    assert "broken.py" in str(e.value) and "SyntaxError" in str(e.value)


def test_frozen_size_is_reported_and_within_budget():
    table = mpybuild.size_table()
    lines = mpybuild.format_sizes(table)
    harness.FIGURES.append("net's .mpy size per module (bytes; the frozen bytecode is about this):")
    harness.FIGURES.extend("  " + ln for ln in lines)
    total = sum(s for _, s in table["xtensa"])
    src = sum(os.path.getsize(os.path.join(ROOT, m)) for m in mpybuild.modules())
    assert 0 < total < src, "bytecode should be smaller than the source"
    assert total <= FROZEN_BUDGET, "net's frozen bytecode is %d bytes, over the %d budget" % (total, FROZEN_BUDGET)


# --- manifests -----------------------------------------------------------------------------
class Manifest:
    # Evaluates a manifest.py the way MicroPython's tools/manifestfile.py does, for what these
    # manifests use: include() (relative to the including file; $(PORT_DIR)/$(MPY_DIR) paths
    # are the port's and are recorded, not followed), package() (every .py file under
    # base_path/name), module(), metadata(), require().
    def __init__(self):
        self.frozen = []  # paths relative to base_path, as they would be frozen
        self.external = []  # includes of the port's own manifests
        self.metadata = {}
        self.requires = []

    def run(self, path):
        d = os.path.dirname(os.path.abspath(path))

        def include(p):
            if p.startswith("$("):
                self.external.append(p)
                return
            self.run(os.path.join(d, p) if not p.endswith(".py") or os.path.isfile(os.path.join(d, p)) else p)

        def package(name, files=None, base_path=".", opt=None):
            base = os.path.normpath(os.path.join(d, base_path))
            for root, _, fs in os.walk(os.path.join(base, name)):
                for f in fs:
                    if f.endswith(".py"):
                        self.frozen.append(os.path.relpath(os.path.join(root, f), base).replace(os.sep, "/"))

        def module(name, base_path=".", opt=None):
            self.frozen.append(name)

        def metadata(**kw):
            self.metadata.update(kw)

        def require(name, **kw):
            self.requires.append(name)

        with open(path) as f:
            code = compile(f.read(), path, "exec")
        exec(code, {"include": include, "package": package, "module": module, "metadata": metadata, "require": require})
        return self


MANIFESTS = {
    "firmware/manifest.py": ["$(PORT_DIR)/boards/manifest.py"],
    "firmware/boards/NET_ESP32_GENERIC/manifest.py": ["$(PORT_DIR)/boards/manifest.py"],
    "firmware/boards/NET_ESP8266/manifest_2MiB.py": ["$(PORT_DIR)/boards/manifest.py", "$(MPY_DIR)/extmod/asyncio"],
    "firmware/boards/NET_ESP8266/manifest_1MiB.py": ["$(PORT_DIR)/boards/manifest.py"],
    "firmware/unix/net/manifest.py": ["$(PORT_DIR)/variants/manifest.py", "$(MPY_DIR)/extmod/asyncio"],
}


@pytest.mark.parametrize("path", sorted(MANIFESTS))
def test_manifest_freezes_the_port_and_exactly_net(path):
    m = Manifest().run(os.path.join(ROOT, path))
    # The unix firmware also runs the virtual board, whose flash mount is frozen beside net.
    extra = ["_vbfs.py"] if path == "firmware/unix/net/manifest.py" else []
    assert sorted(m.frozen) == sorted(mpybuild.modules() + extra)
    assert m.external == MANIFESTS[path]
    assert m.metadata.get("version") == mpybuild.net_version()
    assert m.requires == []


def test_board_definitions_point_at_their_manifests():
    esp32 = open(os.path.join(FW, "boards/NET_ESP32_GENERIC/mpconfigboard.cmake")).read()
    assert "set(MICROPY_FROZEN_MANIFEST ${MICROPY_BOARD_DIR}/manifest.py)" in esp32
    for sd in re.findall(r"\$\{MICROPY_PORT_DIR\}/(boards/sdkconfig\.\w+)", esp32):
        assert sd in ("boards/sdkconfig.base", "boards/sdkconfig.ble")
    variants = {
        "mpconfigvariant.mk": ("manifest_2MiB.py", "boards/esp8266_2MiB.ld", "MICROPY_ESP8266_2M"),
        "mpconfigvariant_FLASH_1M.mk": ("manifest_1MiB.py", "boards/esp8266_1MiB.ld", "MICROPY_ESP8266_1M"),
    }
    hdr = open(os.path.join(FW, "boards/NET_ESP8266/mpconfigboard.h")).read()
    for mk, (manifest, ld, flag) in variants.items():
        text = open(os.path.join(FW, "boards/NET_ESP8266", mk)).read()
        assert "FROZEN_MANIFEST ?= $(BOARD_DIR)/%s" % manifest in text
        assert os.path.isfile(os.path.join(FW, "boards/NET_ESP8266", manifest))
        assert "LD_FILES = %s" % ld in text and "-D%s" % flag in text
        assert "defined(%s)" % flag in hdr  # the board name for that variant
    unix = open(os.path.join(FW, "unix/net/mpconfigvariant.mk")).read()
    assert "FROZEN_MANIFEST ?= $(VARIANT_DIR)/manifest.py" in unix
    for d in ("boards/NET_ESP32_GENERIC", "boards/NET_ESP8266"):
        json.load(open(os.path.join(FW, d, "board.json")))


# --- package.json (mip) ------------------------------------------------------------------------
def test_package_json_lists_every_module_and_nothing_else():
    with open(os.path.join(ROOT, "package.json")) as f:
        pkg = json.load(f)
    urls = pkg["urls"]
    assert [dest for dest, _ in urls] == mpybuild.modules(), "run: python tools/mpybuild.py --package-json"
    assert all(dest == src for dest, src in urls)  # relative URLs: github:owner/repo or a local path
    assert pkg["deps"] == []
    assert pkg["version"] == mpybuild.net_version()
    with open(os.path.join(ROOT, "package.json")) as f:
        assert f.read() == mpybuild.package_json_text(mpybuild.net_version())


def test_versions_agree():
    import tomllib

    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        assert tomllib.load(f)["project"]["version"] == mpybuild.net_version()


def _consts_and_events(mod):
    # A module of net/: its `_EV_*`, `_ST_*` and `_SERVER_SLOT` const()s, and its class's _EVENTS.
    with open(os.path.join(ROOT, "net", mod + ".py")) as f:
        src = f.read()
    consts = {m.group(1): int(m.group(2)) for m in re.finditer(r"(?m)^(_EV_\w+|_ST_\w+|_SERVER_SLOT) = const\((\d+)\)", src)}
    events = [ast.literal_eval(n.value) for n in ast.walk(ast.parse(src))
              if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) == "_EVENTS"]
    return consts, events[0] if events else None


def test_no_import_cycle_inside_net():
    # Each module one job, and no two that need each other: every `from . import` and
    # `from .x import`, at the top or inside a function (a lazy import is an edge too).
    edges = {}
    for f in sorted(os.listdir(os.path.join(ROOT, "net"))):
        if f.endswith(".py"):
            with open(os.path.join(ROOT, "net", f)) as src:
                tree = ast.parse(src.read())
            edges[f[:-3]] = {n.module or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 1
                             for a in n.names}

    def reach(mod, path):
        for nxt in edges.get(mod, ()):
            assert nxt not in path, "import cycle: %s" % " -> ".join(path + [nxt])
            reach(nxt, path + [nxt])

    for mod in edges:
        reach(mod, [mod])


def test_private_constant_copies_agree():
    # A private const() is no module attribute on MicroPython, so _client and _srv copy
    # net/_sock.py's: each copy says what _sock says, and each _EV_NAME is the index of "name" in
    # its class's _EVENTS (a module without a class of its own: Socket's). The TLS layer copies
    # none: it reaches the connection through its methods.
    sock, sock_events = _consts_and_events("_sock")
    assert sock["_SERVER_SLOT"] == len(sock_events)
    assert _consts_and_events("_tls") == ({}, None)
    for mod in ("_sock", "_client", "_srv", "_udp", "_emit"):
        consts, events = _consts_and_events(mod)
        assert consts, mod
        for name, value in consts.items():
            if name.startswith("_EV_"):
                assert (events or sock_events).index(name[4:].lower()) == value, (mod, name)
            elif mod != "_sock":
                assert sock[name] == value, (mod, name)


# --- build, flash, deploy commands ---------------------------------------------------------------
def test_build_commands_run_micropythons_own_build():
    cmds, out = firmware.build_commands("ESP32_GENERIC", "/mp", jobs=2)
    assert cmds[0] == ["make", "-C", "/mp/mpy-cross", "-j2"]
    assert cmds[-1] == ["make", "-C", "/mp/ports/esp32", "-j2", "BOARD_DIR=%s/boards/NET_ESP32_GENERIC" % FW]
    assert out == "/mp/ports/esp32/build-NET_ESP32_GENERIC/firmware.bin"
    cmds, out = firmware.build_commands("ESP8266_GENERIC_FLASH_1M", "/mp", jobs=2)
    assert cmds[-1][-2:] == ["BOARD_DIR=%s/boards/NET_ESP8266" % FW, "BOARD_VARIANT=FLASH_1M"]
    assert out == "/mp/ports/esp8266/build-NET_ESP8266-FLASH_1M/firmware.bin"
    cmds, out = firmware.build_commands("unix", "/mp", jobs=2)
    assert cmds[-1][-2:] == ["VARIANT=net", "VARIANT_DIR=%s/unix/net" % FW]
    # 64-bit and 32-bit each in a build folder of their own (make would not notice the flag).
    assert cmds[-1][4] == "BUILD=build-net-64" and "MICROPY_FORCE_32BIT=1" not in cmds[-1]
    assert out == "/mp/ports/unix/build-net-64/micropython"
    cmds, out = firmware.build_commands("unix", "/mp", jobs=2, m32=True)
    assert cmds[-1] == ["make", "-C", "/mp/ports/unix", "-j2", "MICROPY_FORCE_32BIT=1", "BUILD=build-net-32",
                        "VARIANT=net", "VARIANT_DIR=%s/unix/net" % FW]
    assert out == "/mp/ports/unix/build-net-32/micropython"
    # A git checkout fetches the submodules first; an unpacked tree has them (no such step).
    assert ["make", "-C", "/mp/ports/unix", "submodules"] == cmds[1][:4]
    cmds, _ = firmware.build_commands("unix", "/mp", jobs=2, git=False)
    assert len(cmds) == 2 and not [c for c in cmds if "submodules" in c]


def test_lwip_esp32_is_built_as_unix_in_a_build_folder_of_its_own(tmp_path):
    # The unix port with the ESP32's modsocket.c (firmware/unix/lwip-esp32): the same source
    # tree handling as unix, 32-bit where cc can, its own BUILD folder, its own .json.
    cmds, out = firmware.build_commands("lwip-esp32", "/mp", jobs=2, m32=True, git=False)
    assert cmds[-1] == ["make", "-C", "/mp/ports/unix", "-j2", "MICROPY_FORCE_32BIT=1", "BUILD=build-lwip-esp32-32",
                        "VARIANT=lwip-esp32", "VARIANT_DIR=%s/unix/lwip-esp32" % FW]
    assert out == "/mp/ports/unix/build-lwip-esp32-32/micropython"
    _, out = firmware.build_commands("lwip-esp32", "/mp", jobs=2)
    assert out == "/mp/ports/unix/build-lwip-esp32-64/micropython"
    mp = _tree(tmp_path / "mp")
    py = [sys.executable, os.path.join(ROOT, "tools", "firmware.py"), "build", "--dry-run", "--board", "lwip-esp32", "--micropython", str(mp)]
    r = subprocess.run(py, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "+ make -C %s/mpy-cross" % mp in r.stdout
    assert "VARIANT=lwip-esp32 VARIANT_DIR=%s/unix/lwip-esp32" % FW in r.stdout
    assert "+ cp %s/ports/unix/build-lwip-esp32-" % mp in r.stdout and "build/firmware/lwip-esp32\n" in r.stdout
    # The variant compiles modsocket.c and lwIP's tcp_in.c from the tree (not copies: a file of
    # the variant includes each, with the settings it needs) and freezes net and asyncio.
    var = os.path.join(FW, "unix/lwip-esp32")
    assert '#include "ports/esp32/modsocket.c"' in open(os.path.join(var, "esp32_modsocket.c")).read()
    assert '#include "lib/lwip/src/core/tcp_in.c"' in open(os.path.join(var, "esp32_tcp_in.c")).read()
    assert "core/tcp_in.c" not in open(os.path.join(var, "mpconfigvariant.mk")).read().split("SRC_THIRDPARTY_C")[1]
    assert not os.path.exists(os.path.join(var, "modsocket.c")) and not os.path.exists(os.path.join(var, "tcp_in.c"))
    m = Manifest().run(os.path.join(FW, "unix/lwip-esp32/manifest.py"))
    # And the emulated board's `network`, as a board has its own built in (manifest.py says why).
    assert sorted(m.frozen) == sorted(mpybuild.modules() + ["network.py"]) and "$(MPY_DIR)/extmod/asyncio" in m.external


@pytest.mark.parametrize("board", ["lwip-esp8266", "lwip-rp2"])
def test_lwip_boards_are_built_as_the_unix_one(board, tmp_path):
    # The unix port with the variant firmware/unix/<board>, in a build folder of its own per
    # word size, from the same tree (MICROPY_DIR or the project's copy); lib/lwip checked too.
    cmds, out = firmware.build_commands(board, "/mp", jobs=2, m32=True, git=False)
    assert cmds == [["make", "-C", "/mp/mpy-cross", "-j2"],
                    ["make", "-C", "/mp/ports/unix", "-j2", "MICROPY_FORCE_32BIT=1", "BUILD=build-%s-32" % board,
                     "VARIANT=%s" % board, "VARIANT_DIR=%s/unix/%s" % (FW, board)]]
    assert out == "/mp/ports/unix/build-%s-32/micropython" % board
    _, out = firmware.build_commands(board, "/mp", jobs=2)
    assert out == "/mp/ports/unix/build-%s-64/micropython" % board
    assert firmware.BOARDS[board]["submodules"] == firmware.UNIX_SUBMODULES + ["lib/lwip"]
    mp = _tree(tmp_path / "mp")
    py = [sys.executable, os.path.join(ROOT, "tools", "firmware.py"), "build", "--dry-run", "--board", board, "--micropython", str(mp)]
    r = subprocess.run(py, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "+ make -C %s/ports/unix -j" % mp in r.stdout and "VARIANT_DIR=%s/unix/%s" % (FW, board) in r.stdout
    assert "build/firmware/%s\n" % board in r.stdout
    # Without MICROPY_DIR: the project's copy, as for unix.
    r = subprocess.run(py[:-2], capture_output=True, text=True, env=dict(os.environ, MICROPY_DIR=""))
    if firmware.project_source(unpack=False):
        assert r.returncode == 0 and "/micropython-1.28.0/ports/unix" in r.stdout
    # The variant folder: lwipopts.h, manifest (net + asyncio, as unix, and the emulated board's
    # `network`, as a board has its own built in), the shared make fragment.
    d = os.path.join(FW, "unix", board)
    assert os.path.isfile(os.path.join(d, "lwipopts.h"))
    assert "include $(VARIANT_DIR)/../lwip/lwip.mk" in open(os.path.join(d, "mpconfigvariant.mk")).read()
    m = Manifest().run(os.path.join(d, "manifest.py"))
    assert sorted(m.frozen) == sorted(mpybuild.modules() + ["_vbfs.py", "network.py"])  # unix/net's, the virtual board's fs included
    assert m.external == MANIFESTS["firmware/unix/net/manifest.py"]


def test_lwip_boards_have_modlwip_and_no_ffi():
    text = open(os.path.join(FW, "unix/lwip/lwip.mk")).read()
    for line in ("MICROPY_PY_FFI = 0", "MICROPY_PY_SOCKET = 0", "MICROPY_PY_LWIP = 1", "MICROPY_PY_THREAD_GIL = 1"):
        assert "\n%s\n" % line in text


def test_the_unix_variant_builds_without_ffi():
    # 32-bit needs it (no 32-bit libffi on a 64-bit host), and net does not use ffi.
    text = open(os.path.join(FW, "unix/net/mpconfigvariant.mk")).read()
    assert "\nMICROPY_PY_FFI = 0\n" in text


@pytest.mark.parametrize("board, chip, offset", [
    ("ESP32_GENERIC", "esp32", "0x1000"),  # the original ESP32: bootloader at 0x1000
    ("ESP8266_GENERIC", "esp8266", "0x0"),
    ("ESP8266_GENERIC_FLASH_1M", "esp8266", "0x0"),
])
def test_flash_erases_then_writes_at_the_chips_offset(board, chip, offset):
    erase, write = firmware.flash_commands(board, "/dev/ttyUSB0", "fw.bin")
    assert erase[1:] == ["--chip", chip, "--port", "/dev/ttyUSB0", "--baud", "460800", "erase-flash"]
    assert write[-2:] == [offset, "fw.bin"] and "write-flash" in write
    # The commands exist in the pinned esptool (v5 spells them with dashes).
    for c in (erase, write):
        i = c.index("erase-flash" if c is erase else "write-flash")
        r = subprocess.run(c[:1] + c[i:i + 1] + ["--help"], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
    if chip == "esp8266":
        assert write[write.index("--flash-size") + 1] == "detect"


def _make(*args, env=None):
    e = dict(os.environ, PATH="/usr/bin:/bin")
    e.pop("MICROPY_DIR", None)
    e.update(env or {})
    return subprocess.run(["make", "-s", "--no-print-directory", "-o", "venv"] + list(args), cwd=ROOT, capture_output=True, text=True, env=e, timeout=120)


def test_make_firmware_names_what_is_missing(tmp_path):
    r = _make("firmware", "BOARD=ESP32_GENERIC")
    assert r.returncode != 0
    assert "MICROPY_DIR is not set" in r.stderr and "git clone https://github.com/micropython/micropython" in r.stderr
    r = _make("firmware", "BOARD=ESP32_GENERIC", "MICROPY_DIR=%s" % tmp_path)
    assert r.returncode != 0 and "is not a MicroPython checkout" in r.stderr
    (tmp_path / "py").mkdir()
    (tmp_path / "py" / "mkenv.mk").write_text("")
    r = _make("firmware", "BOARD=ESP32_GENERIC", "MICROPY_DIR=%s" % tmp_path)
    assert r.returncode != 0 and "ESP-IDF (idf.py) is not on PATH" in r.stderr
    r = _make("firmware", "BOARD=ESP8266_GENERIC", "MICROPY_DIR=%s" % tmp_path)
    assert r.returncode != 0 and "xtensa-lx106-elf-gcc" in r.stderr
    r = _make("firmware", "BOARD=ESP32_S3", "MICROPY_DIR=%s" % tmp_path)
    assert r.returncode != 0 and "BOARD must be one of ESP32_GENERIC, ESP8266_GENERIC, ESP8266_GENERIC_FLASH_1M, unix, lwip-esp8266, lwip-rp2, lwip-esp32" in r.stderr


def _tree(root, git=False, submodules=()):
    # A MicroPython source tree as far as the checks look: py/mkenv.mk, .git, lib/<submodule>.
    (root / "py").mkdir(parents=True)
    (root / "py" / "mkenv.mk").write_text("")
    if git:
        (root / ".git").mkdir()
    for m in submodules:
        (root / m).mkdir(parents=True)
        (root / m / "README").write_text("")
    return root


def test_make_firmware_unix_in_a_tree_without_git_names_the_missing_submodules(tmp_path):
    # An unpacked source tree (no .git) cannot fetch submodules: the build stops before make
    # and says which ones the unix port needs and are not there.
    mp = _tree(tmp_path / "mp", submodules=["lib/micropython-lib"])
    (mp / "lib" / "berkeley-db-1.xx").mkdir()  # empty, as an unpacked git archive leaves it
    r = _make("firmware", "BOARD=unix", "MICROPY_DIR=%s" % mp)
    assert r.returncode != 0
    assert "%s is not a git checkout" % mp in r.stderr
    assert "needs lib/berkeley-db-1.xx, lib/mbedtls, which are empty or missing there" in r.stderr
    assert "lib/micropython-lib" not in r.stderr
    assert "make -C" not in r.stdout  # nothing was run


def test_the_submodules_checked_are_those_the_unix_port_lists(tmp_path):
    # Asked from the port's own make, with the variant's settings (ffi off: no lib/libffi).
    mp = firmware.project_source(unpack=False)
    if mp is None or not os.path.isdir(mp):
        mp = os.environ.get("MICROPY_DIR")
    if not mp or not os.path.isfile(os.path.join(mp, "ports", "unix", "Makefile")):
        pytest.skip("no MicroPython source tree (MICROPY_DIR) to ask")
    cmds, _ = firmware.build_commands("unix", mp, m32=True, git=False)
    mods = firmware.needed_submodules("unix", mp, cmds[-1][4:])
    assert sorted(mods) == sorted(firmware.UNIX_SUBMODULES)


def test_dry_run_of_a_tree_without_git_has_no_submodules_step(tmp_path):
    py = [sys.executable, os.path.join(ROOT, "tools", "firmware.py"), "build", "--dry-run"]
    for board in ("unix", "ESP8266_GENERIC"):
        mp = _tree(tmp_path / board)
        r = subprocess.run(py + ["--board", board, "--micropython", str(mp)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert "+ make -C %s/mpy-cross" % mp in r.stdout
        assert not [ln for ln in r.stdout.splitlines() if ln.startswith("+ ") and "submodules" in ln]
        assert "%s is not a git checkout: building with the submodules in place (no `make submodules`)" % mp in r.stdout
        git = _tree(tmp_path / (board + "-git"), git=True)
        r = subprocess.run(py + ["--board", board, "--micropython", str(git)], capture_output=True, text=True)
        assert "+ make -C %s/ports/%s submodules" % (git, firmware.BOARDS[board]["port"]) in r.stdout


def test_unix_firmware_is_32_bit_where_cc_can_and_says_when_it_cannot(tmp_path):
    mp = _tree(tmp_path / "mp")
    py = [sys.executable, os.path.join(ROOT, "tools", "firmware.py"), "build", "--dry-run", "--board", "unix", "--micropython", str(mp)]
    r = subprocess.run(py, capture_output=True, text=True)
    if firmware.cc_m32():
        assert "MICROPY_FORCE_32BIT=1" in r.stdout and "64-bit" not in r.stdout
    # A compiler without 32-bit support (no gcc-multilib): a 64-bit build, and a clear note.
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "cc").write_text('#!/bin/sh\nfor a; do [ "$a" = -m32 ] && { echo "no 32-bit libc" >&2; exit 1; }; done\nexec /usr/bin/cc "$@"\n')
    (bin_ / "cc").chmod(0o755)
    r = subprocess.run(py, capture_output=True, text=True, env=dict(os.environ, PATH="%s:/usr/bin:/bin" % bin_))
    assert r.returncode == 0, r.stderr
    assert "`cc -m32` cannot build a 32-bit program here (on Debian: apt install gcc-multilib), so this is a 64-bit build" in r.stdout
    assert "MICROPY_FORCE_32BIT" not in r.stdout and "build-net-64/micropython" in r.stdout


def test_unix_firmware_without_micropython_dir_or_the_projects_copy_says_so(tmp_path, monkeypatch, capsys):
    # A machine without the project's copy of MicroPython: MICROPY_DIR is required, as for
    # the ESP boards.
    monkeypatch.setattr(firmware, "SHARED_SRC", str(tmp_path / "shared" / "src"))
    monkeypatch.setattr(firmware, "SRC", str(tmp_path / "build" / "src"))
    monkeypatch.delenv("MICROPY_DIR", raising=False)
    assert firmware.main(["build", "--board", "unix"]) == 2
    err = capsys.readouterr().err
    assert "MICROPY_DIR is not set: it must name a MicroPython source tree" in err
    assert "make firmware BOARD=unix MICROPY_DIR=~/micropython" in err


def test_without_a_micropython_tree_the_frozen_target_is_skipped_and_make_says_why(tmp_path):
    # A checkout on a machine with neither MICROPY_DIR nor the project's copy of MicroPython.
    import shutil

    repo = tmp_path / "net"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", ".venv", "build", ".hypothesis", "__pycache__", ".pytest_cache"))
    env = dict(os.environ)
    env.pop("MICROPY_DIR", None)
    r = subprocess.run([os.path.join(harness.BIN, "pytest"), "-p", "no:cacheprovider", "-q", "-rs", "--targets", "frozen",
                        "tests/test_loop.py", "-k", "echo_and_stop"], cwd=repo, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 skipped" in r.stdout
    assert "the unix firmware with net frozen in cannot be built: MICROPY_DIR is not set" in r.stdout
    r = subprocess.run(["make", "-s", "--no-print-directory", "VENV=%s" % os.path.dirname(harness.BIN), "-o", "venv", "firmware", "BOARD=unix"],
                       cwd=repo, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode != 0
    assert "MICROPY_DIR is not set: it must name a MicroPython source tree" in r.stderr
    assert not os.path.exists(repo / "build" / "firmware")


def test_the_projects_copy_is_unpacked_once_under_build(tmp_path, monkeypatch):
    import tarfile

    shared = tmp_path / "shared" / "src"
    mp = _tree(tmp_path / "pack" / "micropython-1.28.0")
    shared.mkdir(parents=True)
    with tarfile.open(shared / firmware.TARBALL, "w:gz") as t:
        t.add(mp, arcname="micropython-1.28.0")
    monkeypatch.setattr(firmware, "SHARED_SRC", str(shared))
    monkeypatch.setattr(firmware, "SRC", str(tmp_path / "build" / "src"))
    dest = firmware.project_source()
    assert dest == str(tmp_path / "build" / "src" / "micropython-1.28.0")
    assert os.path.isfile(os.path.join(dest, "py", "mkenv.mk"))
    assert os.listdir(tmp_path / "build" / "src") == ["micropython-1.28.0"]  # no temporary left
    (shared / firmware.TARBALL).unlink()  # reused, not unpacked again
    assert firmware.project_source() == dest


@pytest.mark.targets("frozen", reason="the firmware with net frozen in")
def test_frozen_target_runs_net_from_the_firmware_in_a_38k_heap(run, target):
    s = run("firmware_frozen_probe")
    # A frozen module's __file__ is its name in the manifest (MicroPython 1.28), not a path:
    # no folder on the path holds net; it comes from .frozen.
    assert s.expect("FILE") == "'net/__init__.py' 'net/_srv.py'"
    path = eval(s.expect("PATH"))
    assert ".frozen" in path and harness.BOARD in path
    folders = [p or harness.SCENARIOS for p in path if p != ".frozen"]
    assert not [p for p in folders if os.path.exists(os.path.join(p, "net"))]
    # The ESP8266's 38K heap (less the collector's own tables), unless a test asks for more;
    # twice that on a 64-bit build, where objects are twice the size.
    info = harness.firmware_build()[1]
    want = 38 * 1024 * (2 if info["bits"] == 64 else 1)
    assert want - 2048 < int(s.expect("HEAP")) <= want
    assert int(s.expect("BITS")) == info["bits"]
    s.wait()


def test_make_flash_without_an_image_says_how_to_build_one():
    r = _make("flash", "PORT=/dev/ttyUSB0", "BOARD=ESP8266_GENERIC", "FIRMWARE=/nonexistent.bin")
    assert r.returncode != 0
    assert "no firmware image /nonexistent.bin" in r.stderr and "make firmware BOARD=ESP8266_GENERIC" in r.stderr
    r = _make("flash", "BOARD=ESP8266_GENERIC")
    assert r.returncode != 0 and "PORT" in r.stderr


# --- type stubs -------------------------------------------------------------------------------
def _stub():
    with open(os.path.join(ROOT, "net", "__init__.pyi")) as f:
        return ast.parse(f.read())


def test_stubs_describe_the_real_module():
    # Every name the stub promises exists at run time, and every public name of net's objects
    # is in the stub (so that new API gets a stub). Checked on CPython, importing net.
    sys.path.insert(0, ROOT)
    sys.path.insert(0, harness.BOARD)
    import net

    tree = _stub()
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    funcs = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    names = {t.id for n in tree.body if isinstance(n, ast.AnnAssign) for t in [n.target]}
    for f in sorted(funcs):
        assert callable(getattr(net, f)), f
    for n in ("TCP", "UDP", "__version__"):
        assert n in names and hasattr(net, n)
    public = [a for a in list(net._attrs) + ["run", "poll", "stop"] if a != "dns"]
    assert sorted(public) == sorted(funcs)
    # Instances, not classes: a tunable may be set in __init__ rather than be a class default
    # (Server.maxConnections: a class table with a name less, docs/design.md "Memory").
    runtime = {
        "server": net.createServer(),
        "socket": net.createConnection(),
        "udpsocket": net.createUDPSocket(),
    }
    assert sorted(classes) == sorted(runtime)
    for cname, obj in runtime.items():
        cls = type(obj)
        stubbed = set()
        for n in classes[cname].body:
            if isinstance(n, ast.FunctionDef):
                stubbed.add(n.name)
            elif isinstance(n, ast.AnnAssign):
                stubbed.add(n.target.id)
        for n in sorted(stubbed):
            assert hasattr(obj, n), "stub %s.%s: no such attribute on %s" % (cname, n, cls.__name__)
        real = {n for n in dir(obj) if not n.startswith("_")}
        assert real <= stubbed, "not in net/__init__.pyi: %s.%s" % (cname, ", ".join(sorted(real - stubbed)))
        # The events the stub's on() overloads name are the object's events, all of them.
        events = set()
        for n in classes[cname].body:
            if isinstance(n, ast.FunctionDef) and n.name == "on":
                lit = n.args.args[1].annotation
                events.update(ast.literal_eval(e) for e in (lit.slice.elts if isinstance(lit.slice, ast.Tuple) else [lit.slice]))
        assert events == set(cls._EVENTS), cname
    runtime["udpsocket"].close()
    import net.dns as dns

    dtree = ast.parse(open(os.path.join(ROOT, "net", "dns.pyi")).read())
    dfuncs = {n.name for n in dtree.body if isinstance(n, ast.FunctionDef)}
    assert dfuncs == {n for n in dir(dns) if not n.startswith("_") and callable(getattr(dns, n)) and getattr(getattr(dns, n), "__module__", "") == dns.__name__}


def _mypy(*paths):
    # Settings for untyped scripts, as board code is written: a global's type is inferred
    # from all its assignments (as pyright does in an IDE), and an empty list at module level
    # needs no annotation.
    env = dict(os.environ, MYPYPATH=ROOT)
    flags = ["--no-incremental", "--cache-dir", os.devnull, "--allow-untyped-globals", "--allow-redefinition-new", "--local-partial-types"]
    return subprocess.run(
        [os.path.join(harness.BIN, "mypy")] + flags + list(paths),
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )


def test_examples_type_check_with_the_stubs():
    ex = sorted(os.path.join("examples", f) for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".py"))
    assert ex
    r = _mypy(*ex)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Success" in r.stdout


def test_stubs_catch_typical_mistakes(tmp_path):
    p = tmp_path / "user.py"
    p.write_text(
        "import net\n"
        "srv = net.createServer(net.TCP, 30)\n"
        "srv.on('recieve', lambda s, d: None)\n"  # misspelt event
        "net.createServer(net.TCP, '30')\n"  # timeout as str
        "c = net.createConnection()\n"
        "c.connect('80')\n"  # port as str
        "c.on('receive', lambda s: None)\n"  # receive handlers take (sock, data)
        "u = net.createUDPSocket()\n"
        "u.send('127.0.0.1', 5000, b'x')\n"  # NodeMCU order is port, ip
    )
    r = _mypy(str(p))
    lines = [ln for ln in r.stdout.splitlines() if ": error:" in ln]
    assert sorted(set(int(ln.split(":")[1]) for ln in lines)) == [3, 4, 6, 7, 9], r.stdout


def test_stub_return_types_are_what_the_calls_return():
    # The stub's return annotation of the calls that return something, against what they
    # return at run time (issue #19: udpsocket.send was declared None and returns a bool).
    sys.path.insert(0, ROOT)
    sys.path.insert(0, harness.BOARD)
    import net

    tree = _stub()
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}

    def declared(cname, meth):
        for n in classes[cname].body:
            if isinstance(n, ast.FunctionDef) and n.name == meth:
                return ast.unparse(n.returns)
        raise AssertionError("%s.%s is not in the stub" % (cname, meth))

    srv = net.createServer(net.TCP, 30)
    u = net.createUDPSocket()
    c = net.createConnection()
    try:
        calls = [
            ("server", "listen", lambda: srv.listen(0, "127.0.0.1")),
            ("server", "getaddr", srv.getaddr),
            ("server", "address", srv.address),
            ("udpsocket", "send", lambda: u.send(9, "127.0.0.1", b"x")),
            ("udpsocket", "getaddr", u.getaddr),
            ("socket", "getpeer", c.getpeer),
            ("socket", "getaddr", c.getaddr),
        ]
        names = {"bool": bool, "None": type(None), "Addr": tuple, "server": type(srv), "udpsocket": type(u), "socket": type(c)}
        for cname, meth, call in calls:
            ret = call()
            want = declared(cname, meth)
            if want.startswith("Optional[") or want.startswith("Union["):
                continue  # checked by mypy on the examples
            assert isinstance(ret, names[want]), "%s.%s returns %s, the stub says %s" % (cname, meth, type(ret).__name__, want)
    finally:
        srv.close()
        u.close()
