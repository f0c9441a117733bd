# tools/firmware.py - build a firmware with net frozen in, flash it, or deploy net as .mpy.
# MIT licence, see LICENSE.
#
#   python tools/firmware.py build  --board BOARD [--micropython DIR] [--dry-run]
#   python tools/firmware.py flash  --board BOARD --port PORT [--firmware FILE] [--dry-run]
#   python tools/firmware.py deploy --port PORT [--arch xtensa|xtensawin|bytecode] [--dry-run]
#
# `make firmware/flash/deploy` call this. The build is MicroPython's own (its Makefiles, run
# in a MicroPython source tree at --micropython), with the board definitions of firmware/; this
# tool only checks what the build needs, says clearly what is missing, and runs the commands
# (printing each). --dry-run prints them without running (and without the checks that need
# the tools to exist), which is also how the tests check them.
#
# BOARD=lwip-esp8266 and BOARD=lwip-rp2 are the unix port too (firmware/unix/lwip-*): its
# socket module is MicroPython's extmod/modlwip.c on lwIP, set up as that board's firmware
# sets it up, on a TAP link (docs/lwip.md). They are built exactly as BOARD=unix.
#
# The tree is a git checkout (MicroPython's `make submodules` fetches what the port needs) or
# an unpacked source tree with its submodules already in place (no .git: that step would fail,
# so it is skipped and the submodules the port's make lists are checked instead). BOARD=unix
# (the host build the `frozen` test target and the virtual board run) needs no MICROPY_DIR
# on the project's developer and CI machines, which hold a copy of the MicroPython release
# (SHARED_SRC, below): it is unpacked once under build/src. The unix build is 32-bit where `cc -m32` links, as on a
# board, since heap figures depend on pointer size; build/firmware/unix.json records what the
# binary was built from.
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FW = os.path.join(ROOT, "firmware")
OUT = os.path.join(ROOT, "build", "firmware")
# The project's copy of the MicroPython release the pinned unix-port wheel is built from (with
# the submodules the unix port needs), and where it is unpacked (build/ is not tracked).
SHARED_SRC = os.path.join(os.path.dirname(ROOT), "shared", "src")
TARBALL = "micropython-1.28.0.tar.gz"
SRC = os.path.join(ROOT, "build", "src")

# BOARD -> how to build it. port: MicroPython port folder; make: the extra make arguments;
# out: the file the build produces (relative to the port folder); chip: for esptool; offset:
# where the image goes in flash (MicroPython's download page: ESP32 at 0x1000 - the S2, S3,
# C3 and C6 at 0 -, ESP8266 at 0); tool: the cross compiler it needs.
BOARDS = {
    "ESP32_GENERIC": dict(
        port="esp32", make=["BOARD_DIR=%s/boards/NET_ESP32_GENERIC" % FW],
        out="build-NET_ESP32_GENERIC/firmware.bin", chip="esp32", offset="0x1000", tool="idf.py",
    ),
    "ESP8266_GENERIC": dict(
        port="esp8266", make=["BOARD_DIR=%s/boards/NET_ESP8266" % FW],
        out="build-NET_ESP8266/firmware.bin", chip="esp8266", offset="0x0", tool="xtensa-lx106-elf-gcc",
    ),
    "ESP8266_GENERIC_FLASH_1M": dict(
        port="esp8266", make=["BOARD_DIR=%s/boards/NET_ESP8266" % FW, "BOARD_VARIANT=FLASH_1M"],
        out="build-NET_ESP8266-FLASH_1M/firmware.bin", chip="esp8266", offset="0x0", tool="xtensa-lx106-elf-gcc",
    ),
}
# The unix-port boards (variant: the folder firmware/unix/<variant>): unix (net frozen in) and
# the lwIP builds (modlwip: lwip-esp8266, lwip-rp2; ESP32's modsocket: lwip-esp32). submodules:
# what the variant needs when the port's make cannot be asked (make older than 3.82 has no
# --eval): MicroPython 1.2x's list, plus lib/lwip for the lwIP builds.
UNIX_SUBMODULES = ["lib/micropython-lib", "lib/berkeley-db-1.xx", "lib/mbedtls"]
for _variant in ("net", "lwip-esp8266", "lwip-rp2", "lwip-esp32"):
    _board = "unix" if _variant == "net" else _variant
    BOARDS[_board] = dict(
        port="unix", variant=_variant, make=["VARIANT=%s" % _variant, "VARIANT_DIR=%s/unix/%s" % (FW, _variant)],
        out="build-%s/micropython" % _variant, chip=None, offset=None, tool="cc",
        submodules=UNIX_SUBMODULES + (["lib/lwip"] if _variant != "net" else []),
    )


def unix_bits(variant, m32):
    # A unix build goes to a folder of its variant and word size: make does not notice a
    # changed MICROPY_FORCE_32BIT, and 32- and 64-bit objects must not meet in one link (nor
    # with a build-<variant> left by a make run by hand).
    if m32:
        return ["MICROPY_FORCE_32BIT=1", "BUILD=build-%s-32" % variant]
    return ["BUILD=build-%s-64" % variant]


MISSING = {
    "idf.py": "ESP-IDF (idf.py) is not on PATH. Install the ESP-IDF version MicroPython's "
    "ports/esp32/README.md names (v5.x), then `. $IDF_PATH/export.sh` in this shell.",
    "xtensa-lx106-elf-gcc": "the ESP8266 toolchain (xtensa-lx106-elf-gcc) is not on PATH. Build it "
    "with esp-open-sdk, or use MicroPython's Docker image: see ports/esp8266/README.md "
    "(`docker run ... larsks/esp-open-sdk make ...`).",
    "cc": "no C compiler (cc) on PATH: install gcc or clang, and make.",
}


class Missing(Exception):
    pass


def venv_tool(name):
    exe = os.path.join(os.path.dirname(sys.executable), name)
    return exe if os.path.exists(exe) else name


def board_info(board):
    if board not in BOARDS:
        raise Missing("BOARD must be one of %s, got %r" % (", ".join(BOARDS), board))
    return BOARDS[board]


def is_git(mpy_dir):
    # A git checkout (.git is a folder, or a file in a worktree or a submodule).
    return os.path.exists(os.path.join(mpy_dir, ".git"))


def build_commands(board, mpy_dir, jobs=None, git=True, m32=False):
    # The commands, in order, that build `board` in the MicroPython tree mpy_dir, and the path
    # of the file they produce. git: fetch the submodules first (a git checkout); m32: the
    # unix port as 32-bit.
    b = board_info(board)
    port = os.path.join(mpy_dir, "ports", b["port"])
    j = ["-j%d" % (jobs or os.cpu_count() or 1)]
    extra = b["make"]
    out = b["out"]
    if b["port"] == "unix":
        # 32-bit: no 32-bit libffi on a 64-bit host, and net needs no ffi: the variant has none.
        bits = unix_bits(b["variant"], m32)
        extra = bits + extra
        out = bits[-1].split("=")[1] + "/micropython"
    cmds = [["make", "-C", os.path.join(mpy_dir, "mpy-cross")] + j]
    if git:
        cmds.append(["make", "-C", port, "submodules"] + extra)
    cmds.append(["make", "-C", port] + j + extra)
    return cmds, os.path.join(port, out)


def project_source(unpack=True):
    # The project's own MicroPython tree under build/src, unpacked from SHARED_SRC on first
    # use (into a temporary folder, then renamed: a half-unpacked tree is never taken for a
    # whole one). None when neither is there.
    name = TARBALL[: -len(".tar.gz")]
    dest = os.path.join(SRC, name)
    if os.path.exists(os.path.join(dest, "py", "mkenv.mk")):
        return dest
    tar = os.path.join(SHARED_SRC, TARBALL)
    if not os.path.isfile(tar):
        return None
    if not unpack:
        return dest
    import tarfile

    os.makedirs(SRC, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".unpack-", dir=SRC)
    try:
        print("+ tar -xzf %s -C %s" % (tar, os.path.relpath(SRC)), flush=True)
        with tarfile.open(tar) as t:
            t.extractall(tmp, filter="data")
        try:
            os.rename(os.path.join(tmp, name), dest)
        except OSError:
            if not os.path.exists(os.path.join(dest, "py", "mkenv.mk")):  # not another session's
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def no_source_message(board):
    return (
        "MICROPY_DIR is not set: it must name a MicroPython source tree (a git checkout, or an "
        "unpacked release with its submodules), e.g.\n"
        "  git clone https://github.com/micropython/micropython ~/micropython\n"
        "  make firmware BOARD=%s MICROPY_DIR=~/micropython" % board
    )


def check_build(board, mpy_dir):
    # Raise Missing with what the user must install or set.
    b = board_info(board)
    if not mpy_dir:
        raise Missing(no_source_message(board))
    if not os.path.exists(os.path.join(mpy_dir, "py", "mkenv.mk")):
        raise Missing("MICROPY_DIR=%s is not a MicroPython checkout (no py/mkenv.mk there)" % mpy_dir)
    for tool in ("make", b["tool"]):
        if shutil.which(tool) is None:
            raise Missing(MISSING.get(tool, "%s is not on PATH" % tool))


def needed_submodules(board, mpy_dir, make_args):
    # The submodules the port's make lists for these settings (its GIT_SUBMODULES, what `make
    # submodules` would fetch); the board's own list (unix port) when make cannot say; None
    # when unknown.
    b = board_info(board)
    port = os.path.join(mpy_dir, "ports", b["port"])
    try:
        p = subprocess.run(
            ["make", "-s", "--no-print-directory", "-C", port] + make_args
            + ["--eval=net-list-submodules: ; @echo SUBMODULES: $(GIT_SUBMODULES)", "net-list-submodules"],
            capture_output=True, text=True, timeout=120,
        )
        for ln in p.stdout.splitlines():
            if ln.startswith("SUBMODULES:") and p.returncode == 0:
                return ln.split()[1:]
    except (OSError, subprocess.TimeoutExpired):
        pass
    return list(b["submodules"]) if "submodules" in b else None


def check_submodules(board, mpy_dir, make_args):
    # A tree that is not a git checkout must hold the port's submodules already.
    mods = needed_submodules(board, mpy_dir, make_args)
    missing = [m for m in mods or () if not _populated(os.path.join(mpy_dir, m))]
    if missing:
        raise Missing(
            "%s is not a git checkout, so its submodules cannot be fetched, and the %s build needs "
            "%s, which %s empty or missing there. Put %s in place (the commits that MicroPython "
            "release pins), or use a git checkout of MicroPython, whose submodules the build fetches."
            % (mpy_dir, board, ", ".join(missing), "is" if len(missing) == 1 else "are",
               "it" if len(missing) == 1 else "them")
        )


def _populated(d):
    try:
        return any(not n.startswith(".") for n in os.listdir(d))
    except OSError:
        return False


def cc_m32():
    # True when the C compiler builds and links 32-bit programs (Debian: gcc-multilib).
    d = tempfile.mkdtemp(prefix="net-m32-")
    try:
        with open(os.path.join(d, "t.c"), "w") as f:
            f.write("#include <stdio.h>\nint main(void) { printf(\"%d\\n\", (int)sizeof(void *)); return 0; }\n")
        p = subprocess.run(["cc", "-m32", "-o", os.path.join(d, "t"), os.path.join(d, "t.c")], capture_output=True, timeout=120)
        return p.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        shutil.rmtree(d, ignore_errors=True)


def flash_commands(board, port, firmware, baud=460800):
    # esptool: erase the whole flash, then write the image at the chip's offset.
    b = board_info(board)
    if b["chip"] is None:
        raise Missing("BOARD=%s is not a board that can be flashed" % board)
    esptool = venv_tool("esptool")
    base = [esptool, "--chip", b["chip"], "--port", port, "--baud", str(baud)]
    write = base + ["write-flash"]
    if b["chip"] == "esp8266":
        write += ["--flash-size", "detect"]  # 1 MiB or 2+ MiB modules alike
    return [base + ["erase-flash"], write + [b["offset"], firmware]]


def deploy_commands(port, arch="bytecode"):
    # mpy-cross build of net (for the board's arch) copied to the board's flash with mpremote;
    # net's old copy on the board is removed first so that no stale module stays.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import mpybuild

    out = mpybuild.default_out(arch)
    mpremote = venv_tool("mpremote")
    files = [os.path.join(out, m[:-3] + ".mpy") for m in mpybuild.modules()]
    # One mpremote session (commands joined with "+"): one soft reset, not four.
    return out, [
        [mpremote, "connect", port, "exec", _RM_NET, "+", "mkdir", ":net", "+", "cp"] + files
        + [":net/", "+", "exec", "import net; print('net', net.__version__, 'deployed')"]
    ]


# Remove net/ from the board's flash if it is there (mpremote's rm -r fails when it is not).
_RM_NET = (
    "import os\n"
    "try:\n"
    " for f in os.listdir('net'): os.remove('net/'+f)\n"
    " os.rmdir('net')\n"
    "except OSError:\n"
    " pass"
)


def build(board, micropython="", dry=False):
    # `make firmware`: check, run MicroPython's build, copy the image to build/firmware/.
    b = board_info(board)
    mpy_dir = os.path.abspath(os.path.expanduser(micropython)) if micropython else ""
    unix = b["port"] == "unix"
    if not mpy_dir and unix:
        mpy_dir = project_source(unpack=not dry) or ""
        if not mpy_dir and not dry:
            raise Missing(no_source_message(board) + "\n(nor is the project's copy of MicroPython, %s, on this machine)"
                          % os.path.join(SHARED_SRC, TARBALL))
    if not dry:
        check_build(board, mpy_dir)
    git = is_git(mpy_dir) if mpy_dir else True
    m32 = False
    if unix:
        m32 = cc_m32()
        if not m32:
            print("firmware: `cc -m32` cannot build a 32-bit program here (on Debian: apt install gcc-multilib), "
                  "so this is a 64-bit build: its heap figures are a 64-bit host's, not a 32-bit board's", flush=True)
    cmds, produced = build_commands(board, mpy_dir or "$MICROPY_DIR", git=git, m32=m32)
    if not git:
        if not dry:
            check_submodules(board, mpy_dir, cmds[-1][4:])
        print("firmware: %s is not a git checkout: building with the submodules in place (no `make submodules`)" % mpy_dir, flush=True)
    env = None
    if mpy_dir and not git:
        # MicroPython's version header asks git; a tree inside another checkout (build/src in
        # this one) would be given that checkout's commit as its version. Git stops above it.
        env = dict(os.environ, GIT_CEILING_DIRECTORIES=os.path.dirname(mpy_dir))
    _run(cmds, dry, env)
    dest = os.path.join(OUT, board + (".bin" if b["chip"] else ""))
    print("+ cp %s %s" % (produced, os.path.relpath(dest)))
    if dry:
        return None
    os.makedirs(OUT, exist_ok=True)
    # Copied beside and renamed: a running binary (a test, the virtual board) is never written.
    shutil.copy2(produced, dest + ".tmp")
    os.replace(dest + ".tmp", dest)
    info = {"board": board, "source": mpy_dir, "git": git, "bits": elf_bits(dest)}
    if unix:
        with open(dest + ".json.tmp", "w") as f:
            json.dump(info, f, indent=1)
        os.replace(dest + ".json.tmp", dest + ".json")
    bits = " %s-bit," % info["bits"] if info["bits"] else ""
    print("firmware: %s (%d bytes,%s built from %s)" % (os.path.relpath(dest), os.path.getsize(dest), bits, mpy_dir), flush=True)
    return info


def elf_bits(path):
    # 32 or 64 for an ELF file (its class byte), None for anything else (an ESP image).
    with open(path, "rb") as f:
        head = f.read(5)
    return {1: 32, 2: 64}.get(head[4]) if head[:4] == b"\x7fELF" else None


def _run(cmds, dry, env=None):
    for c in cmds:
        print("+ " + " ".join(_quote(a) for a in c), flush=True)
        if not dry:
            r = subprocess.run(c, env=env)
            if r.returncode != 0:
                # Exit status 1, whatever the command's: 2 says that something is missing.
                print("firmware: the command above failed (exit status %d)" % r.returncode, file=sys.stderr, flush=True)
                raise SystemExit(1)


def _quote(a):
    return a if a and all(ch.isalnum() or ch in "-_=./:+,@" for ch in a) else repr(a)


def main(argv):
    import argparse

    ap = argparse.ArgumentParser(description="build, flash or deploy net firmware")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--board", required=True)
    b.add_argument("--micropython", default=os.environ.get("MICROPY_DIR", ""),
                   help="MicroPython source tree (default $MICROPY_DIR; for unix, the project's copy when there is one)")
    b.add_argument("--dry-run", action="store_true")
    f = sub.add_parser("flash")
    f.add_argument("--board", required=True)
    f.add_argument("--port", required=True)
    f.add_argument("--firmware", help="image to write (default build/firmware/BOARD.bin)")
    f.add_argument("--baud", type=int, default=460800)
    f.add_argument("--dry-run", action="store_true")
    d = sub.add_parser("deploy")
    d.add_argument("--port", required=True)
    d.add_argument("--arch", default="bytecode", choices=("bytecode", "xtensa", "xtensawin"))
    d.add_argument("--dry-run", action="store_true")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "build":
            build(a.board, a.micropython, a.dry_run)
        elif a.cmd == "flash":
            fw = a.firmware or os.path.join(OUT, a.board + ".bin")
            cmds = flash_commands(a.board, a.port, fw, a.baud)
            if not a.dry_run and not os.path.exists(fw):
                raise Missing("no firmware image %s: build it first (make firmware BOARD=%s MICROPY_DIR=...) "
                              "or give FIRMWARE=path/to/image.bin" % (fw, a.board))
            _run(cmds, a.dry_run)
        else:
            out, cmds = deploy_commands(a.port, a.arch)
            print("+ python tools/mpybuild.py --arch %s  (into %s)" % (a.arch, os.path.relpath(out)))
            if not a.dry_run:
                import mpybuild

                mpybuild.build(out, a.arch)
            _run(cmds, a.dry_run)
    except Missing as e:
        print("%s: %s" % (a.cmd, e), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
