# tools/bench/instr.py - `make bench-instr`: user-space instructions per message and per short
# connection, for net and for a raw loop, counted by valgrind.
# MIT licence, see LICENSE.
#
# The figures of `make bench` are rates, and on a shared machine a rate moves by tens of percent
# between runs: a change of a few percent cannot be seen there. Valgrind's instruction count
# can (it repeats to about 1.5 %): each case of servers/inproc.py runs twice under
# `valgrind --tool=cachegrind`, for a short and a long count, and the difference divided by the
# extra operations is what one message or one connection costs (start-up cancels out). The
# count is user space only (the kernel's share is not in it) and covers the clients too, which
# are the same for both servers. Needs valgrind (Debian: apt install valgrind).
#
#   python tools/bench/instr.py [--what msg,conn] [--servers net,raw]
import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run  # noqa: E402  (the bench's own build: net and the servers as .mpy)

COUNTS = {"msg": (200, 1200), "conn": (300, 1300)}
PER = {"msg": 4, "conn": 1}  # operations per count: 4 clients per round, 1 connection


def instructions(what, server, n, port):
    # Instructions the whole run executes (the MicroPython process, under valgrind).
    env = dict(os.environ, MICROPYPATH=run.MPY)
    r = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         run.tool("micropython"), "-m", "inproc", str(n), what, server, str(port)],
        capture_output=True, text=True, env=env, timeout=600)
    if r.returncode != 0 or "DONE" not in r.stdout:
        raise RuntimeError("inproc %s %s failed: %s %s" % (what, server, r.stdout[-300:], r.stderr[-600:]))
    m = re.search(r"I\s+refs:\s+([\d,]+)", r.stderr)
    if not m:
        raise RuntimeError("no instruction count from valgrind: %s" % r.stderr[-300:])
    return int(m.group(1).replace(",", ""))


def per_op(what, server, port):
    lo, hi = COUNTS[what]
    a = instructions(what, server, lo, port)
    b = instructions(what, server, hi, port + 1)
    return (b - a) / ((hi - lo) * PER[what])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--what", default="msg,conn")
    ap.add_argument("--servers", default="net,raw")
    a = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("bench-instr: needs valgrind (Debian: apt install valgrind)")
    run.build()
    port = 18557
    for what in a.what.split(","):
        for server in a.servers.split(","):
            port += 2  # fresh ports per case: nothing left over from the last run in the way
            n = per_op(what, server, port)
            print("%-4s %-4s %8.0f instructions per %s" % (server, what, n, "message" if what == "msg" else "connection"))


if __name__ == "__main__":
    main()
