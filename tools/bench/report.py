# tools/bench/report.py - turns build/bench/results.json into docs/benchmarks.md and the plot.
# MIT licence, see LICENSE.
#
# Called by run.py at the end of a run; also on its own to redo the page from the last results:
#   python tools/bench/report.py [build/bench/results.json] [docs]
# The hand-written part of the page (what the figures mean, where net's time and bytes go) is
# tools/bench/notes.md, copied in below the generated tables.
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# figure key, title, unit, higher is better, target ratio net/asyncio (None: no target)
FIGURES = (
    ("pingpong", "ping-pong, 50 connections", "round trips/s", True, 2.0),
    ("pingpong_cpu", "ping-pong, per server CPU-second", "round trips/CPU-s", True, 2.0),
    ("short", "short connections", "connections/s", True, 1.3),
    ("short_cpu", "short connections, per server CPU-second", "connections/CPU-s", True, 1.3),
    ("bulk", "bulk echo, 1 connection", "MB/s", True, 1.0),
    ("bulk_cpu", "bulk echo, per server CPU-second", "MB/CPU-s", True, 1.0),
    ("pingpong_b", "ping-pong, board-sized heap", "round trips/s", True, 2.0),
    ("pingpong_cpu_b", "ping-pong, board-sized heap, per CPU-second", "round trips/CPU-s", True, 2.0),
    ("short_b", "short connections, board-sized heap", "connections/s", True, 1.3),
    ("short_cpu_b", "short connections, board-sized heap, per CPU-second", "connections/CPU-s", True, 1.3),
    ("bulk_b", "bulk echo, board-sized heap", "MB/s", True, 1.0),
    ("bulk_cpu_b", "bulk echo, board-sized heap, per CPU-second", "MB/CPU-s", True, 1.0),
    ("idle", "heap per idle connection", "bytes", False, 0.35),
    ("held", "idle connections in a 38 KB heap", "connections", True, 3.0),
    ("permsg", "heap allocated per echoed message", "bytes", False, None),
)


def fmt(v, key=None):
    if v is None:
        return "n/a"
    if isinstance(v, float):
        if key and key.startswith("bulk"):
            return "%.1f" % v
        return "%.0f" % v
    return str(v)


# A load client that used this much of a core or more was the bottleneck of its run: the rate
# it saw is what the client could do, a lower bound of the server's.
CLIENT_BOUND = 0.9
# A server that used less than this much of a core over a wall-clock figure was not its
# bottleneck: it waited for the client or the kernel's loopback work, and could have gone
# faster. A rate ratio compares the servers only where both were saturated.
SERVER_BOUND = 0.9


def ratio(s, key, base="asyncio", paired=None):
    # net / base. Against asyncio: the median of the repetitions' own ratios where the run
    # has them (run.py says why), else the ratio of the medians.
    if base == "asyncio" and paired and key in paired:
        return paired[key]["median"]
    a = s.get("net", {}).get(key)
    b = s.get(base, {}).get(key)
    if a is None or not b:
        return None
    return a / b


def client_share(srv, key, who="client"):
    # The load client's CPU share during a wall-clock figure (who="server": the server's own
    # share), None for CPU and heap figures.
    if "_cpu" in key or not key.startswith(("pingpong", "short", "bulk")):
        return None
    base, _, b = key.partition("_")
    return srv.get(base + "_" + who + ("_b" if b == "b" else ""))


def verdict(r, higher, target, client=None, servers=None):
    # servers: [(name, share of a core)] of the two servers a wall-clock ratio compares. Where
    # either one was not saturated the rate was not that server's: the ratio then judges
    # nothing either way (met or not), and the per CPU-second figure is the one that can.
    if r is None or target is None:
        return ""
    low = [(n, v) for n, v in servers or () if v is not None and v < SERVER_BOUND]
    if low:
        return "not judged: %s used only %s of a core, so the rate was not the server's (see per CPU-second)" % (
            " and ".join("%s's server" % n for n, _ in low), " and ".join("%.0f%%" % (100 * v) for _, v in low))
    ok = r >= target if higher else r <= target
    if ok:
        return "met"
    if client is not None and client >= CLIENT_BOUND:
        # The client, not net, set net's rate: the ratio is a lower bound and says nothing
        # about the target either way. The per CPU-second figure is the one that can.
        return "client-bound (load client at %.0f%% of a core): not judged by this figure" % (100 * client)
    return "**missed**"


def fmt_share(v):
    return "n/a" if v is None else "%.2f" % v


def lock_summary(net):
    runs = net.get("lock") or []
    if not runs:
        return "not measured"
    ok = sum(1 for ln in runs if ln.split()[0] == "yes")
    w = runs[0].split()
    # "yes TURNS DELTA CONNS TIMERS"
    return "%d of %d runs: %s turns with the heap locked, %s bytes allocated, with %s connections open and %s timers pending" % (
        ok, len(runs), w[1], w[2], w[3], w[4]) if len(w) >= 5 else runs[0]


# Figure 7's judged bounds (issue #17): a listening server holds at most what asyncio's does, and
# an idle connection at most IDLE_MAX bytes, on the 32-bit frozen firmware in a 38 KB heap.
IDLE_MAX = 100


def board_rows(b):
    # The board figures' rows of the targets table: judged ones, then the ones shown for scale.
    if not b:
        return []
    net, aio = b["net"], b["asyncio"]
    bits = "%s-bit" % b["bits"] if b.get("bits") else "unix"

    def row(title, n, a, target, ok):
        r = "%.2fx" % (n / a) if a else "n/a"
        return "| %s | %s | %s | %s | %s | %s |" % (title, fmt(n), fmt(a), r, target, "met" if ok else "**missed**")

    def shown(title, n, a):
        return "| %s | %s | %s | %s | (shown, not judged) | |" % (
            title, fmt(n), "n/a" if a is None else fmt(a), "%.2fx" % (n / a) if a else "n/a")

    return [
        row("board: a listening TCP server, before its first connection (bytes; %s firmware, frozen, %s heap)" % (bits, b["heap"]),
            net["listen"], aio["listen"], "<= 1.00x", net["listen"] <= aio["listen"]),
        row("board: heap per idle connection (bytes)", net["idle"], aio["idle"], "<= %d bytes" % IDLE_MAX, net["idle"] <= IDLE_MAX),
        shown("board: what the first connection leaves behind (bytes)", net["first"], aio["first"]),
        shown("board: a listening UDP socket, import included (bytes; asyncio has no UDP)", net["udp"], None),
        shown("board: net and net.dns imported (bytes; asyncio's getaddrinfo blocks)", net["dns_loaded"], None),
        shown("board: one DNS lookup in flight (bytes)", net["dns_inflight"], None),
    ]


def write(res, outdir):
    os.makedirs(outdir, exist_ok=True)
    s = res["servers"]
    names = list(s)
    m = res["machine"]
    a = res["args"]
    L = []
    L.append("# Benchmarks: net against asyncio streams, a raw loop and Node.js")
    L.append("")
    L.append("Generated by `make bench` (tools/bench/run.py); do not edit by hand: the text below the")
    L.append("tables comes from tools/bench/notes.md. Every server ran in the same run, %d repetitions;" % a["reps"])
    L.append("each figure is the median. For the load figures (1-3) all servers run at once and each figure")
    L.append("is taken on each server in turn, net and asyncio side by side, which of the two first")
    pw = a.get("pair_windows", 1)
    if pw > 1:
        L.append("alternating from one repetition to the next; for the ping-pong and short connections net and")
        L.append("asyncio take %d windows each per repetition (A B B A ...), pooled. Ratios are to MicroPython's" % pw)
        L.append("own asyncio streams:")
    else:
        L.append("alternating from one repetition to the next. Ratios are to MicroPython's own asyncio streams:")
    L.append("the median of the repetitions' own ratios (net's figure over asyncio's taken seconds before")
    L.append("or after it), so that a machine that speeds up or slows down moves both sides of each ratio.")
    L.append("")
    L.append("Machine: %s, %s cores (shared with other work while this ran: load average %s at the start), Linux %s; "
             "%s; Node.js %s. Run of %s, %d s in all." % (
                 m["cpu"], m["cores"], " ".join(m["loadavg"] or ["?"]), m["kernel"], m["micropython"],
                 m["node"] or "absent", m["date"], res["seconds"]))
    if m.get("net"):
        L.append("")
        L.append("net measured: commit %s." % m["net"])
    for n in res.get("notes", []):
        L.append("")
        L.append(n)
    L.append("")
    L.append("## Against the targets (net / asyncio)")
    L.append("")
    L.append("| figure | net | asyncio | ratio | target | |")
    L.append("| --- | ---: | ---: | ---: | --- | --- |")
    paired = res.get("ratios")
    for key, title, unit, higher, target in FIGURES:
        r = ratio(s, key, paired=paired)
        if key == "permsg":
            rr = ratio(s, key, "raw")
            L.append("| %s (%s) | %s | %s | %s | at most one allocation: net <= raw loop's one `recv()` bytes (%s) | %s |" % (
                title, unit, fmt(s.get("net", {}).get(key)), fmt(s.get("asyncio", {}).get(key)),
                "%.2fx" % r if r else "n/a", fmt(s.get("raw", {}).get(key)),
                "" if rr is None else ("met" if rr <= 1.0 else "**missed** (%.1f allocations' worth)" % rr)))
            continue
        L.append("| %s (%s) | %s | %s | %s | %s %.2fx | %s |" % (
            title, unit, fmt(s.get("net", {}).get(key), key), fmt(s.get("asyncio", {}).get(key), key),
            "%.2fx" % r if r else "n/a", ">=" if higher else "<=", target,
            verdict(r, higher, target, client_share(s.get("net", {}), key),
                    [(n, client_share(s.get(n, {}), key, "server")) for n in ("net", "asyncio")])))
    net = s.get("net", {})
    L.append("| idle loop turn allocates nothing (`micropython.heap_lock()`) | %s | | | zero | %s |" % (
        lock_summary(net), "met" if net.get("lock") and all(x.split()[0] == "yes" for x in net["lock"]) else "**missed**"))
    L.extend(board_rows(res.get("board")))
    if paired:
        L.append("")
        L.append("Each repetition's ratio, in run order: " + "; ".join(
            "%s %s" % (k, " ".join("%.2f" % x for x in paired[k]["all"]))
            for k in ("pingpong", "pingpong_cpu", "short", "short_cpu", "bulk", "bulk_cpu") if k in paired) + ".")
    L.append("")
    L.append("## Every server")
    L.append("")
    L.append("| figure | " + " | ".join(names) + " |")
    L.append("| --- | " + " | ".join("---:" for _ in names) + " |")
    for key, title, unit, higher, target in FIGURES:
        L.append("| %s (%s) | " % (title, unit) + " | ".join(fmt(s[n].get(key), key) for n in names) + " |")
    L.append("| ... its 38 KB test with the .mpy import cost added to the heap | " + " | ".join(
        fmt(s[n].get("held")) + (" (plain 38K: %s)" % fmt(s[n].get("held_plain")) if s[n].get("held_plain") is not None else "")
        for n in names) + " |")
    L.append("| heap taken by the import (.mpy or frozen), bytes | " + " | ".join(fmt(s[n].get("import")) for n in names) + " |")
    L.append("| live heap with the server listening, no connection, bytes | " + " | ".join(fmt(s[n].get("heap0")) for n in names) + " |")
    L.append("| errors seen by the load client (all repetitions) | " + " | ".join(
        "%d/%d/%d" % (s[n]["pingpong_err"], s[n]["short_err"], s[n]["bulk_err"]) for n in names) + " |")
    for k, what in (("pingpong", "ping-pong"), ("short", "short connections"), ("bulk", "bulk")):
        L.append("| load client's CPU during %s (share of one core) | " % what + " | ".join(
            fmt_share(s[n].get(k + "_client")) for n in names) + " |")
    for k, what in (("pingpong", "ping-pong"), ("short", "short connections"), ("bulk", "bulk")):
        for sfx, heap in (("", ""), ("_b", ", board-sized heap")):
            if any(s[n].get(k + "_server" + sfx) is not None for n in names):
                L.append("| server's own CPU during %s%s (share of one core) | " % (what, heap) + " | ".join(
                    fmt_share(s[n].get(k + "_server" + sfx)) for n in names) + " |")
    L.append("| ping-pong, every repetition | " + " | ".join(" ".join("%.0f" % v for v in s[n]["pingpong_all"]) for n in names) + " |")
    L.append("| short, every repetition | " + " | ".join(" ".join("%.0f" % v for v in s[n]["short_all"]) for n in names) + " |")
    L.append("| bulk, every repetition | " + " | ".join(" ".join("%.1f" % v for v in s[n]["bulk_all"]) for n in names) + " |")
    L.append("")
    L.append("Node.js's heap figure is V8's `heapUsed` after a full gc: JavaScript objects only (not")
    L.append("libuv's or the kernel's memory), so it is shown for interest and compared with nothing; the")
    L.append("38 KB and per-message figures exist for the MicroPython servers only.")
    L.append("")
    L.append("## 38 KB heap: the first failure and after it")
    L.append("")
    L.append("`micropython -X heapsize=...`: each new connection echoes one byte before the next one opens.")
    L.append("When one fails (no connection, or no echo within 3 s), the old connections are tried, a fifth")
    L.append("of them closed, and a new connection tried. The import cost is what `gc.mem_alloc()` grew by")
    L.append("across the import (net: its .mpy files; asyncio: frozen in the unix port, so only its module")
    L.append("objects are on the heap; raw: built-in modules). On a board net is frozen too, so net's test")
    L.append("gets 38 KB plus its import cost (docs/design.md, 'Memory'); the plain 38 KB figure is given beside it.")
    L.append("")
    L.append("| server | heap given | held | first failure | server alive | old connections echo | new connection echoes |")
    L.append("| --- | ---: | ---: | --- | --- | --- | --- |")
    for n in names:
        for key in ("held_runs", "held_plain_runs"):
            runs = s[n].get(key)
            if not runs:
                continue
            h = runs[-1]
            L.append("| %s | %d | %s | %s | %s | %s | %s |" % (
                n, h["heap"], " ".join(str(r.get("held", "-")) for r in runs),
                ("`%s`" % h.get("failure", "").replace("|", "/")[:100]) if h.get("failure") else "",
                "yes" if h.get("alive") else "no", "yes" if h.get("old_echo") else "no",
                "yes" if h.get("new_echo") else "no"))
    L.append("")
    L.append("## Heap per idle connection, step by step")
    L.append("")
    L.append("Live heap (`gc.collect()` then `gc.mem_alloc()`, read inside the server) with n idle connections;")
    L.append("the figure above is the least-squares slope.")
    L.append("")
    steps = {n: dict(s[n].get("idle_steps") or []) for n in names}
    ns = sorted({k for v in steps.values() for k in v})
    L.append("| n | " + " | ".join(names) + " |")
    L.append("| ---: | " + " | ".join("---:" for _ in names) + " |")
    for k in ns:
        L.append("| %d | " % k + " | ".join(fmt(steps[n].get(k)) for n in names) + " |")
    L.append("")
    b = res.get("board")
    if b:
        L.append("## On a board's heap: the %s-bit firmware with net and asyncio frozen in" % (b.get("bits") or "?"))
        L.append("")
        L.append("tools/bench/board.py runs tools/bench/servers/board_cost.py inside the unix firmware that")
        L.append("`make firmware BOARD=unix` builds (net and asyncio frozen, as on a board: only their objects")
        L.append("are in the heap), with `-X heapsize=%s`. Every figure is live heap (`gc.collect()`, then" % b["heap"])
        L.append("`gc.mem_alloc()`) less the heap at the script's start; both servers echo. Median of %d runs." % len(b["runs"]))
        L.append("")
        L.append("| live heap, bytes | net | asyncio |")
        L.append("| --- | ---: | ---: |")
        L.append("| listening, nothing connected yet | %s | %s |" % (fmt(b["net"]["listen"]), fmt(b["asyncio"]["listen"])))
        L.append("| after the first connection came and went | %s | %s |" % (
            fmt(b["net"]["listen"] + b["net"]["first"]), fmt(b["asyncio"]["listen"] + b["asyncio"]["first"])))
        steps = {n: dict(b[n]["idle_steps"]) for n in ("net", "asyncio")}
        for k in sorted(steps["net"]):
            L.append("| %d idle connections (with the control channel) | %s | %s |" % (
                k, fmt(steps["net"].get(k)), fmt(steps["asyncio"].get(k))))
        L.append("")
    L.append("## How it was measured")
    L.append("")
    L.append("- Load: tools/bench/load.c, compiled by the bench with gcc: one process, epoll, non-blocking")
    L.append("  sockets, every echo checked byte for byte, all traffic on 127.0.0.1. Ping-pong: %d connections," % a["conns"])
    L.append("  32-byte messages, each connection sends its next message when the echo is back. Short: %d" % a["inflight"])
    L.append("  connections in flight, each connects, sends 32 bytes, reads them back, closes. Bulk: one connection,")
    L.append("  %d-byte writes, at most %d bytes in flight. %.1f s timed after a 0.5 s warm-up, per window%s" % (
        a["chunk"], a["window"], a["seconds"], ";" if pw > 1 else "."))
    if pw > 1:
        L.append("  one window per figure and repetition, except net's and asyncio's %d in the ping-pong and" % pw)
        L.append("  short connections (their mean is the repetition's figure).")
    L.append("- Per server CPU-second: the same operations divided by the CPU time the server process used")
    L.append("  meanwhile (`/proc/PID/schedstat`; for Node its main thread). The machine's two cores are shared")
    L.append("  with other work and the load client, so rates per wall-clock second swing from run to run; what")
    L.append("  the server spends per operation hardly does. Both are given; the targets are judged on both,")
    L.append("  except a rate whose load client used %d%% of a core or more (`getrusage` of the client): that" % (100 * CLIENT_BOUND))
    L.append("  rate is the client's limit, not the server's, and only the per CPU-second figure can judge it.")
    L.append("  Likewise a rate ratio for which net's or asyncio's server used less than %d%% of a core (its" % (100 * SERVER_BOUND))
    L.append("  `schedstat` time over the load's wall time) is not judged, met or not: that server waited for")
    L.append("  the client or the kernel, so its rate was not its own.")
    L.append("- Board-sized heap: figures 1-3 again with every MicroPython server at `-X heapsize=%d` (the unix" % a.get("board_heap", 0))
    L.append("  port's default is 2 MB; MicroPython's allocator costs more per allocation in a big heap, see below).")
    L.append("- Servers (tools/bench/servers/): every MicroPython server runs from .mpy (mpy-cross) on the unix")
    L.append("  port with `-m`, so none pays for compiling. net's server is examples/echo_server.py as it is;")
    L.append("  asyncio and raw read up to %d bytes at a time, net's own default receive size (`recvSize`)." % res.get("read", 1460))
    L.append("  Control lines on the server's stdin (benchctl.py) read the heap from inside the process.")
    L.append("- Per message: gc disabled, %d and %d round trips of 32 bytes; the difference in heap allocated" % tuple(
        res.get("permsg_windows", (50, 250))))
    L.append("  over the difference in count (so the control lines drop out). The raw loop allocates exactly one")
    L.append("  bytes object per message (`recv`), which makes it the unit of \"one allocation\".")
    L.append("")
    notes = os.path.join(HERE, "notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            L.append(f.read().rstrip())
        L.append("")
    L.append("![benchmarks](benchmarks.png)")
    L.append("")
    with open(os.path.join(outdir, "benchmarks.md"), "w") as f:
        f.write("\n".join(L))
    try:
        plot(res, os.path.join(outdir, "benchmarks.png"))
    except ImportError:
        print("bench: matplotlib is missing (pip install the bench extra): no plot", file=sys.stderr)


def plot(res, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = res["servers"]
    names = list(s)
    colours = {"net": "#d62728", "asyncio": "#1f77b4", "raw": "#7f7f7f", "node": "#2ca02c"}
    fig, axes = plt.subplots(3, 3, figsize=(13, 11))
    for ax, (key, title, unit, higher, target) in zip(axes.flat, [f for f in FIGURES if not f[0].endswith("_b")]):
        shown = [n for n in names if s[n].get(key) is not None and not (key in ("idle",) and n == "node")]
        vals = [s[n][key] for n in shown]
        bars = ax.bar(shown, vals, color=[colours.get(n, "#999") for n in shown])
        for b, v in zip(bars, vals):
            ax.annotate(("%.1f" % v) if v < 100 else "%.0f" % v, (b.get_x() + b.get_width() / 2, v),
                        ha="center", va="bottom", fontsize=8)
        base = s.get("asyncio", {}).get(key)
        if target and base:
            ax.axhline(base * target, color="#d62728", ls="--", lw=1)
            ax.annotate("net target %s%.2fx asyncio" % (">=" if higher else "<=", target), (0.02, 0.95),
                        xycoords="axes fraction", fontsize=8, color="#d62728", va="top")
        if key == "permsg" and s.get("raw", {}).get(key):
            ax.axhline(s["raw"][key], color="#d62728", ls="--", lw=1)
            ax.annotate("one allocation (raw recv)", (0.02, 0.95), xycoords="axes fraction", fontsize=8,
                        color="#d62728", va="top")
        ax.set_title("%s\n(%s, %s is better)" % (title, unit, "higher" if higher else "lower"), fontsize=10)
        ax.margins(y=0.15)
    fig.suptitle("net echo server vs asyncio streams, a raw loop and Node.js (MicroPython unix port; medians of %d runs)"
                 % res["args"]["reps"], fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


if __name__ == "__main__":
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "bench", "results.json")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs")
    with open(src) as f:
        write(json.load(f), out)
