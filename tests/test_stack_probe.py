# The personalities held against the chips' own socket code: tests/scenarios/stack_probe.py
# prints the rows of docs/personalities.md's table on board/esp8266 and on lwip-esp8266
# (MicroPython's modlwip on lwIP with the ESP8266's settings), and on board/esp32 and lwip-esp32
# (the ESP32's modsocket.c over lwIP's socket API). The test plays the peer and compares the two
# row by row. MIT licence, see LICENSE.
import socket
import threading
import time

import pytest

import harness

# Rows whose outcome on the real stack depends on timing: (chip, row) -> the outcomes the
# firmware can give, each of which net handles. modlwip's connect() runs one poll of the stack
# (poll_sockets) before it returns EINPROGRESS: over the TAP link the answer (~50 us away) is
# often in by then, so the connect is done or refused at the call; over Wi-Fi it rarely is.
TIMING = {
    ("esp8266", "connect"): ("EINPROGRESS", "ok"),
    ("esp8266", "refused.connect"): ("EINPROGRESS", "ECONNRESET"),
}


def _late_byte(c):
    # The probe's accepted socket has read (or not) by now; the board may have closed it.
    try:
        c.send(b"z")
    except OSError:
        pass


def peer(s):
    # Answer the probe's NEED lines until it prints DONE; returns {row: value}.
    rows = {}
    held = []
    timers = []
    conn = {}
    while True:
        ln = s.line(timeout=30)
        if ln == "DONE":
            break
        k, _, v = ln.partition(" ")
        if k == "ROW":
            name, _, val = v.partition(" ")
            rows[name] = val
            continue
        if k != "NEED":
            continue
        what = v.split()
        if what[0] == "closed":
            t = socket.socket()
            t.bind((s.target.host_ip, 0))
            reply = t.getsockname()[1]
            t.close()
        elif what[0] == "listen":
            ls = socket.socket()
            ls.bind((s.target.host_ip, 0))
            ls.listen(1)
            held.append(ls)
            threading.Thread(target=lambda: conn.setdefault("c", ls.accept()[0]), daemon=True).start()
            reply = ls.getsockname()[1]
        elif what[0] == "drain":
            for _ in range(100):
                if "c" in conn:
                    break
                time.sleep(0.05)
            c = conn["c"]
            c.settimeout(0.3)
            try:
                while c.recv(65536):
                    pass
            except OSError:
                pass
            reply = "ok"
        elif what[0] == "send":
            conn["c"].sendall(b"y" * int(what[1]))
            reply = "ok"
        elif what[0] == "udp":
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for i in range(int(what[2])):
                u.sendto(b"d%d" % i, (s.ip, int(what[1])))
            u.close()
            reply = "ok"
        else:  # connect: to the board's listener, one byte 300 ms later
            c = socket.create_connection((s.ip, int(what[1])), timeout=10)
            held.append(c)
            t = threading.Timer(0.3, _late_byte, (c,))
            t.start()
            timers.append(t)
            reply = "ok"
        s.send("%s\n" % reply)
    for t in timers:
        t.join()
    for h in held:
        h.close()
    if "c" in conn:
        conn["c"].close()
    return rows


# Errors some ports' errno modules have no name for (MicroPython's errno lists a few dozen):
# the probe prints their number, which the target's own numbering turns back into the name.
UNNAMED = ("EISCONN", "EALREADY", "ENOTCONN", "EHOSTUNREACH", "ENFILE")


def named(t, rows):
    out = {}
    for k, v in rows.items():
        words = v.split()
        for i, w in enumerate(words):
            if w.isdigit():
                for n in UNNAMED:
                    if t.errno(n) == int(w) and not k.startswith(("send", "recv", "udp", "limit")) or (k.startswith("limit") and i == 1 and t.errno(n) == int(w)):
                        words[i] = n
        out[k] = " ".join(words)
    return out


def probe(name, request):
    t = harness.TARGETS[name]
    t.setup()
    harness.CURRENT[0] = t
    t.enter()
    r = harness.Runner(t, request)
    try:
        return named(t, peer(r("stack_probe", env={"NET_STRICT": "0"})))
    finally:
        r.close()
        t.leave()
        harness.CURRENT[0] = harness.TARGETS["cpython"]


@pytest.mark.parametrize("chip", ["esp8266", "esp32"])
def test_personality_rows_match_the_chips_own_socket_code(chip, request):
    real = probe("lwip-" + chip, request)
    emulated = probe(chip, request)
    rows = sorted(set(real) | set(emulated))
    diff = []
    for k in rows:
        either = TIMING.get((chip, k))
        if either is not None:
            ok = real.get(k) in either and emulated.get(k) in either
        else:
            ok = real.get(k) == emulated.get(k)
        if not ok:
            diff.append("%-16s real %-28s personality %s" % (k, real.get(k), emulated.get(k)))
    print("\n".join("%-16s %s" % (k, real.get(k)) for k in rows))
    assert not diff, "the %s personality differs from the chip's own socket code:\n%s" % (chip, "\n".join(diff))
