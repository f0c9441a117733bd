# tests/harness.py - targets and scenario processes for the test suite.
# MIT licence, see LICENSE.
#
# A test is written once and runs on every target (conftest.py parametrizes `target`). The
# code under test runs on the target as a scenario script (tests/scenarios/*.py, or source
# text); the pytest process is the network peer. A scenario reports what the user would see
# as lines on stdout ("PORT 49731", "RECV b'hi'"); the test reads them in order with
# expect(). Whatever the target prints, tracebacks included, goes into the failure message.
import os
import queue
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

    # The errno numbers of this target's runtime, where they differ from the host's (a board
    # personality's board/<chip>/errno.py); tests compare with target.errno("EALREADY").
    errnos = None

    def errno(self, name):
        if self.errnos and name in self.errnos:
            return self.errnos[name]
        import errno as _errno

        return getattr(_errno, name)

    @property
    def micropython(self):
        return self.kind == "micropython"

    def path(self, script_dir):
        return [script_dir, self.netpath] + self.boardpath

    def argv(self, script, args, heap=None):
        if self.micropython:
            a = [micropython_exe()]
            if heap:
                a += ["-X", "heapsize=%s" % heap]
            return a + [script] + list(args)
        return [sys.executable, "-u", script] + list(args)

    def env(self, script_dir, extra=None):
        env = dict(os.environ)
        p = self.path(script_dir)
        if self.micropython:
            env["MICROPYPATH"] = ":".join(p + [".frozen"])
        else:
            env["PYTHONPATH"] = ":".join(p)
        env.update(self.extra_env)
        if extra:
            env.update(extra)
        return env


TARGETS = {
    "cpython": Target("cpython", "cpython"),
    "micropython": Target("micropython", "micropython"),
}

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


class Scenario:
    # A scenario process on a target, its output read line by line in the background.
    def __init__(self, target, script, args=(), heap=None, env=None, name=None):
        self.target = target
        self.name = name or os.path.basename(script)
        sdir = os.path.dirname(script)
        self.argv = target.argv(script, [str(a) for a in args], heap)
        self.p = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=target.env(sdir, env),
            cwd=sdir,
        )
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
        self._tmp = []
        request.node._scenarios = self.started

    def __call__(self, script, *args, heap=None, env=None):
        # script: a name under tests/scenarios ("echo" or "echo.py"), or a path.
        if not os.path.isabs(script):
            if not script.endswith(".py"):
                script += ".py"
            script = os.path.join(SCENARIOS, script)
        s = Scenario(self.target, script, args, heap=heap, env=env)
        self.started.append(s)
        return s

    def code(self, source, *args, heap=None, env=None):
        # Run source text as a scenario (written next to the scenarios, so scen.py imports).
        fd, path = tempfile.mkstemp(prefix="_inline_", suffix=".py", dir=SCENARIOS)
        with os.fdopen(fd, "w") as f:
            f.write(source)
        self._tmp.append(path)
        s = self(path, *args, heap=heap, env=env)
        s.name = "inline scenario"
        return s

    def close(self):
        for s in self.started:
            s.kill()
        for p in self._tmp:
            try:
                os.unlink(p)
            except OSError:
                pass
