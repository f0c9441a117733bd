# examples/hello_server.py - NodeMCU's "hello" web server, translated line by line.
# MIT licence, see LICENSE.
#
# The NodeMCU original (Lua):
#   srv = net.createServer(net.TCP)
#   srv:listen(80, function(conn)
#     conn:on("receive", function(sck, payload)
#       print(payload)
#       sck:send("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<h1> Hello, NodeMCU.</h1>")
#     end)
#     conn:on("sent", function(sck) sck:close() end)
#   end)
#
# Run: micropython examples/hello_server.py [port]   (default 8080; `make demo` does this)
# then: curl http://127.0.0.1:8080/
import sys
import net

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080

srv = net.createServer(net.TCP)
def on_connection(conn):
    def on_receive(sck, payload):
        print(payload)
        sck.send("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<h1> Hello, NodeMCU.</h1>")
    conn.on("receive", on_receive)
    conn.on("sent", lambda sck: sck.close())
srv.listen(port, on_connection)

print("PORT", srv.getaddr()[0])
net.run()
