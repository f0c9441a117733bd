# tests/scenarios/tcp_util.py - helpers for the TCP scenarios: print every event, one a line.
# MIT licence, see LICENSE.
from scen import say


def err_line(e):
    # An exception as "Type errno message" (the message without MicroPython's "[Errno n] X:"
    # prefix, so both targets print the same).
    # CPython raises OSError subclasses by errno (BlockingIOError for EALREADY...): print the
    # base name, which is what the API promises (isinstance(e, OSError) and e.errno).
    a = e.args
    if isinstance(e, OSError) and len(a) >= 2:
        return "OSError %s %s" % (a[0], a[1])
    if isinstance(e, OSError) and a:
        return "OSError %s" % a[0]
    return "%s %s" % (type(e).__name__, e)


def attempt(label, fn, *args):
    # Call fn(*args); print label and what it returned or raised.
    try:
        r = fn(*args)
        say(label, "OK", r)
        return r
    except Exception as e:
        say(label, err_line(e))


def log_socket(s, name="S", reconnection=False):
    s.on("connection", lambda s: say(name, "CONNECTION"))
    if reconnection:
        s.on("reconnection", lambda s, e: say(name, "RECONNECTION", e))
    s.on("disconnection", lambda s, e: say(name, "DISCONNECTION", e))
    s.on("receive", lambda s, d: say(name, "RECEIVE", repr(bytes(d))))
    s.on("sent", lambda s: say(name, "SENT"))
    s.on("drain", lambda s: say(name, "DRAIN"))
    s.on("dns", lambda s, ip: say(name, "DNS", ip))
    s.on("error", lambda s, e: say(name, "ERROR", err_line(e)))


def log_server(srv, name="SRV"):
    srv.on("listening", lambda s: say(name, "LISTENING", s.getaddr()[0]))
    srv.on("close", lambda s: say(name, "CLOSE"))
    srv.on("error", lambda s, e: say(name, "ERROR", err_line(e)))
    srv.on("drop", lambda s, port, ip: say(name, "DROP", ip))
