# tests/scenarios/connect_probe.py - what a port's own socket says about a non-blocking connect.
# MIT licence, see LICENSE.
#
# net confirms a connect with a second connect() call (net/_client.py, Client._confirm). This
# scenario asks the runtime's socket module directly (through net's runtime adapter only for the
# address form), so the test can hold each target (the unix port, CPython and the ESP32/ESP8266
# personalities) to what its firmware or kernel really answers.
# Usage: connect_probe.py <mode> <port>; mode "refused", "connected" or "pending".
from scen import say, arg, HOST_IP
from net import _rt

mode = arg(0)
port = arg(1)


def call(label, fn, *a):
    try:
        r = fn(*a)
        say(label, "OK" if r is None else repr(r))
    except OSError as e:
        say(label, _rt.errno_of(e))


s = _rt.new_socket()
addr = _rt.sockaddr(HOST_IP, port)  # the test's listener
call("FIRST", s.connect, addr)
if mode == "pending":
    # The peer's accept queue is full: the SYN waits unanswered, the connect is in progress.
    call("AGAIN", s.connect, addr)
else:
    p = _rt.Poll()
    p.register(s, _rt.POLLIN | _rt.POLLOUT)
    ev = 0
    for _ in range(50):  # at most 5 s
        for _o, e in p.ipoll(100):
            ev = e
            break
        if ev:
            break
    say("POLLED", 1 if ev else 0)
    call("AGAIN", s.connect, addr)
    call("AGAIN2", s.connect, addr)
    if mode == "refused":
        call("RECV", s.recv, 1)
    p.unregister(s)
s.close()
say("DONE")
