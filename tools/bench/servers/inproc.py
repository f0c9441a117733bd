# tools/bench/servers/inproc.py - an echo server and its clients in one MicroPython process, for
# counting instructions (tools/bench/instr.py runs it under valgrind).
# MIT licence, see LICENSE.
#
# Timings on a shared machine move by tens of percent between runs; the instructions a run
# executes do not. Here nothing waits: the clients use blocking sockets, and the server turns
# only when they have sent (loop.poll(0) for net, ipoll(0) for the raw loop), so that one run
# of N operations always executes the same code.
#   micropython -m inproc N WHAT SERVER [PORT]
#   WHAT: "msg"  N rounds of 4 clients sending 32 bytes and reading the echo (a message each)
#         "conn" N short connections: connect, 32 bytes each way, close
#   SERVER: "net" (createServer, receive -> send) or "raw" (poll, readinto, bytes, send)
import socket
import sys

N = int(sys.argv[1])
WHAT = sys.argv[2]
SERVER = sys.argv[3]
PORT = int(sys.argv[4]) if len(sys.argv) > 4 else 18557
MSG = b"y" * 32
addr = socket.getaddrinfo("127.0.0.1", PORT)[0][-1]

if SERVER == "net":
    import net
    from net._loop import loop

    def on_receive(s, d):
        s.send(d)

    def on_connection(s):
        s.on("receive", on_receive)

    srv = net.createServer(net.TCP, 300)
    srv.listen(PORT, "127.0.0.1", on_connection)
    turn = loop.poll
    turn(0)  # `listening`: the listener is polled from this turn on
else:
    import select

    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(addr)
    ls.listen(16)
    p = select.poll()
    p.register(ls, select.POLLIN)
    buf = bytearray(1460)

    def turn(t):
        for s, ev in p.ipoll(t):
            if s is ls:
                c, a = ls.accept()
                c.setblocking(False)
                p.register(c, select.POLLIN)
            else:
                k = s.readinto(buf)
                if k:
                    s.send(bytes(memoryview(buf)[:k]))
                else:
                    p.unregister(s)
                    s.close()


def rounds(n, cs):
    for _ in range(n):
        for c in cs:
            c.send(MSG)
        turn(0)
        for c in cs:
            c.recv(64)


def conns(n):
    for _ in range(n):
        c = socket.socket()
        c.connect(addr)
        turn(0)  # accept
        c.send(MSG)
        turn(0)  # read and echo
        c.recv(64)
        c.close()
        turn(0)  # the end


if WHAT == "msg":
    cs = []
    for _ in range(4):
        c = socket.socket()
        c.connect(addr)
        turn(0)
        cs.append(c)
    rounds(N, cs)
else:
    # One connection stays open throughout, idle: the bench keeps 8 in flight, so a server's
    # connection list is almost never empty there (its inactivity timer neither starts nor
    # stops per connection: counted, 5 times in 36,000 connections).
    idle = socket.socket()
    idle.connect(addr)
    turn(0)
    conns(N)
print("DONE", N, WHAT, SERVER)
