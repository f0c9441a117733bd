# A client whose peer never reads: send() says False, then maxQueue ends the connection (ENOBUFS),
# for tests/test_hostile.py.
# MIT licence, see LICENSE. argv: bytes per send, the test's server port.
import net
from scen import say, arg, HOST_IP
from tcp_util import log_socket, err_line
CHUNK = arg(0)
s = net.createConnection()
s.highWaterMark = 1024
s.maxQueue = 4096
log_socket(s, "C")
state = {"n": 0, "taken": 0}
def cb(sock):
    state["n"] += 1
def go(sock):
    # SO_SNDBUF (Linux 1, 7): a few KB of send buffer, as lwIP has (TCP_SND_BUF 2920 on ESP8266,
    # 5744 on ESP32). The chips have no such option (their setsockopt would only print a
    # warning): under a board personality it is set on the real socket beneath the emulated one.
    getattr(sock._sock, "_r", sock._sock).setsockopt(1, 7, 4096)
    r = True
    for i in range(4000):            # the peer never reads: the queue builds up
        r = sock.send(bytes(CHUNK), cb)
        if sock._queue is None:
            state["taken"] += 1      # the stack took it whole: its callback is due
        if not r:
            break
    say("FALSE-AFTER", i > 0)
    sent = 0
    while sent <= 4096:              # go on regardless: 4096 more bytes are allowed
        r = sock.send(bytes(CHUNK), cb)
        if not r and sock._queued == 0:
            break
        sent += CHUNK
    say("ENDED-AFTER", sent)
    try:
        sock.send(b"more")
    except OSError as e:
        say("SEND-AFTER", err_line(e))
    say("CALLBACKS-SO-FAR", state["n"])
s.on("connection", go)
s.connect(arg(1), HOST_IP)
net.run()
say("CALLBACKS", state["n"], state["taken"])
