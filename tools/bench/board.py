# tools/bench/board.py - the board figures of `make bench`: heap held by a server on the 32-bit
# unix firmware with net and asyncio frozen in, in a 38 KB heap (an ESP8266's).
# MIT licence, see LICENSE.
#
# A board's pointers are 32 bits and its modules are frozen (bytecode in flash, only their
# objects in the heap); the 64-bit unix port with net loaded from .mpy files shows neither, so
# the fixed costs are taken here (servers/board_cost.py runs inside the firmware):
#   listen      import, create, listen: what a server holds before its first connection
#   first       what stays after the first connection came and went (net's receive buffer)
#   idle        per idle connection, the slope over 10..30 connections (each echoed once)
#   udp         net: a listening UDP socket, import included (MicroPython's asyncio has no UDP)
#   dns         net: import of net and net.dns, and what one lookup in flight adds (asyncio's
#               only lookup is the blocking socket.getaddrinfo)
#   python tools/bench/board.py [--firmware build/firmware/unix]      prints the figures as JSON
import json
import os
import socket
import subprocess
import sys
import time

from run import free_port

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(HERE, "servers", "board_cost.py")
HEAP = "38K"
IDLE_STEPS = (10, 30)  # both servers hold 30 in 38 KB (asyncio missed its 50th echo in one run)


class Proc:
    def __init__(self, firmware, mode):
        self.port = free_port()
        self.p = subprocess.Popen(
            [firmware, "-X", "heapsize=" + HEAP, SCRIPT, mode, str(self.port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=dict(os.environ, MICROPYPATH=".frozen"), cwd=os.path.dirname(SCRIPT))

    def expect(self, prefix):
        # The next line starting with prefix (the firmware answers at once: no timeout needed
        # beyond the process ending, which ends the read).
        for ln in self.p.stdout:
            if ln.startswith(prefix + " "):
                return ln.split()[1:]
        raise RuntimeError("board_cost.py ended without a %s line (exit %s)" % (prefix, self.p.wait()))

    def heap(self):
        self.p.stdin.write("heap\n")
        self.p.stdin.flush()
        b, n = self.expect("HEAP")
        return int(b), int(n)

    def stop(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


def echo_once(c):
    c.sendall(b"x")
    if c.recv(1) != b"x":
        raise RuntimeError("no echo")


def settle(proc, want):
    # The heap once the server counts `want` connections (it accepts and closes on its own time).
    end = time.monotonic() + 10
    while True:
        b, n = proc.heap()
        if n == want or time.monotonic() > end:
            if n != want:
                raise RuntimeError("the server holds %d connections, expected %d" % (n, want))
            return b
        time.sleep(0.05)


def tcp(firmware, server):
    p = Proc(firmware, "tcp-" + server)
    conns = []
    try:
        out = {"listen": int(p.expect("LISTEN")[0])}
        before = settle(p, 0)  # with the control channel in place
        c = socket.create_connection(("127.0.0.1", p.port), timeout=5)
        echo_once(c)
        c.close()
        out["first"] = settle(p, 0) - before
        steps = []
        for n in IDLE_STEPS:
            while len(conns) < n:
                c = socket.create_connection(("127.0.0.1", p.port), timeout=5)
                echo_once(c)
                conns.append(c)
            steps.append((n, settle(p, n)))
        (n0, b0), (n1, b1) = steps
        out["idle"] = (b1 - b0) / (n1 - n0)
        out["idle_steps"] = steps
        return out
    finally:
        for c in conns:
            c.close()
        p.stop()


def single(firmware, mode, *prefixes):
    p = Proc(firmware, mode)
    try:
        return [int(p.expect(x)[0]) for x in prefixes]
    finally:
        p.stop()


def measure(firmware):
    res = {"firmware": firmware, "heap": HEAP, "net": tcp(firmware, "net"), "asyncio": tcp(firmware, "asyncio")}
    res["net"]["udp"], = single(firmware, "udp-net", "LISTEN")
    res["net"]["dns_loaded"], res["net"]["dns_inflight"] = single(firmware, "dns-net", "LOADED", "INFLIGHT")
    return res


def main(argv):
    import argparse

    ap = argparse.ArgumentParser(description="heap figures on the 32-bit frozen firmware")
    ap.add_argument("--firmware", default=os.path.join(ROOT, "build", "firmware", "unix"))
    a = ap.parse_args(argv)
    if not os.path.exists(a.firmware):
        sys.exit("board.py: no firmware at %s: build it with `make firmware BOARD=unix`" % a.firmware)
    print(json.dumps(measure(a.firmware), indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
