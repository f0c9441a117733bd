# examples/chat_server.py - a chat server: every line a client sends goes to all the others.
# MIT licence, see LICENSE.
#
# Run: micropython examples/chat_server.py [port]   (default 8023), then `nc 127.0.0.1 8023`
# from several terminals. Prints "PORT n" once listening. Each client is greeted with its
# name ("you are 127.0.0.1:port"), and the others hear when it joins and leaves. Clients idle
# for 10 minutes are disconnected (the server's inactivity timeout).
import sys
import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8023
clients = {}  # each connected socket's name ("ip:port"): a socket forgets its peer once it ends


def broadcast(text, but=None):
    for c in clients:
        if c is not but:
            c.send(text)


def on_receive(sock, data):
    broadcast("%s> %s" % (clients[sock], data.decode()), sock)


def on_disconnection(sock, err):
    name = clients.pop(sock, None)
    if name is not None:
        broadcast("* %s left\n" % name)


def on_connection(sock):
    port, ip = sock.getpeer()
    name = "%s:%d" % (ip, port)
    sock.on("receive", on_receive)
    sock.on("disconnection", on_disconnection)
    sock.send("you are %s\n" % name)
    broadcast("* %s joined\n" % name)
    clients[sock] = name


srv = net.createServer(net.TCP, 600)
srv.listen(port, on_connection)
print("PORT", srv.getaddr()[0])
net.run()
