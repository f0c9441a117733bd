# tools/firmware.py - build a firmware with net frozen in, flash it, or deploy net as .mpy.
# MIT licence, see LICENSE.
#
#   python tools/firmware.py build  --board BOARD --micropython DIR [--dry-run]
#   python tools/firmware.py flash  --board BOARD --port PORT [--firmware FILE] [--dry-run]
#   python tools/firmware.py deploy --port PORT [--arch xtensa|xtensawin|bytecode] [--dry-run]
#
# `make firmware/flash/deploy` call this. The build is MicroPython's own (its Makefiles, run
# in a MicroPython checkout at --micropython), with the board definitions of firmware/; this
# tool only checks what the build needs, says clearly what is missing, and runs the commands
# (printing each). --dry-run prints them without running (and without the checks that need
# the tools to exist), which is also how the tests check them.
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FW = os.path.join(ROOT, "firmware")
OUT = os.path.join(ROOT, "build", "firmware")

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
    "unix": dict(
        port="unix", make=["VARIANT=net", "VARIANT_DIR=%s/unix/net" % FW],
        out="build-net/micropython", chip=None, offset=None, tool="cc",
    ),
}

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


def build_commands(board, mpy_dir, jobs=None):
    # The commands, in order, that build `board` in the MicroPython checkout mpy_dir, and the
    # path of the file they produce.
    b = board_info(board)
    port = os.path.join(mpy_dir, "ports", b["port"])
    j = ["-j%d" % (jobs or os.cpu_count() or 1)]
    cmds = [
        ["make", "-C", os.path.join(mpy_dir, "mpy-cross")] + j,
        ["make", "-C", port, "submodules"] + b["make"],
        ["make", "-C", port] + j + b["make"],
    ]
    return cmds, os.path.join(port, b["out"])


def check_build(board, mpy_dir):
    # Raise Missing with what the user must install or set.
    b = board_info(board)
    if not mpy_dir:
        raise Missing(
            "MICROPY_DIR is not set: it must name a MicroPython checkout, e.g.\n"
            "  git clone https://github.com/micropython/micropython ~/micropython\n"
            "  make firmware BOARD=%s MICROPY_DIR=~/micropython" % board
        )
    if not os.path.exists(os.path.join(mpy_dir, "py", "mkenv.mk")):
        raise Missing("MICROPY_DIR=%s is not a MicroPython checkout (no py/mkenv.mk there)" % mpy_dir)
    for tool in ("make", b["tool"]):
        if shutil.which(tool) is None:
            raise Missing(MISSING.get(tool, "%s is not on PATH" % tool))


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


def _run(cmds, dry):
    for c in cmds:
        print("+ " + " ".join(_quote(a) for a in c), flush=True)
        if not dry:
            r = subprocess.run(c)
            if r.returncode != 0:
                raise SystemExit(r.returncode)


def _quote(a):
    return a if a and all(ch.isalnum() or ch in "-_=./:+,@" for ch in a) else repr(a)


def main(argv):
    import argparse

    ap = argparse.ArgumentParser(description="build, flash or deploy net firmware")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--board", required=True)
    b.add_argument("--micropython", default=os.environ.get("MICROPY_DIR", ""))
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
            mpy_dir = os.path.abspath(os.path.expanduser(a.micropython)) if a.micropython else ""
            if not a.dry_run:
                check_build(a.board, mpy_dir)
            cmds, produced = build_commands(a.board, mpy_dir or "$MICROPY_DIR")
            _run(cmds, a.dry_run)
            dest = os.path.join(OUT, a.board + (".bin" if board_info(a.board)["chip"] else ""))
            print("+ cp %s %s" % (produced, os.path.relpath(dest)))
            if not a.dry_run:
                os.makedirs(OUT, exist_ok=True)
                shutil.copy2(produced, dest)
                print("firmware: %s (%d bytes)" % (os.path.relpath(dest), os.path.getsize(dest)))
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
