# examples/nodemcu/node_server_address.py - Node.js's net docs (nodejs.org/api/net.html), section
# "server.address()", example (a server that says goodbye, listening on an arbitrary port).
# MIT licence, see LICENSE.
#
#   python node_server_address.py
#
# Line by line, with these differences:
# - `socket.end('goodbye\n')` is `send` then `close` (net's close sends what is queued first;
#   net has no end());
# - `.on('error', ...)` chains: net's on() returns None, so it is a statement of its own;
# - `throw err` is `raise err`: net prints an error handler's exception and goes on (the server
#   is never closed for it), where Node would stop the process;
# - console.log of an object prints the dict address() returns;
# - net.run() at the end: Node runs its loop itself.
import net


def on_connection(socket):
    socket.send("goodbye\n")
    socket.close()


server = net.createServer(on_connection)


def on_error(server, err):
    # Handle errors here.
    raise err


server.on("error", on_error)

# Grab an arbitrary unused port.
server.listen(lambda srv: print("opened server on", server.address()))
net.run()
