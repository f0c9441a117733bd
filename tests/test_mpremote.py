# The mpremote workflows of a board user, on the virtual board (tools/vboard.py), asserting
# what the user sees: its "/" is its flash folder and nothing of the host (fs, mip, df, board
# programs), `reset` and `soft-reset` as on a board, `cp app.py :main.py + reset`, and net
# installed as bytecode from the project's mip index (make index) over HTTP into a 38K heap.
# MIT licence, see LICENSE.
import functools
import hashlib
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

import harness
from peers import free_port, http_get
from test_vboard import Pty, mpremote

pytestmark = pytest.mark.timeout(300)
HOST_TMP = "/tmp/vboard-escape-%d" % os.getpid()  # must never appear on the host


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    # A board as `make demo` starts it (net frozen where the firmware builds), its flash folder
    # alone in a folder of its own, so that a file written beside it would show.
    home = tmp_path_factory.mktemp("mpremote")
    p, dev, flash = harness.start_vboard("38K", tag="test-mpremote", net="auto", exact=False, flash=str(home / "flash"))
    p.dev, p.flash, p.home = dev, flash, str(home)
    yield p
    harness.stop_vboard(p)


def wait_for(what, cond, timeout=20):
    end = time.monotonic() + timeout
    while True:
        got = cond()
        if got:
            return got
        if time.monotonic() > end:
            pytest.fail("no %s within %gs" % (what, timeout), pytrace=False)
        time.sleep(0.1)


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def get(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
        return http_get(c)


def connects(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


# --- the flash is "/" ----------------------------------------------------------------------
def test_ls_of_root_shows_the_flash_and_nothing_else(board, tmp_path):
    (tmp_path / "a.py").write_text("A = 1\n")
    mpremote(board.dev, "cp", str(tmp_path / "a.py"), ":/a.py")
    want = sorted(os.listdir(board.flash))
    assert "a.py" in want and "lib" in want
    for path in (":/", ":", ":/.."):
        r = mpremote(board.dev, "fs", "ls", path)
        shown = sorted(ln.split()[-1].rstrip("/") for ln in r.stdout.splitlines()[1:])
        assert shown == want, (path, r.stdout)
    r = mpremote(board.dev, "exec", "import os; print(sorted(os.listdir('/')), os.getcwd())")
    assert r.stdout.strip() == "%s /" % want
    # A file's size, as a board's filesystem gives it.
    assert "           6 a.py" in mpremote(board.dev, "fs", "ls", ":/").stdout
    mpremote(board.dev, "rm", ":/a.py")


def test_paths_outside_the_flash_reach_nothing_of_the_host(board, tmp_path):
    src = tmp_path / "x.py"
    src.write_text("X = 1\n")
    # ".." stops at "/", as on a board: these land in the flash.
    mpremote(board.dev, "cp", str(src), ":/../up1.py", "+", "cp", str(src), ":../../up2.py")
    assert {"up1.py", "up2.py"} <= set(os.listdir(board.flash))
    # The host's folders are not there: no /tmp on the board, nothing written in the host's.
    r = mpremote(board.dev, "cp", str(src), ":" + HOST_TMP, check=False)
    assert r.returncode != 0 and "No such file or directory" in r.stderr, r.stdout + r.stderr
    r = mpremote(board.dev, "mkdir", ":/tmp", "+", "cp", str(src), ":" + HOST_TMP)
    assert not os.path.exists(HOST_TMP)
    assert os.path.exists(os.path.join(board.flash, HOST_TMP[1:]))
    mpremote(board.dev, "rm", "-r", ":/tmp")
    # Nothing appeared beside the flash folder.
    assert sorted(os.listdir(board.home)) == ["flash", "flash.pid"]
    # Reading the host's files, by mpremote and by a board program.
    r = mpremote(board.dev, "cat", ":/etc/passwd", check=False)
    assert r.returncode != 0 and "root:" not in r.stdout
    r = mpremote(board.dev, "cat", ":/../../../etc/passwd", check=False)
    assert r.returncode != 0 and "root:" not in r.stdout
    probe = (
        "import os\n"
        "for p in ('/etc/passwd', '../../../../etc/passwd', '/rom/../../etc/passwd', '%s'):\n"
        "    try:\n"
        "        open(p); print('READ', p)\n"
        "    except OSError as e:\n"
        "        print('ENOENT' if e.errno == 2 else e)\n"
        "os.chdir('/lib'); os.chdir('../..'); print(os.getcwd())\n"
        "try:\n"
        "    open('/rom/new.py', 'w')\n"
        "except OSError as e:\n"
        "    print('ROM', e.errno)\n"
        "print('network.py' in os.listdir('/rom'))\n" % harness.ROOT
    )
    r = mpremote(board.dev, "exec", probe)
    assert r.stdout.split() == ["ENOENT"] * 4 + ["/", "ROM", "30", "True"]
    mpremote(board.dev, "rm", ":up1.py", "+", "rm", ":up2.py")


def test_fs_commands_work_inside_the_flash(board, tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "one.py").write_text("ONE = 1\n")
    (pkg / "sub" / "two.py").write_text("TWO = 2\n")
    (tmp_path / "b.py").write_text("B = 2\n")
    (tmp_path / "c.py").write_text("C = 3\n")
    mpremote(board.dev, "mkdir", ":/data", "+", "cp", "-r", str(pkg), ":/data/", "+",
             "cp", str(tmp_path / "b.py"), str(tmp_path / "c.py"), ":")  # several files to "/"
    assert open(os.path.join(board.flash, "data", "pkg", "sub", "two.py")).read() == "TWO = 2\n"
    assert {"b.py", "c.py"} <= set(os.listdir(board.flash))
    tree = mpremote(board.dev, "tree", ":/data").stdout
    assert tree.splitlines()[1:] == [":/data", "└── pkg", "    ├── one.py", "    └── sub", "        └── two.py"]
    assert mpremote(board.dev, "cat", ":/data/pkg/sub/two.py").stdout == "TWO = 2\n"
    assert mpremote(board.dev, "exec", "import b, c; print(b.B + c.C)").stdout.strip() == "5"
    mpremote(board.dev, "rm", "-r", ":/data", "+", "rm", ":b.py", "+", "rm", ":c.py")
    assert not os.path.exists(os.path.join(board.flash, "data"))
    # df: one filesystem, mounted on "/".
    lines = mpremote(board.dev, "df").stdout.splitlines()
    assert lines[0].split() == ["filesystem", "size", "used", "avail", "use%", "mounted", "on"]
    assert len(lines) == 2 and lines[1].startswith("<VfsFlash>") and lines[1].endswith(" /")


def test_mip_install_default_target_and_target(board):
    pkg = os.path.join(harness.ROOT, "package.json")
    with open(pkg) as f:
        want = sorted(dest for dest, _ in json.load(f)["urls"])
    mpremote(board.dev, "mip", "install", pkg, timeout=120)
    mpremote(board.dev, "mip", "install", "--target", "/apps", pkg, timeout=120)
    for target in ("lib", "apps"):
        got = sorted("net/" + f for f in os.listdir(os.path.join(board.flash, target, "net")))
        assert got == want, target
    assert not os.path.exists("/apps/net") and sorted(os.listdir(board.home)) == ["flash", "flash.pid"]
    mpremote(board.dev, "rm", "-r", ":/apps", "+", "rm", "-r", ":/lib/net")


# --- resets ------------------------------------------------------------------------------
BOOT_PY = "open('/log.txt', 'a').write('boot\\n')\n"
MAIN_PY = "import machine\nopen('/log.txt', 'a').write('main %d\\n' % machine.reset_cause())\n"


def test_reset_and_soft_reset_as_on_a_board(board, tmp_path):
    (tmp_path / "boot.py").write_text(BOOT_PY)
    (tmp_path / "main.py").write_text(MAIN_PY)
    log = os.path.join(board.flash, "log.txt")
    mpremote(board.dev, "cp", str(tmp_path / "boot.py"), ":boot.py", "+", "cp", str(tmp_path / "main.py"), ":main.py")
    # `mpremote reset`: the session's soft reset into the raw REPL (boot.py only), then
    # machine.reset(): a fresh interpreter, boot.py then main.py, and machine.reset_cause()
    # says hard reset (2), as on an ESP32.
    mpremote(board.dev, "reset")
    wait_for("main.py after reset", lambda: read(log).endswith("main 2\n"))
    assert read(log) == "boot\nboot\nmain 2\n"
    # `mpremote soft-reset`: soft reset into the raw REPL, where a board runs boot.py only.
    os.unlink(log)
    mpremote(board.dev, "soft-reset")
    assert read(log) == "boot\n"
    # Ctrl-D at the friendly REPL (what `mpremote repl` passes on): boot.py, then main.py,
    # machine.reset_cause() a soft reset (5).
    os.unlink(log)
    t = Pty(board.dev)
    try:
        t.talk(b"\r\x03\x03\r\x02", b">>> ")  # to the friendly REPL
        t.drain()
        t.talk(b"\x04", b"for more information.\r\n>>> ")
    finally:
        t.close()
    assert read(log) == "boot\nmain 5\n"
    # State: a soft reset keeps the files, not the program's variables.
    r = mpremote(board.dev, "exec", "x = 1; open('keep.txt', 'w').write('kept')", "+", "soft-reset", "+",
                 "exec", "print(open('keep.txt').read(), 'x' in globals())")
    assert r.stdout.strip() == "kept False"
    mpremote(board.dev, "rm", ":boot.py", "+", "rm", ":main.py", "+", "rm", ":log.txt", "+", "rm", ":keep.txt")


def test_cp_app_to_main_py_and_reset_starts_the_new_program(board, tmp_path):
    port = free_port("127.0.0.1")
    app = tmp_path / "app.py"
    app.write_text(
        "import net\n"
        "def on_connection(c):\n"
        "    c.on('receive', lambda s, d: s.send('HTTP/1.0 200 OK\\r\\n\\r\\nnew app\\n'))\n"
        "    c.on('sent', lambda s: s.close())\n"
        "net.createServer(net.TCP, 30).listen(%d, '127.0.0.1', on_connection)\n"
        "net.run()\n" % port
    )
    mpremote(board.dev, "cp", str(app), ":main.py", "+", "reset")
    wait_for("the new main.py listening on %d" % port, lambda: connects(port))
    assert get(port) == b"HTTP/1.0 200 OK\r\n\r\nnew app\n"
    # The next mpremote session interrupts main.py, as on a board; with main.py gone, a
    # reset leaves the board at its REPL.
    mpremote(board.dev, "rm", ":main.py", "+", "reset")
    assert not connects(port)
    assert mpremote(board.dev, "exec", "print('back')").stdout.strip() == "back"


# --- the mip index -----------------------------------------------------------------------
def build_index(out):
    r = subprocess.run([sys.executable, os.path.join(harness.ROOT, "tools", "mipindex.py"), "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def test_make_index_writes_micropython_libs_layout(tmp_path):
    import mpybuild

    out = tmp_path / "index"
    assert "net %s, %d modules as .mpy v6" % (mpybuild.net_version(), len(mpybuild.modules())) in build_index(out)
    index = json.loads((out / "index.json").read_text())
    assert index["v"] == 2 and [p["name"] for p in index["packages"]] == ["net"]
    entry = index["packages"][0]
    assert entry["versions"] == {"py": [mpybuild.net_version()], "6": [mpybuild.net_version()]}
    for v, ext in (("6", ".mpy"), ("py", ".py")):
        latest = json.loads((out / "package" / v / "net" / "latest.json").read_text())
        assert latest == json.loads((out / "package" / v / "net" / (mpybuild.net_version() + ".json")).read_text())
        assert [t for t, _ in latest["hashes"]] == [m[:-3] + ext for m in mpybuild.modules()]
        for target, h in latest["hashes"]:
            data = (out / "file" / h[:2] / h).read_bytes()
            assert hashlib.sha256(data).hexdigest()[:8] == h
            if ext == ".mpy":
                assert data[:2] == b"M\x06", target  # .mpy v6 bytecode: MicroPython 1.20 and later


@pytest.fixture
def index_url(tmp_path):
    # The index served over HTTP on loopback, on a port the OS chooses.
    out = tmp_path / "index"
    build_index(out)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield "http://127.0.0.1:%d" % srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def test_net_installs_as_bytecode_from_the_index_and_serves_in_38k(index_url, tmp_path):
    import mpybuild

    # An ESP8266's 38K heap on the 32-bit unix firmware, as a board. It has net frozen in, so
    # the server below puts /lib before .frozen on its path to run the installed bytecode (a
    # stock board has no other). Without a MicroPython tree to build it: the 64-bit unix port
    # from PyPI, no net, with twice the heap, as the frozen target gives a 64-bit build.
    kind, _ = harness.firmware_build()
    frozen = kind == "ok"
    p, dev, flash = harness.start_vboard("38K" if frozen else "76K", tag="test-index", net="frozen" if frozen else "none", exact=False)
    try:
        want = sorted(os.path.basename(m)[:-3] + ".mpy" for m in mpybuild.modules())
        # mpremote on the host fetches the files and writes them to the board.
        r = mpremote(dev, "mip", "install", "--index", index_url, "net", timeout=120)
        assert "Installing net (latest) from %s to /lib" % index_url in r.stdout
        assert sorted(os.listdir(os.path.join(flash, "lib", "net"))) == want
        mpremote(dev, "rm", "-r", ":/lib/net")
        # The board's own mip fetches them itself, within its 38K heap.
        r = mpremote(dev, "exec", "import gc; gc.collect(); print('FREE', gc.mem_free()); "
                     "import mip; mip.install('net', index=%r)" % index_url, timeout=120)
        assert r.stdout.splitlines()[-1] == "Done", r.stdout
        assert int(r.stdout.split()[1]) <= (38 if frozen else 76) * 1024
        assert sorted(os.listdir(os.path.join(flash, "lib", "net"))) == want
        # A net server started from the installed bytecode answers.
        port = free_port("127.0.0.1")
        server = tmp_path / "server.py"
        server.write_text(
            ("import sys\nsys.path.remove('/lib')\nsys.path.insert(sys.path.index('.frozen'), '/lib')\n" if frozen else "")
            + "import net\n"
            "print('NET', net.__file__)\n"
            "def on_connection(c):\n"
            "    c.on('receive', lambda s, d: s.send('HTTP/1.0 200 OK\\r\\n\\r\\nfrom the index\\n'))\n"
            "    c.on('sent', lambda s: s.close())\n"
            "net.createServer(net.TCP, 30).listen(%d, '127.0.0.1', on_connection)\n"
            "print('LISTENING')\n"
            "net.run()\n" % port
        )
        run = subprocess.Popen([harness.BIN + "/mpremote", "connect", dev, "run", str(server)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert run.stdout.readline().strip() == "NET /lib/net/__init__.mpy"
            assert run.stdout.readline().strip() == "LISTENING"
            assert get(port) == b"HTTP/1.0 200 OK\r\n\r\nfrom the index\n"
        finally:
            run.kill()
            run.wait()
    finally:
        harness.stop_vboard(p)
