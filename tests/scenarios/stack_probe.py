# tests/scenarios/stack_probe.py - one row per line of what a chip's socket module does, the
# rows of docs/personalities.md's table, for tests/test_stack_probe.py to compare a personality
# (board/esp32, board/esp8266) with the chip's own socket code built on lwIP (lwip-* targets).
# Errors are printed by name (ESP32's newlib numbers and the host's differ; the names agree).
# The test is the peer: at each "NEED ..." line it does what is asked and answers on stdin.
import select
import socket
import sys
import time

import errno
from scen import BOARD_IP, HOST_IP

_names = {}
for _n in dir(errno):
    if _n[:1] == "E":
        _names.setdefault(getattr(errno, _n), _n)


def name(e):
    n = e.args[0] if e.args else None
    return _names.get(n, n) if type(n) is int else repr(n)


def row(k, *v):
    print("ROW", k, *v)


def need(*what):
    print("NEED", *what)
    return sys.stdin.readline().split()


_MASKS = ((select.POLLIN, "IN"), (select.POLLOUT, "OUT"), (select.POLLHUP, "HUP"), (select.POLLERR, "ERR"))


def events(s, want=select.POLLIN | select.POLLOUT, wait_ms=0):
    p = select.poll()
    p.register(s, want)
    got = p.poll(wait_ms)
    ev = got[0][1] if got else 0
    return "|".join(n for m, n in _MASKS if ev & m) or "-"


def attempt(fn, *a):
    try:
        r = fn(*a)
        return "ok" if r is None else repr(r)
    except OSError as e:
        return name(e)


def wait_events(s, want, ms=3000):
    t0 = time.ticks_ms()
    while True:
        ev = events(s, want, 50)
        if ev != "-" or time.ticks_diff(time.ticks_ms(), t0) > ms:
            return ev


# fresh TCP socket: its poll answer before anything is done with it
s = socket.socket()
row("fresh", events(s))
row("fileno", hasattr(s, "fileno"))
s.close()

# refused connect: the host's closed port answers the SYN with a RST
port = int(need("closed")[0])
s = socket.socket()
s.setblocking(False)
row("refused.connect", attempt(s.connect, (HOST_IP, port)))
row("refused.poll", wait_events(s, select.POLLIN | select.POLLOUT))
row("refused.recv", attempt(s.recv, 1))
row("refused.again", attempt(s.connect, (HOST_IP, port)))
s.close()

# a connect the host accepts: writable once connected, then a second connect
port = int(need("listen")[0])
s = socket.socket()
s.setblocking(False)
row("connect", attempt(s.connect, (HOST_IP, port)))
row("connected.poll", wait_events(s, select.POLLOUT))
row("connected.again", attempt(s.connect, (HOST_IP, port)))
# send per call: the host does not read yet
row("send.once", attempt(s.send, b"x" * 20000))
need("drain")
# recv per call: the host sends 8000 bytes at once
need("send", 8000)
time.sleep(0.3)
row("recv.once", len(s.recv(8000)))
s.close()

# UDP receive queue: 10 datagrams arrive before the program reads
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
uport = 40123
u.bind((BOARD_IP, uport))
need("udp", uport, 10)
time.sleep(0.3)
u.setblocking(False)
n = 0
while True:
    try:
        u.recv(100)
        n += 1
    except OSError:
        break
row("udp.queue", n)
u.close()

# accepted sockets: blocking or as the listener (non-blocking here)
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((BOARD_IP, 40124))
ls.listen(2)
ls.setblocking(False)
need("connect", 40124)
wait_events(ls, select.POLLIN)
a, _ = ls.accept()
r = attempt(a.recv, 1)
row("accepted", "blocking" if r not in ("EAGAIN", "EWOULDBLOCK") else "non-blocking")
a.close()
ls.close()

# options: a known one, and one the chip does not have
s = socket.socket()
row("opt.reuse", attempt(s.setsockopt, socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
row("opt.nodelay", attempt(s.setsockopt, socket.IPPROTO_TCP, getattr(socket, "TCP_NODELAY", 1), 1))
s.close()

# getaddrinfo of a dotted quad: its shape
row("gai", repr(socket.getaddrinfo(HOST_IP, 80)).replace(HOST_IP, "HOST"))

# how many sockets at once (TCP, then UDP), and what the next one raises
for kind, label in ((socket.SOCK_STREAM, "tcp"), (socket.SOCK_DGRAM, "udp")):
    held = []
    err = "none"
    for _ in range(24):
        try:
            held.append(socket.socket(socket.AF_INET, kind))
        except OSError as e:
            err = name(e)
            break
    row("limit." + label, len(held) if err != "none" else "24+", err)
    for h in held:
        h.close()
    time.sleep(0.1)
print("DONE")
