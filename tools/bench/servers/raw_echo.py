# tools/bench/servers/raw_echo.py - the floor: an echo server in the least Python possible.
# MIT licence, see LICENSE.
#
# Blocking sockets multiplexed with one select.poll: poll says which socket is ready, then a
# plain recv() and a blocking write() (which sends all of it). No objects per connection, no
# callbacks, no timers, no error events: what net's and asyncio's machinery costs shows as the
# distance to this loop. It serves many connections at once (not one at a time), so its figures
# compare like for like with the event-driven servers.
# Run: micropython -m raw_echo PORT [READSIZE]  (prints "IMPORT <bytes>" and "PORT <n>", then serves)
import gc
import sys
import benchctl

gc.collect()
_h0 = gc.mem_alloc()
import socket
import select
gc.collect()
print("IMPORT", gc.mem_alloc() - _h0)

port = int(sys.argv[1])
# The most one recv() returns: the runner passes net's own default (Socket.recvSize).
chunk = int(sys.argv[2]) if len(sys.argv) > 2 else 1460
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(socket.getaddrinfo("127.0.0.1", port)[0][-1])
ls.listen(128)
stdin = sys.stdin
p = select.poll()
p.register(ls, select.POLLIN)
p.register(stdin, select.POLLIN)
print("PORT", port)


def serve():
    while True:
        for s, ev in p.ipoll(-1):
            if s is ls:
                try:
                    c, a = ls.accept()
                    p.register(c, select.POLLIN)
                except OSError:
                    print("ACCEPT-FAILED OSError")  # constant strings: no heap needed to say it
                except MemoryError:
                    print("ACCEPT-FAILED MemoryError")
            elif s is stdin:
                benchctl.command(stdin.readline())
            else:
                try:
                    data = s.recv(chunk)
                    if data:
                        s.write(data)
                        continue
                except OSError:
                    pass
                except MemoryError:
                    print("RECV-FAILED MemoryError: connection closed")
                p.unregister(s)
                s.close()


serve()
