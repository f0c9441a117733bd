# tests/scenarios/rel_peer.py - the pytest side of the reliability tests: peers and resource counts.
# MIT licence, see LICENSE.
#
# CPython only (imported by tests/test_faults.py, test_load.py, test_hostile.py): drives
# rel_server.py on a target, counts its file descriptors, checks echoed data by digest.
import hashlib
import os
import socket
import struct
import threading
import time


def pattern(n, seed=0):
    # n bytes that differ per position and per seed: a lost, repeated or reordered chunk shows.
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"%d:%d" % (seed, i)).digest()
        i += 1
    return bytes(out[:n])


def board_ip():
    # Where the test's peers reach the board (tests/harness.py): loopback but on the lwIP targets.
    import harness

    return harness.board_ip()


def fds(pid):
    # Open file descriptors of a process (Linux /proc).
    return len(os.listdir("/proc/%d/fd" % pid))


def rst_close(sock):
    # Close with a RST instead of a FIN (SO_LINGER {1, 0}): a peer that "crashes".
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class RelServer:
    # rel_server.py running on a target, with its control connection.
    def __init__(self, run, *opts, env=None, heap=None, script="rel_server", board_heap=None):
        if getattr(run.target, "launch", None) is not None:
            import pytest

            # Through mpremote the scenario's process is not ours to watch (fd counts, prlimit)
            # and a run of thousands of connections would measure mpremote, not net.
            pytest.skip("needs the scenario's own process on this host (fd counts, prlimit, NET_FAULTS)")
        self.s = run(script, *opts, env=env, heap=heap, board_heap=board_heap)
        self.udp_port = int(self.s.expect("UDP", timeout=30)) if "udp=1" in opts else None
        self.port = int(self.s.expect("PORT", timeout=30))
        self.ctl_port = int(self.s.expect("CTL", timeout=10))
        self.ip = self.s.ip  # the board's address
        self.ctl = socket.create_connection((self.ip, self.ctl_port), timeout=30)
        self.pid = self.s.p.pid

    def stats(self):
        # {"owners", "timers", "conns", "heap", "objects", "faults", "answers", "ends", "drops",
        # "errors", "fds"}
        self.ctl.sendall(b"STATS\n")
        st = self.s.expect("STATS ", timeout=30).split()
        co = self.s.expect("COUNT ", timeout=10).split()
        d = dict(zip(("owners", "timers", "conns", "heap", "objects"), (int(x) for x in st[:5])))
        d["faults"] = st[5] if len(st) > 5 else "-"
        d.update(zip(("answers", "ends", "drops", "errors", "datagrams"), (int(x) for x in co)))
        d["fds"] = fds(self.pid)
        return d

    def settle(self, conns=0, timeout=30):
        # Stats once the server holds `conns` connections (closes take a turn or two).
        # Then read again until two readings agree on the heap: the last object a turn handled
        # may still be referenced for one more turn (poll's reused result tuple, a value left
        # on the C stack that the conservative collector scans), which is no leak; a leak stays.
        end = time.monotonic() + timeout
        while True:
            st = self.stats()
            if st["conns"] == conns or time.monotonic() > end:
                break
            time.sleep(0.1)
        for _ in range(5):
            again = self.stats()
            same = again["heap"] == st["heap"]
            st = again
            if same:
                break
        return st

    def arm(self, spec):
        # A new fault schedule (NET_FAULTS syntax), counted from now.
        self.ctl.sendall(b"FAULTS=" + spec.encode() + b"\n")
        self.s.expect("ARMED", timeout=30)

    def quit(self):
        self.ctl.sendall(b"QUIT\n")
        self.s.expect("DONE", timeout=30)
        self.s.wait(30)


def echo_roundtrip(port, data, chunk=4096, timeout=60, host=None):
    # Send data in chunks (while reading, so neither side's window blocks the other), half-close,
    # read until EOF. Returns what came back, or the exception that ended it. host: the board's
    # address by default.
    c = socket.create_connection((host or board_ip(), port), timeout=timeout)
    got = bytearray()
    err = []

    def reader():
        try:
            while True:
                b = c.recv(65536)
                if not b:
                    return
                got.extend(b)
        except OSError as e:
            err.append(e)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    try:
        for i in range(0, len(data), chunk):
            c.sendall(data[i : i + chunk])
        c.shutdown(socket.SHUT_WR)
    except OSError as e:
        err.append(e)
    t.join(timeout)
    if t.is_alive():  # no EOF within the timeout: say so, rather than return a prefix as if whole
        err.append(TimeoutError("no EOF within %g s, %d of %d bytes back" % (timeout, len(got), len(data))))
    c.close()
    return bytes(got), (err[0] if err else None)


def parallel(fn, args_list, timeout=120):
    # Run fn(*args) for each args in threads; results in order.
    res = [None] * len(args_list)

    def one(i, a):
        try:
            res[i] = fn(*a)
        except Exception as e:  # noqa: BLE001 - reported by the caller's asserts
            res[i] = e

    ts = [threading.Thread(target=one, args=(i, a), daemon=True) for i, a in enumerate(args_list)]
    for t in ts:
        t.start()
    end = time.monotonic() + timeout
    for t in ts:
        t.join(max(0.1, end - time.monotonic()))
    return res


def short_load(port, total, inflight=16, seconds=300, request=b"GET\n"):
    # `total` short connections, `inflight` at a time: connect, send request, read to the end.
    # Each ends as an answer (b"OK n\n", n returned in `answers`), a clean drop (the server
    # closed without a word: EOF, or a RST because our request was unread) or a failure
    # (anything else: a partial answer, a refused connect, a time-out). On loopback, sources
    # rotate over 127.0.0.2..127.0.0.250 so that TIME_WAIT never exhausts one address's ports;
    # on a link the host has its one address.
    import errno
    import selectors

    host = board_ip()

    sel = selectors.DefaultSelector()
    out = {"answers": [], "drops": 0, "failures": [], "started": 0, "seconds": 0.0}
    t0 = time.monotonic()
    end = t0 + seconds
    live = {}

    def start():
        i = out["started"]
        out["started"] += 1
        c = socket.socket()
        c.setblocking(False)
        if host == "127.0.0.1":
            c.bind(("127.0.0.%d" % (2 + i % 249), 0))
        e = c.connect_ex((host, port))
        if e not in (0, errno.EINPROGRESS):
            out["failures"].append("connect %d" % e)
            c.close()
            return
        live[c] = [False, bytearray()]
        sel.register(c, selectors.EVENT_WRITE)

    def finish(c, err=None):
        sent, buf = live.pop(c)
        sel.unregister(c)
        c.close()
        b = bytes(buf)
        if err is None and b.startswith(b"OK ") and b.endswith(b"\n") and b[3:-1].isdigit():
            out["answers"].append(int(b[3:-1]))
        elif not b and (err is None or err == errno.ECONNRESET):
            out["drops"] += 1
        else:
            out["failures"].append((b, err))

    while (out["started"] < total or live) and time.monotonic() < end:
        while out["started"] < total and len(live) < inflight:
            start()
        for key, ev in sel.select(1.0):
            c = key.fileobj
            st = live[c]
            if not st[0]:
                e = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if e:
                    finish(c, e)
                    continue
                try:
                    c.send(request)
                except OSError as x:
                    finish(c, x.errno)
                    continue
                st[0] = True
                sel.modify(c, selectors.EVENT_READ)
                continue
            try:
                b = c.recv(4096)
            except BlockingIOError:
                continue
            except OSError as x:
                finish(c, x.errno)
                continue
            if not b:
                finish(c)
            else:
                st[1] += b
    for c in list(live):
        finish(c, "timed out")
    out["seconds"] = time.monotonic() - t0
    return out
