# examples/udp_echo.py - a UDP echo server: every datagram goes back to whoever sent it.
# MIT licence, see LICENSE.
#
#   micropython examples/udp_echo.py [port]       (default 7, the echo port; 0: a free port)
#   then, from another shell:  echo hello | nc -u -w1 127.0.0.1 7
import sys

import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 7


def on_receive(sock, data, port, ip):
    # port and ip are the sender's: the reply goes straight back to it.
    print("from %s:%d: %d bytes" % (ip, port, len(data)))
    sock.send(port, ip, data)


udp = net.createUDPSocket()
udp.on("receive", on_receive)
udp.on("error", lambda sock, err: print("error:", err))
udp.listen(port)
print("udp echo listening on port", udp.getaddr()[0])
net.run()
