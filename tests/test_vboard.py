# The virtual board (tools/vboard.py) as a user meets it: the real `mpremote` command line
# against a pseudo-terminal, as against a board on USB. Soft reset, Ctrl-C, raw paste, the
# flash filesystem, main.py at boot, a net server answering the host, `mip install` from
# package.json and `make deploy` onto a blank board. MIT licence, see LICENSE.
import os
import select
import socket
import subprocess
import time
import tty

import pytest

import harness
from peers import connect_when_listening, free_port, http_get

MPREMOTE = os.path.join(harness.BIN, "mpremote")


def mpremote(dev, *args, timeout=60, check=True):
    r = subprocess.run([MPREMOTE, "connect", dev] + list(args), capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        pytest.fail("mpremote %s failed (%d):\n%s%s" % (" ".join(args), r.returncode, r.stdout, r.stderr), pytrace=False)
    return r


@pytest.fixture(scope="module")
def board():
    # A board as `python tools/vboard.py --net mpy` starts it: the ESP8266's 38K heap (plus
    # net's bytecode, frozen on a board), net from the .mpy build on the pip unix port.
    p, dev, flash = harness.start_vboard("38K", tag="test-vboard", exact=False)
    p.dev, p.flash = dev, flash
    yield p
    harness.stop_vboard(p)


@pytest.fixture
def blank_board():
    # A board with stock firmware: no net frozen in, the unix port's default heap.
    p, dev, flash = harness.start_vboard(None, tag="test-blank", net="none")
    p.dev, p.flash = dev, flash
    yield p
    harness.stop_vboard(p)


class Pty:
    # The board's port opened by hand, to see the bytes a board sends (mpremote hides them).
    def __init__(self, dev):
        self.fd = os.open(dev, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)

    def talk(self, data, until, timeout=15):
        os.write(self.fd, data)
        got = b""
        end = time.monotonic() + timeout
        while until not in got:
            left = end - time.monotonic()
            if left <= 0:
                pytest.fail("no %r from the board within %gs; got %r" % (until, timeout, got), pytrace=False)
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                got += os.read(self.fd, 4096)
        return got

    def drain(self, quiet=0.3, timeout=5):
        # Read until the board has been silent for `quiet` seconds: the interrupt sequences
        # above make it print several prompts, and a later talk() must not stop at a stale one.
        got = b""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            r, _, _ = select.select([self.fd], [], [], quiet)
            if not r:
                break
            got += os.read(self.fd, 4096)
        return got

    def close(self):
        os.close(self.fd)


def test_mpremote_exec_imports_net(board):
    r = mpremote(board.dev, "exec", "import net; print(net)")
    # net's .mpy files are the board's firmware here, read-only under /rom.
    assert r.stdout.strip() == "<module 'net' from '/rom/net/__init__.mpy'>"
    # The heap is the ESP8266's 38K plus what net's bytecode and the flash mount cost here
    # (both frozen on a board).
    assert "= 38K + " in board.banner and "K for the flash mount (frozen on a board)" in board.banner
    r = mpremote(board.dev, "exec", "import gc, net, net._srv, net._sock; gc.collect(); print(gc.mem_free() + gc.mem_alloc())")
    heap = int(r.stdout.split()[-1])
    cost = int(board.banner.split("= 38K + ")[1].split("K")[0])
    mount = int(board.banner.split("for net's bytecode + ")[1].split("K")[0])
    assert abs(heap - (38 + cost + mount) * 1024) < 2048, (heap, board.banner)
    harness.FIGURES.append("vboard --heap 38K: the interpreter gets %dK; importing all of net from .mpy costs %dK of heap on the 64-bit unix port, the flash mount %dK (nothing on a board, where both are frozen)" % (38 + cost + mount, cost, mount))


def test_with_the_firmware_built_net_is_frozen_and_the_heap_is_the_boards():
    # `python tools/vboard.py` (--net auto, as `make demo`): net frozen in build/firmware/unix,
    # built first from the MicroPython tree at hand; the 38K heap is all the program's.
    kind, what = harness.firmware_build()
    if kind == "skip":
        pytest.skip(what)
    p, dev, flash = harness.start_vboard("38K", tag="test-frozen", net="auto", exact=False)
    try:
        assert "net frozen in build/firmware/unix, %d-bit: no heap for its bytecode" % what["bits"] in p.banner
        assert "heap 38K," in p.banner and not p.notes
        r = mpremote(dev, "exec", "import net; print(net.__file__)")
        assert r.stdout.strip() == "net/__init__.py"  # a frozen module's name, not a file on the host
        r = mpremote(dev, "exec", "import gc, net, net._srv, net._sock; gc.collect(); print(gc.mem_free() + gc.mem_alloc(), gc.mem_free())")
        heap, free = map(int, r.stdout.split())
        assert 36 * 1024 < heap <= 38 * 1024, p.banner
        harness.FIGURES.append("vboard with the frozen firmware: %d bytes of heap, %d free after importing net, net._srv and net._sock" % (heap, free))
    finally:
        harness.stop_vboard(p)


def test_tcp_server_started_through_mpremote_answers_the_host(board):
    port = free_port("127.0.0.1")
    server = (
        "import net\n"
        "def on_conn(c):\n"
        "    c.on('receive', lambda s, d: s.send(b'board got ' + d))\n"
        "srv = net.createServer(net.TCP, 30).listen(%d, '127.0.0.1', on_conn)\n"
        "print('LISTENING', srv.getaddr()[0])\n"
        "net.run()\n" % port
    )
    path = os.path.join(board.flash, "..", "vb_server_%d.py" % os.getpid())
    with open(path, "w") as f:
        f.write(server)
    p = subprocess.Popen([MPREMOTE, "connect", board.dev, "run", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert p.stdout.readline().decode().strip() == "LISTENING %d" % port
        with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
            c.sendall(b"hello")
            assert c.recv(100) == b"board got hello"
    finally:
        p.kill()
        p.wait()
        os.unlink(path)
    # The server still runs on the board (mpremote only stopped following it), as on a board;
    # the next mpremote interrupts it and soft-resets, and the port is free again.
    r = mpremote(board.dev, "exec", "print('after')")
    assert r.stdout.strip() == "after"
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_soft_reset_between_mpremote_sessions(board):
    mpremote(board.dev, "exec", "x = 42")
    r = mpremote(board.dev, "exec", "print(x)", check=False)
    assert r.returncode == 1 and "NameError: name 'x' isn't defined" in r.stdout
    # `resume` skips the soft reset, as on a board.
    mpremote(board.dev, "exec", "y = 7")
    assert mpremote(board.dev, "resume", "exec", "print(y)").stdout.strip() == "7"


def test_what_the_board_prints_on_reset_ctrl_c_and_raw_paste(board):
    t = Pty(board.dev)
    try:
        t.talk(b"\r\x03\x03\r\x02", b">>> ")  # interrupt, friendly REPL
        t.drain()
        # Ctrl-D at the friendly prompt: soft reset with the banner, as a board prints it.
        out = t.talk(b"\x04", b'for more information.\r\n>>> ')
        assert b"MPY: soft reboot\r\n" in out and b"\r\nMicroPython " in out and b'Type "help()" for more information.\r\n' in out
        # Raw REPL, then Ctrl-D: a soft reset that comes back to the raw REPL.
        assert t.talk(b"\x01", b"raw REPL; CTRL-B to exit\r\n>").endswith(b"raw REPL; CTRL-B to exit\r\n>")
        out = t.talk(b"\x04", b"raw REPL; CTRL-B to exit\r\n>")
        assert out == b"OK\r\nMPY: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>"
        # Raw paste: the board offers it ("R\x01", its window size, a first window).
        out = t.talk(b"\x05A\x01", b"R\x01")
        out += t.talk(b"", b"\x01", timeout=5) if len(out) < 5 else b""
        assert out[:2] == b"R\x01" and len(out) == 5 and out[4:] == b"\x01", out
        out = t.talk(b"print(6 * 7)\x04", b"\x04>")
        assert b"42" in out
        # Ctrl-C while code runs: KeyboardInterrupt, and the board is still there.
        t.talk(b"\x05A\x01", b"\x01")
        out = t.talk(b"import time\nprint('loop')\nwhile True: time.sleep_ms(10)\n\x04", b"loop")
        out = t.talk(b"\x03", b"\x04>")
        assert b"KeyboardInterrupt" in out
        # SystemExit is a soft reset too.
        t.talk(b"\x05A\x01", b"\x01")
        out = t.talk(b"import sys; sys.exit()\x04", b"raw REPL; CTRL-B to exit\r\n>")
        assert b"MPY: soft reboot\r\n" in out
        t.talk(b"\r\x02", b">>> ")
    finally:
        t.close()


def test_flash_filesystem_and_main_py_at_boot(board, tmp_path):
    src = tmp_path / "greet.py"
    src.write_text("print('greetings from', __name__)\n")
    mpremote(board.dev, "fs", "cp", str(src), ":greet.py")
    assert (open(os.path.join(board.flash, "greet.py")).read()) == src.read_text()
    assert "greet.py" in mpremote(board.dev, "fs", "ls").stdout
    assert mpremote(board.dev, "fs", "cat", ":greet.py").stdout == src.read_text()
    assert mpremote(board.dev, "exec", "import greet").stdout.strip() == "greetings from greet"
    # main.py runs after a soft reset into the friendly REPL (not into the raw REPL), as on a
    # board; boot.py runs after every reset.
    (tmp_path / "main.py").write_text("print('MAIN RAN')\n")
    (tmp_path / "boot.py").write_text("print('BOOT RAN')\n")
    mpremote(board.dev, "fs", "cp", str(tmp_path / "main.py"), ":main.py", "+", "fs", "cp", str(tmp_path / "boot.py"), ":boot.py")
    t = Pty(board.dev)
    try:
        t.talk(b"\r\x03\x03\r\x02", b">>> ")
        t.drain()
        out = t.talk(b"\x04", b'for more information.\r\n>>> ')
        assert out.index(b"MPY: soft reboot") < out.index(b"BOOT RAN") < out.index(b"MAIN RAN") < out.index(b"MicroPython ")
        out = t.talk(b"\x01", b">")
        out = t.talk(b"\x04", b"raw REPL; CTRL-B to exit\r\n>")
        assert b"BOOT RAN" in out and b"MAIN RAN" not in out
        t.talk(b"\r\x02", b">>> ")
    finally:
        t.close()
    mpremote(board.dev, "fs", "rm", ":main.py", "+", "fs", "rm", ":boot.py", "+", "fs", "rm", ":greet.py")
    assert not os.path.exists(os.path.join(board.flash, "main.py"))


def test_demo_board_serves_main_py_and_mpremote_stops_it(tmp_path):
    # What `make demo` starts: examples/hello_server.py as main.py (net frozen where the
    # firmware can be built, else from .mpy); curl gets the page.
    port = free_port("127.0.0.1")
    p, dev, flash = harness.start_vboard(
        "38K", tag="test-demo", exact=False, net="auto",
        extra=["--main", os.path.join(harness.ROOT, "examples", "hello_server.py"), "--main-arg", str(port)],
    )
    try:
        with connect_when_listening(port, ip="127.0.0.1", timeout=30, what="the demo board") as c:
            got = http_get(c)
        assert got == b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<h1> Hello, NodeMCU.</h1>"
        # mpremote interrupts main.py (Ctrl-C) and soft-resets into the raw REPL: no main.py.
        assert mpremote(dev, "exec", "print('stopped')").stdout.strip() == "stopped"
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        harness.stop_vboard(p)


def test_mip_install_from_package_json(blank_board):
    # A board without net: `mpremote mip install` with this checkout's package.json puts every
    # module into the board's lib folder, where import finds it.
    assert mpremote(blank_board.dev, "exec", "import net", check=False).returncode == 1
    r = mpremote(blank_board.dev, "mip", "install", os.path.join(harness.ROOT, "package.json"), timeout=120)
    installed = sorted("net/" + f for f in os.listdir(os.path.join(blank_board.flash, "lib", "net")))
    import json

    # What package.json lists (that it lists every module is test_firmware's business).
    with open(os.path.join(harness.ROOT, "package.json")) as f:
        assert installed == sorted(dest for dest, _ in json.load(f)["urls"]), r.stdout
    r = mpremote(blank_board.dev, "exec", "import net; print(net.__file__, net.TCP)")
    assert r.stdout.strip() == "/lib/net/__init__.py 1"


def test_make_deploy_onto_a_blank_board(blank_board):
    r = subprocess.run(["make", "-s", "--no-print-directory", "-o", "venv", "deploy", "PORT=%s" % blank_board.dev],
                       cwd=harness.ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "net 0.1.0 deployed" in r.stdout
    import mpybuild

    on_board = sorted(os.listdir(os.path.join(blank_board.flash, "net")))
    assert on_board == sorted(os.path.basename(m)[:-3] + ".mpy" for m in mpybuild.modules())
    # Deploying again replaces the old copy (no stale module stays).
    open(os.path.join(blank_board.flash, "net", "_stale.mpy"), "wb").close()
    r = subprocess.run(["make", "-s", "--no-print-directory", "-o", "venv", "deploy", "PORT=%s" % blank_board.dev],
                       cwd=harness.ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "_stale.mpy" not in os.listdir(os.path.join(blank_board.flash, "net"))
    r = mpremote(blank_board.dev, "exec", "import net; print(net.__file__)")
    assert r.stdout.strip() == "net/__init__.mpy"


def test_scenarios_on_the_vboard_target_know_the_boards_interpreter(request):
    # run(...) on the vboard target goes through mpremote's transport (tools/mprun.py) with
    # the scenario's stdin forwarded; board_pid is the board's interpreter (for prlimit).
    t = harness.TARGETS["vboard"]
    t.setup()
    r = harness.Runner(t, request)
    try:
        s = r("vboard_args_stdin", "a", 2)
        assert s.expect("ARGS") == "['a', '2']"
        s.send("typed on the UART\n")
        assert s.expect("ECHO") == "typed on the UART"
        s.wait()
        with open("/proc/%d/cmdline" % s.board_pid, "rb") as f:
            exe = f.read().split(b"\0")[0].decode()
        # The firmware with net frozen in where it could be built, else the pip unix port.
        assert exe == harness.FIRMWARE if t.net == "frozen" else os.path.basename(exe) == "micropython"
        assert os.readlink("/proc/%d/cwd" % s.board_pid) == t.boards["0"][2]
    finally:
        r.close()


def _pytest(*args):
    return subprocess.run([os.path.join(harness.BIN, "pytest"), "-p", "no:cacheprovider", "-q", "-rs"] + list(args),
                          cwd=harness.ROOT, capture_output=True, text=True, timeout=600)


def test_device_target_is_skipped_with_the_reason_without_a_port():
    env_port = os.environ.pop("NET_PORT", None)
    try:
        r = _pytest("--targets", "device", "tests/test_loop.py", "-k", "echo_and_stop")
    finally:
        if env_port is not None:
            os.environ["NET_PORT"] = env_port
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 skipped" in r.stdout
    assert "no real board: give its serial port with --port /dev/ttyUSB0" in r.stdout


def test_device_target_runs_the_suite_on_a_board_given_by_port():
    # The `device` target as with a real board, on a virtual one given by --port: helpers
    # copied to its flash with mpremote, scenarios run through mpremote's transport.
    p, dev, flash = harness.start_vboard(None, tag="test-device")
    try:
        r = _pytest("--targets", "device", "--port", dev, "tests/test_loop.py", "-k", "echo_and_stop or raising_callback")
        assert r.returncode == 0, r.stdout + r.stderr
        assert "3 passed" in r.stdout
        assert os.path.exists(os.path.join(flash, "scen.py"))
    finally:
        harness.stop_vboard(p)
