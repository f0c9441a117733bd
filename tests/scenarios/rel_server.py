# tests/scenarios/rel_server.py - a server for the reliability tests (faults, load, hostile peers).
# MIT licence, see LICENSE.
#
# argv: key=value options
#   mode=echo     echo every byte (hold() while send() says False, unhold() on drain)
#   mode=answer   on the first bytes received, send "OK <n>\n" (n counts answers) and close
#   mode=push     send fresh 1 KB chunks to every client, 8 at connection and 2 more every 20 ms:
#                 polite=1 stops when send() says False until `drain`, polite=0 ignores False
#   timeout=30    the server's inactivity timeout (s)      max=N  maxConnections
#   hwm=N maxq=N  net.socket's highWaterMark and maxQueue  boom=1  a receive of b"boom" raises
#   oom=1         a receive of b"oom" raises MemoryError   quiet=1  no line per connection
#   udp=1         also a UDP socket that counts the datagrams it receives ("UDP p" line; STATS
#                 then ends with the count)
#   full=0        server.dropIdleWhenFull = False (accept failures back off, no idle one is ended)
#   sndbuf=N      set the kernel's send buffer of every accepted socket to N bytes (SO_SNDBUF,
#                 through the private socket: a host test's stand-in for lwIP's few KB)
# Lines: "PORT p" (the served port), "CTL p" (the control port), then one line per event ("CONN",
# "END errno", "DROP ip"; with quiet=1 only "END errno" for an errno other than 0). The control connection (pytest's) takes commands, one per message:
#   STATS  -> "STATS owners timers conns heap objects faults"; heap: gc.mem_alloc() after a
#             collection (MicroPython), objects: live net.socket objects (CPython, gc), faults:
#             what net_faults injected ("-" without NET_FAULTS)
#   FAULTS=spec -> net_faults.configure(spec) (a new schedule, counted from 0): "ARMED"
#   QUIT   -> closes the servers; run() returns once the last connection has ended: "DONE".
import gc
import sys
import net
from net._loop import loop
from scen import say, BOARD_IP

opt = {"udp": 0, "sndbuf": 0, "mode": "echo", "timeout": 30, "max": None, "hwm": None, "maxq": None, "boom": 0, "oom": 0, "quiet": 0, "polite": 1, "full": 1}
for a in sys.argv[1:]:
    k, _, v = a.partition("=")
    opt[k] = int(v) if v.lstrip("-").isdigit() else v
MP = sys.implementation.name == "micropython"
quiet = opt["quiet"]
count = {"answers": 0, "ends": 0, "drops": 0, "errors": 0}
CHUNK = b"x" * 1024

Socket = None


def on_receive(c, d):
    if d == b"boom" and opt["boom"]:
        raise ValueError("callback failed on purpose")
    if d == b"oom" and opt["oom"]:
        raise MemoryError("memory ran out on purpose")
    m = opt["mode"]
    if m == "echo":
        if not c.send(d):
            c.hold()
    elif m == "answer":
        count["answers"] += 1
        c.send(b"OK %d\n" % count["answers"])
        c.close()


def on_drain(c):
    if opt["mode"] == "push":
        pushing[c] = False
        push(c)
    else:
        c.unhold()


pushing = {}  # push mode: connection -> True while it waits for `drain` (polite)


def push(c, n=8):
    # Send n fresh 1 KB chunks (as an application producing data would: each one a new object).
    # polite: stop when send() says False and go on at `drain`; not polite: ignore False.
    if pushing.get(c):
        return
    for _ in range(n):
        try:
            ok = c.send(bytes(CHUNK))
        except OSError:  # ended (maxQueue): ENOTCONN until the disconnection event
            return
        if not ok and opt["polite"]:
            pushing[c] = True
            return


def tick(_):
    # push mode: every 20 ms, 2 KB more to every connection (100 KB/s: any reader keeps up).
    for c in list(pushing):
        push(c, 2)
    if running[0]:
        pusher.start(20)


def on_disconnection(c, err):
    count["ends"] += 1
    pushing.pop(c, None)
    if not quiet or err:
        say("END", err)


def on_error(c, e):
    count["errors"] += 1
    say("ERROR", type(e).__name__, e)
    c.close()


def on_connection(srv, c):
    if opt["sndbuf"]:
        c._sock.setsockopt(1, 7, opt["sndbuf"])  # SOL_SOCKET, SO_SNDBUF (Linux numbers)
    c.on("receive", on_receive)
    c.on("drain", on_drain)
    c.on("disconnection", on_disconnection)
    if opt["boom"] or opt["oom"]:
        c.on("error", on_error)
    if not quiet:
        say("CONN")
    if opt["mode"] == "push":
        pushing[c] = False
        push(c)


def on_drop(srv, port, ip):
    count["drops"] += 1
    if not quiet:
        say("DROP", ip)


def on_srv_error(srv, e):
    say("SRV-ERROR", e.args[0] if e.args else e)


if opt["hwm"] is not None or opt["maxq"] is not None:
    from net._sock import Socket

    if opt["hwm"] is not None:
        Socket.highWaterMark = opt["hwm"]
    if opt["maxq"] is not None:
        Socket.maxQueue = opt["maxq"]

running = [True]
if opt["mode"] == "push":
    from net._loop import Timer

    pusher = Timer(tick)
    pusher.start(20)

srv = net.createServer(net.TCP, opt["timeout"])
if opt["max"] is not None:
    srv.maxConnections = opt["max"]
srv.dropIdleWhenFull = bool(opt["full"])
srv.on("connection", on_connection)
srv.on("drop", on_drop)
srv.on("error", on_srv_error)
srv.listen(0, BOARD_IP)


def faults():
    f = sys.modules.get("net_faults")
    if f is None:
        return "-"
    return ";".join("%s:%d" % (k, f.stats[k]) for k in sorted(f.stats) if f.stats[k])


def net_objects():
    if MP:
        return -1
    from net._sock import Socket as S

    return sum(1 for o in gc.get_objects() if type(o) is S)


udp_count = [0]


def on_datagram(u, data, port, ip):
    udp_count[0] += 1


def on_ctl(c, d):
    for cmd in d.split():
        if cmd == b"STATS":
            gc.collect()
            heap = gc.mem_alloc() if MP else -1
            say("STATS", len(loop._owners), len(loop._timers), len(srv._conns), heap, net_objects(), faults())
            say("COUNT", count["answers"], count["ends"], count["drops"], count["errors"], udp_count[0])
        elif cmd.startswith(b"FAULTS="):
            sys.modules["net_faults"].configure(cmd[7:].decode())
            say("ARMED")
        elif cmd == b"QUIT":
            running[0] = False
            if udp is not None:
                udp.close()
            srv.close()
            ctl.close()
            c.close()


ctl = net.createServer(net.TCP, 3600)
ctl.on("connection", lambda s, c: c.on("receive", on_ctl))
ctl.listen(0, BOARD_IP)
udp = None
if opt["udp"]:
    udp = net.createUDPSocket()
    udp.on("receive", on_datagram)
    udp.listen(0, BOARD_IP)
    say("UDP", udp.getaddr()[0])
say("PORT", srv.getaddr()[0])
say("CTL", ctl.getaddr()[0])
net.run()
say("DONE")
