# tools/bench/servers/asyncio_echo.py - the reference: an echo server on MicroPython's asyncio.
# MIT licence, see LICENSE.
#
# asyncio.start_server and a read/write/drain loop per connection, the way MicroPython's docs
# write a server. asyncio is frozen into the unix port (its bytecode is not on the heap), but
# importing it still creates its module objects on the heap: "IMPORT" reports that cost.
# Run: micropython -m asyncio_echo PORT [READSIZE]  (prints "IMPORT <bytes>" and "PORT <n>", then serves)
import gc
import sys
import benchctl

gc.collect()
_h0 = gc.mem_alloc()
import asyncio

asyncio.start_server  # asyncio loads its stream module on first use: count it in IMPORT
gc.collect()
print("IMPORT", gc.mem_alloc() - _h0)


# The most one read() returns: the runner passes net's own default (Socket.recvSize).
chunk = int(sys.argv[2]) if len(sys.argv) > 2 else 1460


async def echo(reader, writer):
    try:
        while True:
            data = await reader.read(chunk)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    except MemoryError:
        print("ECHO-FAILED MemoryError: connection closed")  # constant: no heap needed
    try:
        writer.close()
        await writer.wait_closed()
    except (OSError, MemoryError):
        pass


async def control():
    r = asyncio.StreamReader(sys.stdin)
    while True:
        benchctl.command(await r.readline())


async def main(port):
    srv = await asyncio.start_server(echo, "127.0.0.1", port, backlog=128)
    print("PORT", port)
    asyncio.create_task(control())
    await srv.wait_closed()


asyncio.run(main(int(sys.argv[1])))
