# tools/bench/servers/board_cost.py - what a server holds in a board's heap, net against asyncio.
# MIT licence, see LICENSE.
#
# Runs on the 32-bit unix firmware with net and asyncio frozen in (a board's pointer size, its
# modules in flash): tools/bench/board.py starts it and reads its lines. Every figure is live
# heap (gc.collect(), then gc.mem_alloc()) less the heap at the start of this script, so the
# script's own code is not counted; both servers echo, with the same read size.
#   micropython -X heapsize=38K board_cost.py tcp-net|tcp-asyncio|udp-net|dns-net PORT
# prints "LISTEN <bytes>" (import, create, listen: nothing connected yet), then answers each
# "heap" line on stdin with "HEAP <bytes> <open connections>"; dns-net prints "LOADED <bytes>"
# (net and net.dns imported) and "INFLIGHT <bytes>": what one lookup waiting for its answer adds.
import gc
import sys

mode = sys.argv[1]
port = int(sys.argv[2])
CHUNK = 1460  # net's Socket.recvSize: asyncio reads as much


def heap():
    gc.collect()
    gc.collect()
    return gc.mem_alloc()


def net_receive(c, data):
    c.send(data)


def net_connection(c):
    c.on("receive", net_receive)


def answer(line):
    if not line:
        sys.exit(0)  # the runner went away
    print("HEAP", heap() - base, count())


async def aio_echo(r, w):
    opened[0] += 1
    try:
        while True:
            data = await r.read(CHUNK)
            if not data:
                break
            w.write(data)
            await w.drain()
    except OSError:
        pass
    opened[0] -= 1
    w.close()
    await w.wait_closed()


async def aio_control():
    r = asyncio.StreamReader(sys.stdin)
    while True:
        answer(await r.readline())


async def aio_main():
    srv = await asyncio.start_server(aio_echo, "127.0.0.1", port, backlog=8)
    print("LISTEN", heap() - base)
    asyncio.create_task(aio_control())
    await srv.wait_closed()


class Control:
    # stdin as one more owner on net's loop
    def _io(self, events):
        answer(sys.stdin.readline())


def dns_answer(host, ip):
    print("ANSWER", ip)


opened = [0]
base = heap()
if mode == "tcp-net":
    import net

    srv = net.createServer(net.TCP, 300)
    srv.listen(port, "127.0.0.1", net_connection)
    net.poll(0)  # `listening`: the listener is registered with the loop on this turn
    print("LISTEN", heap() - base)
    count = lambda: len(srv._conns)  # noqa: E731
    from net._loop import loop

    loop.add(sys.stdin, Control(), 1)
    net.run()
elif mode == "tcp-asyncio":
    import asyncio

    count = lambda: opened[0]  # noqa: E731
    asyncio.run(aio_main())
elif mode == "udp-net":
    import net

    u = net.createUDPSocket()
    u.listen(port, "127.0.0.1")
    print("LISTEN", heap() - base)
elif mode == "dns-net":
    import net

    net.dns.setdnsserver("127.0.0.1")  # nothing answers there: the lookup stays in flight
    loaded = heap()
    print("LOADED", loaded - base)
    net.dns.resolve("board-cost.test", dns_answer)
    print("INFLIGHT", heap() - loaded)
else:
    print("UNKNOWN MODE", mode)
