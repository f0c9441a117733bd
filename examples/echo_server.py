# examples/echo_server.py - a TCP echo server: every byte received goes back to its sender.
# MIT licence, see LICENSE.
#
# Run: micropython examples/echo_server.py [port]   (default 8081; 0 picks a free port)
# Prints "PORT n" once listening (the benchmarks read it). Backpressure: when a peer sends
# faster than it reads, send() returns False; reading from that peer stops (hold) until its
# queue has drained, so memory stays bounded whatever the peer does.
import sys
import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8081


def on_receive(sock, data):
    if not sock.send(data):
        sock.hold()  # too much queued: stop reading until `drain`


def on_drain(sock):
    sock.unhold()


def on_connection(sock):
    # Module-level handlers: every connection ends up sharing one handler list.
    sock.on("receive", on_receive)
    sock.on("drain", on_drain)


srv = net.createServer(net.TCP, 300)
srv.listen(port, "0.0.0.0", on_connection)
print("PORT", srv.getaddr()[0])
net.run()
