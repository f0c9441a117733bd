# tests/flood_peer.py - a UDP flood, run by tests/test_hostile.py in a process of its own: to
# argv[2]:argv[1] (the board), for at most 10 s, at full speed or at argv[3] datagrams a second
# (sent 1 ms's worth at a time); on SIGTERM it prints how many it sent. MIT licence, see LICENSE.
import signal, socket, sys, time
sent = 0
def done(*_):
    print(sent)
    sys.exit(0)
signal.signal(signal.SIGTERM, done)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
msg = b"f" * 512
to = (sys.argv[2], int(sys.argv[1]))
rate = int(sys.argv[3])
start = time.monotonic()
end = start + 10
while time.monotonic() < end:
    if rate:
        ahead = (sent + 1) / rate - (time.monotonic() - start)
        if ahead > 0.001:
            time.sleep(ahead)
    try:
        u.sendto(msg, to)
        sent += 1
    except OSError:
        pass
done()
