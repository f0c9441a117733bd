# tools/vboard.py - the virtual board: the MicroPython unix port behind a pseudo-terminal.
# MIT licence, see LICENSE.
#
#   python tools/vboard.py [--heap 38K] [--heap-exact] [--flash DIR] [--net auto|frozen|mpy|py|none]
#                          [--board esp32|esp8266] [--path DIR]... [--link FILE] [--echo]
#                          [--main SCRIPT [--main-arg A]...] [--pidfile FILE]
#   (docs/firmware.md, "The virtual board")
#
# Prints "vboard: /dev/pts/N ..." and serves until killed. `mpremote connect /dev/pts/N ...`
# then talks to it exactly as to a board on USB: raw REPL, raw paste (the unix port answers
# both itself since 1.27), `mpremote run/exec/fs/mip`, and plain `connect` without `resume`,
# because soft reset is emulated here.
#
# What a board does and how it is emulated:
# - soft reset. On a board Ctrl-D (an empty raw-REPL command, or Ctrl-D at the friendly
#   prompt) and SystemExit restart the interpreter: "MPY: soft reboot", boot.py, then main.py
#   (friendly mode only) and the banner, or straight back to the raw REPL prompt when the raw
#   REPL was active. The unix port exits instead; so every exit of the interpreter process is a
#   soft reset here: the relay prints "MPY: soft reboot", starts a fresh interpreter and, when
#   the raw REPL was active, enters it again before letting the host talk (the host sees
#   "raw REPL; CTRL-B to exit", as from a board). A fresh process is a cleaner reset than a
#   board's: no socket survives it. The power-on start is a reset into the friendly REPL.
# - Ctrl-C. While Python code runs, the relay turns the host's Ctrl-C into SIGINT (the unix
#   port's KeyboardInterrupt) and drops the byte, as a board's UART interrupt does; at a
#   prompt it is an ordinary character. (The unix port's raw REPL keeps its terminal in raw
#   mode while code runs, so the terminal's own ISIG cannot be relied on.)
# - hard reset. machine.reset() (board/vboard/machine.py; `mpremote reset` calls it) writes
#   to a pipe this relay watches: the interpreter is killed, what the host sent it is lost,
#   and a fresh one starts into the friendly REPL (boot.py, main.py), as after a board's reset.
# - flash. The flash folder is the board's "/" (board/vboard/_vbfs.py, run first by every
#   interpreter): board programs, `mpremote fs/df/mip` see it and nothing else of the host.
#   sys.path is ['', '/rom', '.frozen', '/lib']; /rom is the firmware's read-only modules
#   (personality, board/vboard, board/, net's .mpy build where net is not frozen).
# - frozen net. On a board net is frozen (bytecode in flash, no heap spent on it). `--net
#   frozen` runs the unix firmware with net frozen in (build/firmware/unix, `make firmware
#   BOARD=unix`: 32-bit where the compiler can, as a board); `--net auto`, the default, builds
#   it or brings it up to date with net/ first when a MicroPython tree is at hand (MICROPY_DIR
#   or the project's copy), uses the last build otherwise, and falls back to `mpy`. `--net
#   mpy`: the pip unix port with net from the mpy-cross build (build/mpy, rebuilt at start
#   when a source changed), which does sit in the heap: `import net` costs its bytecode's size
#   in RAM there and nothing on a board. `--net py` uses the sources (does not fit a 38K heap),
#   `--net none` nothing (a board with stock firmware, for `make deploy` and `mip install`).
# - RAM. `--heap` is the board's heap (default 38K, the ESP8266's). With net frozen that is
#   the interpreter's heap, as on a board. With `mpy` and `py` net's bytecode is in this heap
#   here and in flash on a board, so the interpreter gets that heap plus what importing every
#   module of net costs (measured at start, printed); `--heap-exact` leaves that out (the
#   test harness, whose heap sizes already count net). Without the frozen firmware the flash
#   mount's bytecode is added too, always. The rest of the board (its `network` module) comes
#   from board/ under /rom; `--path` puts more folders in front (board personalities).
# - a UART with nobody listening drops what the board prints: output is buffered up to
#   _DROP bytes for a slow reader, then the oldest is discarded instead of blocking the board.
import argparse
import os
import select
import signal
import subprocess
import sys
import termios
import time
import tty

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOARD = os.path.join(ROOT, "board")
FIRMWARE = os.path.join(ROOT, "build", "firmware", "unix")
# The virtual board's own firmware modules (its flash mount, `machine` with reset()), and
# where they are compiled to .mpy: what is not frozen costs the board program no more heap
# than its bytecode.
VBOARD_SRC = os.path.join(BOARD, "vboard")
VBOARD_MPY = os.path.join(ROOT, "build", "vboard-mpy")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mpybuild  # noqa: E402

RAW_MARKER = b"raw REPL; CTRL-B to exit\r\n"
PROMPT = b">>> "
SOFT_REBOOT = b"MPY: soft reboot\r\n"
_DROP = 256 * 1024  # bytes of unread output kept for the host before the oldest is dropped
_INT_HOLD = 2.0  # seconds the host's bytes after a Ctrl-C may wait for the REPL's prompt

# Run by every fresh interpreter, as a board's firmware does after a reset: mount the flash
# as "/" (board/vboard/_vbfs.py, frozen in the unix firmware), then boot.py always, main.py
# only when booting into the friendly REPL and boot.py succeeded. execfile keeps the file name
# in tracebacks; its globals are the REPL's, as on a board. A failure is printed and the REPL
# starts anyway; SystemExit ends the process, which is a soft reset here too.
_BOOT = (
    "from _vbfs import boot\n"
    "boot(%r,%r)\n"
    "del boot\n"
    "import os as _o\n"
    "_b=[f for f in ('boot.py','main.py') if f in _o.listdir()]\n"
    "del _o\n"
    "for _f in _b:\n"
    " if _f=='main.py' and %r: break\n"
    " try:\n"
    "  execfile(_f)\n"
    " except Exception as _e:\n"
    "  import sys; sys.print_exception(_e); break\n"
    "del _b\n"
)
# reset causes as machine.reset_cause() gives them (ESP32's numbers)
PWRON_RESET, HARD_RESET, SOFT_RESET = 1, 2, 5


def micropython_exe():
    exe = os.path.join(os.path.dirname(sys.executable), "micropython")
    return exe if os.path.exists(exe) else "micropython"


def frozen_firmware(log=sys.stderr):
    # For --net auto: True when the unix firmware with net frozen in is there, built or brought
    # up to date first by `make firmware BOARD=unix`'s own code where a MicroPython tree is at
    # hand; what happened is said on log.
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "firmware.py"), "build", "--board", "unix"],
                       capture_output=True, text=True, cwd=ROOT)
    if p.returncode == 0:
        return True
    why = (p.stderr.strip() or p.stdout.strip()).splitlines()
    why = why[0] if p.returncode == 2 and p.stderr.startswith("build: ") else "the build failed (make firmware BOARD=unix shows why)"
    if os.path.exists(FIRMWARE):
        print("vboard note: build/firmware/unix not rebuilt (%s); using the last build" % why, file=log, flush=True)
        return True
    print("vboard note: no firmware with net frozen in (%s); net from the .mpy build instead" % why, file=log, flush=True)
    return False


def vboard_modules():
    # Compile board/vboard/*.py into build/vboard-mpy (only what changed); returns that folder.
    os.makedirs(VBOARD_MPY, exist_ok=True)
    for f in sorted(os.listdir(VBOARD_SRC)):
        if f.endswith(".py"):
            src, dst = os.path.join(VBOARD_SRC, f), os.path.join(VBOARD_MPY, f[:-3] + ".mpy")
            if not os.path.exists(dst) or os.path.getmtime(dst) < os.path.getmtime(src):
                mpybuild.compile_one(src, dst)
    return VBOARD_MPY


def _set_raw(fd):
    # Raw mode: no echo, no line editing, no CR/LF translation, no signals; bytes pass as
    # they are, as over a UART.
    tty.setraw(fd)


class VBoard:
    def __init__(self, flash, heap="38K", paths=(), net="mpy", echo=False, log=None):
        self.flash = os.path.abspath(flash)
        self.heap = heap
        self.echo = echo
        self.log = log or sys.stderr
        os.makedirs(os.path.join(self.flash, "lib"), exist_ok=True)
        self.exe = micropython_exe()
        if net == "frozen":
            if not os.path.exists(FIRMWARE):
                raise ValueError("--net frozen: no %s; build it with `make firmware BOARD=unix MICROPY_DIR=...`" % FIRMWARE)
            self.exe = FIRMWARE
            netdirs = []
        elif net == "mpy":
            mpybuild.build()
            netdirs = [mpybuild.default_out()]
        elif net == "py":
            # A folder holding only a link to net/: /rom shows net, not the whole checkout.
            netdirs = [os.path.join(ROOT, "build", "vboard-py")]
            os.makedirs(netdirs[0], exist_ok=True)
            if not os.path.islink(os.path.join(netdirs[0], "net")):
                os.symlink(os.path.join(ROOT, "net"), os.path.join(netdirs[0], "net"))
        elif net == "none":
            netdirs = []
        else:
            raise ValueError("net must be frozen, mpy, py or none, got %r" % (net,))
        self.net = net
        self.netdirs = netdirs
        # The board's firmware, read-only under /rom (searched in this order): the personality
        # hook, the virtual board's own modules, the emulated board modules, net as if frozen.
        # sys.path is then ['', '/rom', '.frozen', '/lib'] (a board has ['', '.frozen', '/lib']).
        self.rom = [os.path.abspath(p) for p in paths] + [vboard_modules(), BOARD] + netdirs
        # The host's side: the master end is ours, the slave end is the board's "USB port".
        self.master, self._slave = os.openpty()
        _set_raw(self._slave)  # kept open: the master stays readable between host sessions
        os.set_blocking(self.master, False)
        self.device = os.ttyname(self._slave)
        self.child = None
        self.pidfile = None  # where the current interpreter's pid is written (tests: prlimit)
        self.reboots = 0
        self.raw = False  # the raw REPL was active (a reset returns to it)
        self.cause = PWRON_RESET  # why the next interpreter starts (machine.reset_cause())
        self.reset_r = None  # read end of the pipe machine.reset() writes to

    # --- the interpreter -------------------------------------------------------------------
    def _spawn(self):
        cm, cs = os.openpty()
        _set_raw(cs)
        env = dict(os.environ)
        # Only what finds _vbfs: the boot code then gives sys.path the board's shape.
        env["MICROPYPATH"] = ".frozen:" + VBOARD_MPY
        # machine.reset() writes to this pipe: a hard reset (see serve()).
        self.reset_r, reset_w = os.pipe()
        env["VBOARD_RESET_FD"] = str(reset_w)
        env["VBOARD_RESET_CAUSE"] = str(self.cause)
        argv = [self.exe]
        if self.heap:
            argv += ["-X", "heapsize=%s" % self.heap]
        argv += ["-i", "-c", _BOOT % (self.flash, self.rom, self.raw)]

        def child_setup():
            # SIGINT is ignored until MicroPython installs its own handler around running
            # code, so that CPython (which hosts the unix port in-process) installs none.
            signal.signal(signal.SIGINT, signal.SIG_IGN)

        self.child = subprocess.Popen(
            argv, stdin=cs, stdout=cs, stderr=cs, cwd=self.flash, env=env,
            start_new_session=True, preexec_fn=child_setup, close_fds=True, pass_fds=(reset_w,),
        )
        os.close(reset_w)
        os.set_blocking(self.reset_r, False)
        if self.pidfile:
            with open(self.pidfile + ".tmp", "w") as f:
                f.write("%d\n" % self.child.pid)
            os.replace(self.pidfile + ".tmp", self.pidfile)
        os.close(cs)
        os.set_blocking(cm, False)
        self.cm = cm
        # Entering the raw REPL again after a reset: the host's bytes wait until it is there.
        self.booting = self.raw
        self.bootbuf = b""
        self.sent_ctrl_a = False

    def _running(self):
        # True while the interpreter runs Python code: MicroPython catches SIGINT exactly
        # then (mp_hal_set_interrupt_char) and restores the default at its prompts, where
        # Ctrl-C is an ordinary character. Linux reports the caught signals in /proc.
        try:
            with open("/proc/%d/status" % self.child.pid) as f:
                for ln in f:
                    if ln.startswith("SigCgt:"):
                        return bool(int(ln.split()[1], 16) & (1 << (signal.SIGINT - 1)))
        except (OSError, ValueError):
            pass
        return False

    def _reap(self):
        for fd in (self.cm, self.reset_r):
            try:
                os.close(fd)
            except (OSError, TypeError):
                pass
        self.reset_r = None
        try:
            self.child.wait(5)
        except subprocess.TimeoutExpired:
            self.child.kill()
            self.child.wait()

    # --- the relay --------------------------------------------------------------------------
    def serve(self, until=None):
        # Relay between the host and the interpreter until `until()` is true (or forever).
        self._spawn()
        to_host = bytearray()
        to_board = bytearray()
        held = bytearray()  # host bytes held while a reset re-enters the raw REPL
        # Host bytes held after a Ctrl-C until the REPL has printed its prompt: the unix port
        # discards its terminal's pending input when its REPL starts (TCSAFLUSH), where a
        # board's UART keeps it (mpremote sends Ctrl-A right behind the Ctrl-C).
        int_held = bytearray()
        int_until = None
        tail = b""  # the end of the last output, to find the raw REPL marker across reads
        while until is None or not until():
            if int_until is not None and time.monotonic() > int_until:
                to_board += int_held  # the program caught KeyboardInterrupt and runs on
                int_held = bytearray()
                int_until = None
            rl = [self.master, self.cm] + ([self.reset_r] if self.reset_r is not None else [])
            wl = []
            if to_host:
                wl.append(self.master)
            if to_board:
                wl.append(self.cm)
            try:
                r, w, _ = select.select(rl, wl, [], 0.2)
            except InterruptedError:
                continue
            if self.reset_r is not None and self.reset_r in r:
                try:
                    why = os.read(self.reset_r, 16)
                except (BlockingIOError, InterruptedError):
                    why = None
                except OSError:
                    why = b""
                if why == b"":  # the interpreter is gone; its pty says so next
                    os.close(self.reset_r)
                    self.reset_r = None
                elif why:
                    # machine.reset(): a hard reset. The interpreter stops where it is (killed,
                    # nothing of it runs on), what the host sent it is lost, as a board's UART
                    # loses it, and a fresh one boots into the friendly REPL: boot.py, main.py.
                    self.child.kill()
                    self._reap()
                    self.reboots += 1
                    self.raw = False
                    self.cause = HARD_RESET
                    if self.echo:
                        self._echo(b"[vboard: hard reset]\r\n")
                    to_board = bytearray()
                    held = bytearray()
                    int_held = bytearray()
                    int_until = None
                    self._spawn()
                    tail = b""
                    continue
            if self.master in r:
                try:
                    data = os.read(self.master, 4096)
                except (BlockingIOError, InterruptedError):
                    data = None
                except OSError:
                    data = None  # EIO: no host has the port open; keep serving
                if data:
                    if b"\x02" in data:  # Ctrl-B: back to the friendly REPL
                        self.raw = False
                    if b"\x03" in data and self._running():
                        # Ctrl-C while code runs: a board's UART turns it into
                        # KeyboardInterrupt (and does not pass the byte on); so does this.
                        data = data.replace(b"\x03", b"")
                        self.child.send_signal(signal.SIGINT)
                        int_until = time.monotonic() + _INT_HOLD
                    if self.booting:
                        held += data
                    elif int_until is not None:
                        int_held += data
                    else:
                        to_board += data
            if self.cm in r:
                try:
                    out = os.read(self.cm, 4096)
                except (BlockingIOError, InterruptedError):
                    continue  # spurious wake-up
                except OSError:
                    out = b""
                if not out:
                    # The interpreter exited: that is a soft reset.
                    self._reap()
                    self.reboots += 1
                    self.cause = SOFT_RESET
                    to_host += SOFT_REBOOT
                    if self.echo:
                        self._echo(SOFT_REBOOT)
                    to_board = bytearray()
                    self._spawn()
                    tail = b""
                    if int_until is not None:
                        int_until = time.monotonic() + _INT_HOLD  # for the new REPL's prompt
                    continue
                if self.booting:
                    out = self._boot_output(out)
                    if not self.booting:
                        to_board += held
                        held = bytearray()
                if out:
                    if RAW_MARKER in tail + out:
                        self.raw = True
                    tail = (tail + out)[-len(RAW_MARKER):]
                    if int_until is not None and (tail.endswith(PROMPT) or tail.endswith(b"CTRL-B to exit\r\n>")):
                        to_board += int_held
                        int_held = bytearray()
                        int_until = None
                    to_host += out
                    if self.echo:
                        self._echo(out)
            if self.master in w and to_host:
                try:
                    n = os.write(self.master, to_host)
                    del to_host[:n]
                except (BlockingIOError, InterruptedError):
                    if len(to_host) > _DROP:
                        # Nobody reads the port: drop what waits there and our backlog.
                        termios.tcflush(self._slave, termios.TCIFLUSH)
                        del to_host[: len(to_host) - _DROP // 2]
                except OSError:
                    del to_host[:]
            if self.cm in w and to_board:
                try:
                    n = os.write(self.cm, to_board)
                    del to_board[:n]
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    del to_board[:]

    def _boot_output(self, out):
        # After a reset in raw mode: pass on what boot.py prints, hide the banner and the
        # friendly prompt, enter the raw REPL, and pass on from its marker, as a board does.
        self.bootbuf += out
        if not self.sent_ctrl_a:
            if not self.bootbuf.endswith(PROMPT):
                return b""
            os.write(self.cm, b"\x01")
            self.sent_ctrl_a = True
            i = self.bootbuf.rfind(b"MicroPython ")
            before = self.bootbuf[:i] if i >= 0 else b""
            self.bootbuf = b""
            return before
        i = self.bootbuf.find(RAW_MARKER)
        if i < 0:
            return b""
        self.booting = False
        rest = self.bootbuf[i:]
        self.bootbuf = b""
        return rest

    def _echo(self, data):
        try:
            sys.stdout.buffer.write(data.replace(b"\r\n", b"\n"))
            sys.stdout.buffer.flush()
        except (OSError, ValueError):
            pass

    def close(self):
        if self.child is not None and self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        for fd in (self.master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass


def _kib(size):
    # "38K" -> 38912; "1M" -> 1048576; "4096" -> 4096 (the forms -X heapsize takes).
    size = str(size).strip().upper()
    mult = {"K": 1024, "M": 1024 * 1024}.get(size[-1:], 1)
    return int(size[:-1] if mult != 1 else size) * mult


def net_heap_cost(netdirs, paths=()):
    # Heap bytes that importing every module of net costs on this interpreter (what a
    # firmware with net frozen saves): gc.mem_alloc() after minus before, rounded up to 1 KiB.
    mods = [m[:-3].replace("/", ".").replace(".__init__", "") for m in mpybuild.modules()]
    code = (
        "import gc\ngc.collect()\na=gc.mem_alloc()\n"
        + "".join("import %s\n" % m for m in mods)
        + "gc.collect()\nprint('COST', gc.mem_alloc()-a)\n"
    )
    env = dict(os.environ, MICROPYPATH=":".join(list(paths) + [BOARD, ".frozen"] + list(netdirs)))
    p = subprocess.run([micropython_exe(), "-c", code], capture_output=True, text=True, env=env, cwd="/", timeout=60)
    for ln in p.stdout.splitlines():
        if ln.startswith("COST "):
            return (int(ln.split()[1]) + 1023) // 1024 * 1024
    raise RuntimeError("could not measure net's heap cost:\n" + p.stdout + p.stderr)


def boot_heap_cost(exe):
    # Heap bytes the board's flash mount (board/vboard/_vbfs.py from .mpy) costs on exe, where
    # it is not frozen, measured as net_heap_cost is; frozen on a board (its _boot.py).
    import tempfile

    code = (
        "import gc\ngc.collect()\na=gc.mem_alloc()\nfrom _vbfs import boot\nboot(%r,[])\n"
        "del boot\ngc.collect()\nprint('COST', gc.mem_alloc()-a)\n"
    )
    with tempfile.TemporaryDirectory(prefix="vboard-cost-") as d:
        env = dict(os.environ, MICROPYPATH=vboard_modules())
        p = subprocess.run([exe, "-c", code % d], capture_output=True, text=True, env=env, cwd=d, timeout=60)
    for ln in p.stdout.splitlines():
        if ln.startswith("COST "):
            return (int(ln.split()[1]) + 1023) // 1024 * 1024
    raise RuntimeError("could not measure the flash mount's heap cost:\n" + p.stdout + p.stderr)


def _firmware_note():
    # ", 32-bit" from what tools/firmware.py recorded beside the binary.
    try:
        import json

        with open(FIRMWARE + ".json") as f:
            return ", %s-bit" % json.load(f)["bits"]
    except (OSError, ValueError, KeyError):
        return ""


def install_main(flash, script, args=()):
    # Put script on the flash and a main.py that runs it with sys.argv set, as a board runs
    # main.py after a hard or soft reset into the friendly REPL.
    os.makedirs(flash, exist_ok=True)
    name = os.path.basename(script)
    with open(script, "rb") as f, open(os.path.join(flash, name), "wb") as g:
        g.write(f.read())
    with open(os.path.join(flash, "main.py"), "w") as f:
        f.write("# main.py, written by tools/vboard.py --main: runs %s at boot.\n" % name)
        f.write("import sys\nsys.argv.clear()\nsys.argv.extend(%r)\n" % ([name] + list(args)))
        f.write("exec(open(%r).read(), {'__name__': '__main__'})\n" % name)


def main(argv=None):
    ap = argparse.ArgumentParser(description="a virtual MicroPython board on a pseudo-terminal, for mpremote")
    ap.add_argument("--heap", default="38K", help="the board's heap (default 38K, the ESP8266's), plus net's bytecode unless net is frozen; 0 for the unix port's default")
    ap.add_argument("--heap-exact", action="store_true", help="give the interpreter exactly --heap (net's bytecode included)")
    ap.add_argument("--flash", default=os.path.join(ROOT, "build", "vboard-flash"), help="folder that is the board's flash filesystem (default build/vboard-flash)")
    ap.add_argument("--net", choices=("auto", "frozen", "mpy", "py", "none"), default="auto",
                    help="net frozen in the unix firmware (build/firmware/unix), from the .mpy build, from source, or absent; "
                    "auto (default): frozen, built first where a MicroPython tree is at hand, else mpy")
    ap.add_argument("--path", action="append", default=[], help="folder put in front of sys.path (board personalities); repeatable")
    ap.add_argument("--board", choices=("esp32", "esp8266"), help="board personality: the chip's socket/errno modules (board/<chip>, docs/personalities.md) in front of sys.path")
    ap.add_argument("--link", help="also make FILE a symlink to the pseudo-terminal")
    ap.add_argument("--echo", action="store_true", help="also copy what the board prints to this terminal")
    ap.add_argument("--pidfile", help="write the current interpreter's pid to this file at every (re)start")
    ap.add_argument("--main", metavar="SCRIPT", help="copy SCRIPT to the flash and make main.py run it at boot, as a board does")
    ap.add_argument("--main-arg", action="append", default=[], help="an argument for --main's script (its sys.argv); repeatable")
    a = ap.parse_args(argv)
    heap = None if a.heap in ("0", "") else a.heap
    if a.main:
        install_main(a.flash, a.main, a.main_arg)
    paths = ([os.path.join(BOARD, a.board)] if a.board else []) + a.path
    net = a.net
    if net == "auto":
        net = "frozen" if frozen_firmware() else "mpy"
    vb = VBoard(a.flash, heap=heap, paths=paths, net=net, echo=a.echo)
    vb.pidfile = a.pidfile
    heap_note = heap or "default"
    net_note = net
    if net == "frozen":
        net_note = "frozen in build/firmware/unix%s: no heap for its bytecode, as on a board" % _firmware_note()
    elif heap:
        # Firmware code that is frozen on a board sits in this heap here: add what it costs.
        # The flash mount always (the harness's heap sizes do not count it); net's bytecode
        # unless --heap-exact.
        cost = boot_heap_cost(vb.exe)
        extra = ["%dK for the flash mount" % (cost // 1024)]
        if not a.heap_exact and vb.netdirs:
            ncost = net_heap_cost(vb.netdirs, paths)
            cost += ncost
            extra.insert(0, "%dK for net's bytecode" % (ncost // 1024))
        vb.heap = "%dK" % ((_kib(heap) + cost) // 1024)
        heap_note = "%s = %s + %s (frozen on a board)" % (vb.heap, heap, " + ".join(extra))
    if a.link:
        try:
            os.unlink(a.link)
        except OSError:
            pass
        os.symlink(vb.device, a.link)
    print("vboard: %s (heap %s, flash %s, net %s)" % (vb.device, heap_note, vb.flash, net_note), flush=True)
    print("try:    mpremote connect %s repl" % (a.link or vb.device), flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        vb.serve(until=lambda: stop)
    except KeyboardInterrupt:
        pass
    finally:
        vb.close()
        if a.link:
            try:
                os.unlink(a.link)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
