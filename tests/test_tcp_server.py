# Tests of net.createServer and net.server (API.md, "net.server"): every row, on every target.
# The scenario is the server; pytest is the client. MIT licence, see LICENSE.
import os
import socket
import tempfile
import time

import pytest

from peers import connect, recv_all


# What each of scenarios/tcp_server_create_checks.py's calls of net.createServer returns or
# raises, by its label (tcp_util.attempt prints "label OK result" or "label <the error>").
CREATE_SERVER = (
    ("T0", "ValueError timeout must be in 1..28800 (seconds), got 0"),
    # the ESP8266 branch's createServer(timeout)
    ("T3", "OK 3000"),
    ("T30", "OK 30000"),
    ("TSTR", "ValueError type must be net.TCP (1) or net.UDP (2), got 'tcp'"),
    ("TTRUE", "ValueError type must be net.TCP (1) or net.UDP (2), got True"),
    ("N0", "ValueError timeout must be in 1..28800 (seconds), got 0"),
    ("N1", "OK Server"),
    ("NMAX", "OK Server"),
    ("NBIG", "ValueError timeout must be in 1..28800 (seconds), got 28801"),
    ("NFLOAT", "TypeError timeout must be an int in 1..28800 (seconds), not float"),
    ("NSTR", "TypeError timeout must be an int in 1..28800 (seconds), not str"),
)


def test_createServer_validates_type_and_timeout(run):
    s = run("tcp_server_create_checks")
    assert s.expect("TYPE") == "Server Server"
    assert s.expect("UDP") == "udpsocket"
    for label, want in CREATE_SERVER:
        assert s.expect(label) == want
    s.expect("DONE")
    s.wait()


def server(run, name):
    # The server scenario `name` started (it ends with tcp_run.serve: "PORT n"); -> (scenario, its port).
    s = run(name)
    return s, int(s.expect("PORT"))


def test_listen_forms_ports_and_errors(run, target):
    free = socket.socket()
    free.bind((target.host_ip, 0))  # a free port (on loopback targets the board's stack is the host's)
    fixed = free.getsockname()[1]
    free.close()
    s = run("tcp_server_listen_forms", fixed)
    ports = {}
    for name in ("A", "B", "C", "D", "E"):
        f = s.expect(name + " ").split()
        ports[name] = int(f[0])
        assert 1 <= ports[name] <= 65535
        if name == "A":
            assert f[1:] == ["0.0.0.0", "True", "IPv4", "0.0.0.0"]
        else:
            assert f[1] == (s.ip if name in "BCE" else "0.0.0.0")
    assert ports["D"] == fixed
    assert s.expect("TWICE") == "OSError %d listen: the server is already listening" % target.errno("EALREADY")
    assert s.expect("IPIP") == "TypeError listen(ip, [callback]): no second address after the ip"
    assert s.expect("BADPORT") == "ValueError port must be in 0..65535, got -1"
    assert s.expect("BADPORT") == "ValueError port must be in 0..65535, got 65536"
    assert s.expect("BADPORT") == "TypeError port must be an int in 0..65535, not float"
    assert s.expect("BADPORT") == "TypeError port must be an int in 0..65535 (or a unix-domain path with a '/'), not str"
    assert s.expect("BADPORT") == "TypeError port must be an int in 0..65535, not NoneType"
    assert s.expect("BADIP") == "ValueError ip must be a dotted quad like '192.168.4.1', got '256.1.1.1'"
    assert s.expect("BADIP2") == "ValueError ip must be a dotted quad like '192.168.4.1', got 'localhost'"
    assert s.expect("BADOPT") == "ValueError options: unknown key 'ipv6Only'; known: port, host, backlog, path, exclusive"
    assert s.expect("BADCB") == "TypeError callback must be callable, not int"
    s.expect("READY")
    # `listening` fired for each of the five, on a later turn, with the port readable; the
    # options form's callback ran then, once, given the server.
    got = sorted(int(s.expect("SRV LISTENING")) for _ in range(5))
    assert got == sorted(ports.values())
    assert s.output.count("C-LISTENING") == 1 and "C-LISTENING True %d" % ports["C"] in s.output
    # The ports are true: each one answers, and the accepted socket knows both ends.
    for name, p in ports.items():
        c = connect(p)
        local = c.getsockname()[1]
        peer, mine = s.expect("CONN").split()
        assert int(peer) == local and int(mine) == p
        c.sendall(b"ping " + name.encode())
        assert c.recv(100) == b"ping " + name.encode()
        c.close()


def test_address_in_use_is_an_error_event_close_follows_and_listen_works_again(run, target):
    # The port is made busy on the board itself (a plain socket of the scenario listens on it),
    # so the board's own stack refuses it. Then Node's documented retry: on the error, close()
    # (a `close` event, and its callback told the server was not listening), and listen again.
    s = run("tcp_server_address_in_use")
    port = int(s.expect("AFTER-LISTEN").split()[0])  # listen() itself did not raise
    assert s.expect("SRV ERROR") == "OSError %d listen on %s:%d failed" % (target.errno("EADDRINUSE"), s.ip, port)
    assert s.expect("STATE") == "(None, None) None"
    s.expect("SRV CLOSE")
    assert s.expect("CLOSE-CB") == "OSError %d server is not listening" % target.errno("ENOTCONN")
    p2 = int(s.expect("AGAIN"))
    assert int(s.expect("SRV LISTENING")) == p2
    c = connect(p2)
    s.expect("CONN")
    c.close()


@pytest.mark.parametrize("mode", ["node", "nodemcu"])
def test_listen_callback_forms_and_listening_comes_before_any_connection(run, target, mode):
    # A client already waiting in the backlog when the loop first turns: `listening` (and the
    # Node form's callback) fire first, then the connection.
    s = run("tcp_server_callback_forms", mode, 1)
    port = int(s.expect("PORT"))
    c = connect(port)
    assert recv_all(c) == b"hi"
    c.close()
    s.expect("CONN")
    lines = [ln for ln in s.lines if ln.split()[0] in ("EV-LISTENING", "LISTENING-CB", "CONN")]
    if mode == "node":
        assert lines[:3] == ["EV-LISTENING", "LISTENING-CB True", "CONN " + target.host_ip]
    else:
        assert lines[:2] == ["EV-LISTENING", "CONN " + target.host_ip]


def test_unix_domain_path(run, target, tmp_path):
    path = str(tmp_path / "net.sock")
    if target.chip:
        # No ESP port has AF_UNIX: listen(path) is refused at the call, nothing listens.
        s = run("tcp_server_unix_path_refused", path)
        assert s.expect("LISTEN") == "OSError %d listen: this runtime has no unix-domain sockets" % target.errno("EOPNOTSUPP")
        assert s.expect("ADDR") == "None (None, None)"
        s.wait()
        assert not os.path.exists(path)
        return
    s = run("tcp_server_unix_path", path)
    assert s.expect("ADDR") == "%s (None, '%s')" % (path, path)
    s.expect("SRV LISTENING")
    assert s.expect("LISTENING-CB") == path
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.settimeout(10)
    c.connect(path)
    assert s.expect("CONN") == "(None, None)"
    c.sendall(b"hi")
    assert c.recv(100) == b"unix:hi"
    c.close()


def test_default_backlog_holds_a_burst_of_connections(run, target):
    # A program busy for a moment (no loop turn, nothing accepted) while 40 clients connect at
    # once: on a host every handshake completes at once and each client is served afterwards.
    # With a queue of 4 the kernel dropped the SYNs beyond it and the clients sent them again
    # only a second later (seen with the bench's load client).
    if target.chip:
        pytest.skip("a board keeps lwIP's small queue (4); the emulator does not model lwIP's accept backlog")
    s = run("tcp_server_busy_backlog")
    port = int(s.expect("PORT"))
    t0 = time.monotonic()
    cs = [socket.create_connection((s.ip, port), timeout=1.5) for _ in range(40)]
    took = time.monotonic() - t0
    assert took < 1, "40 connects took %.2f s: SYNs were dropped and sent again" % took
    s.expect("AWAKE")
    for i, c in enumerate(cs):
        c.sendall(b"%d" % i)
    for i, c in enumerate(cs):
        assert recv_all(c, len(b"%d" % i)) == b"%d" % i
        c.close()


def test_listen_on_a_handle(run, target):
    s = run("tcp_server_handle")
    port, can = s.expect("PORT").split()
    known = s.expect("KNOWN")
    # The bound port and address, read back where the runtime can (CPython's getsockname; the
    # unix port's descriptor, through Linux's /proc/net/tcp); a board's sockets cannot tell.
    # (lwip-esp32's fileno() numbers lwIP's own sockets, not the host's descriptors; a
    # personality's sockets are host descriptors underneath.)
    can = "True" if can == "True" and not target.lwip else "False"
    assert known == ("True" if can == "True" else "(None, None)"), (known, can)
    fd = s.expect("FD")
    if target.kind == "cpython":
        assert fd.startswith("OSError %d" % target.errno("EBADF"))  # fd 999 is not open: CPython says so
    else:
        assert fd == "OSError %d listen: {'fd': n} needs a runtime that can wrap a file descriptor (CPython)" % target.errno("EOPNOTSUPP")
    assert s.expect("LISTENING-CB") == ("True" if can == "True" else "False")
    c = connect(int(port))
    c.sendall(b"x")
    assert c.recv(100) == b"handle:x"
    c.close()


@pytest.mark.targets("cpython", reason="only CPython can make a socket object of a file descriptor")
def test_listen_on_an_fd_handle(run):
    s = run("tcp_server_fd_handle")
    c = connect(int(s.expect("PORT")))
    c.sendall(b"y")
    assert c.recv(100) == b"fd:y"


def test_events_order_close_waits_for_last_connection_and_getConnections(run, target):
    s = run("tcp_server_events_and_close")
    port = int(s.expect("PORT"))
    s.expect("SRV LISTENING")
    a = connect(port)
    pa = a.getsockname()[1]
    assert int(s.expect("CB")) == pa
    assert int(s.expect("EV-CONNECTION")) == pa  # the listen callback, then the event
    b = connect(port)
    pb = b.getsockname()[1]
    assert int(s.expect("CB")) == pb
    a.sendall(b"count")
    s.expect("ASKED")  # asked: the answer comes on a later turn
    assert s.expect("COUNT") == "None 2"
    a.sendall(b"close-server")
    assert s.expect("CLOSE-CALLED") == "(None, None) None"
    # As in Node: a second close() finds the server not listening.
    assert s.expect("CLOSE-CB2") == "OSError %d server is not listening" % target.errno("ENOTCONN")
    # Not accepting any more (refused), but the open connections are served.
    with pytest.raises(OSError):
        connect(port).recv(1)
    b.sendall(b"still")
    assert s.expect("C RECEIVE") == "b'still'"
    a.close()
    assert s.expect("C DISCONNECTION") == "0"
    time.sleep(0.3)
    assert "SRV CLOSE" not in s.output  # one connection is still open
    b.close()
    assert s.expect("C DISCONNECTION") == "0"
    s.expect("SRV CLOSE")
    assert s.expect("CLOSE-CB") == "None"
    s.expect("RUN-RETURNED")  # nothing left to watch
    assert s.expect("NOT-LISTENING") == "OSError %d server is not listening" % target.errno("ENOTCONN")
    p2 = int(s.expect("PORT2"))
    c = connect(p2)
    assert int(s.expect("CB")) == c.getsockname()[1]
    c.close()


def echoed(c, msg):
    # True when the echo server gives msg back whole on c.
    c.sendall(msg)
    return c.recv(10) == msg


def test_max_connections_drops_extra_and_keeps_serving(run, target):
    s, port = server(run, "tcp_server_at_most_two")
    a, b = connect(port), connect(port)
    s.expect("CONN")
    s.expect("CONN")
    c = connect(port)
    assert s.expect("SRV DROP") == target.host_ip
    assert recv_all(c) == b""  # closed at once
    for x in (a, b):
        assert echoed(x, b"ok")
    a.close()
    assert s.expect("GONE") == "0"
    d = connect(port)  # room again
    assert int(s.expect("CONN")) == d.getsockname()[1]
    assert echoed(d, b"d")
    assert "DROP" not in "\n".join(s.rest())


def test_drop_idle_at_max_admits_the_newcomer_and_ends_the_idlest(run, target):
    # dropIdleAtMax: at maxConnections the connection idle longest (50 ms at
    # least) is ended with ECONNABORTED to admit the newcomer, instead of turning it away.
    s, port = server(run, "tcp_server_drop_idle_at_max")
    a = connect(port)
    assert int(s.expect("CONN")) == a.getsockname()[1]
    time.sleep(0.1)
    b = connect(port)
    assert int(s.expect("CONN")) == b.getsockname()[1]
    assert echoed(b, b"b")  # b is in use; a has been idle longest
    time.sleep(0.4)
    c = connect(port)
    assert s.expect("GONE") == "%d %d (None, None)" % (a.getsockname()[1], target.errno("ECONNABORTED"))
    assert int(s.expect("CONN")) == c.getsockname()[1]
    assert recv_all(a) == b""  # the idlest was ended
    for x in (b, c):
        assert echoed(x, b"ok")
    assert "DROP" not in "\n".join(s.rest())


def test_every_connection_starts_with_no_handlers(run, target):
    # NodeMCU starts every socket with no handlers (issue #19): handlers registered for the first
    # connection only must not run for the second. Connections that register the same handlers
    # still share one handler list (tests/test_tcp_mem.py holds the bytes per connection).
    s, port = server(run, "tcp_server_fresh_handlers")
    a = connect(port)
    assert s.expect("CONN") == "1"
    a.sendall(b"one")
    assert a.recv(10) == b"one"
    b = connect(port)
    assert s.expect("CONN") == "2"
    assert s.expect("HANDLERS") == "True"
    b.sendall(b"two")
    b.close()
    a.close()
    assert s.expect("FIRST-GONE") == "0"  # the first connection's end, and only it
    s.kill()
    out = s.output
    assert "FIRST-RECV b'two'" not in out and out.count("FIRST-GONE") == 1, out


def test_inactivity_timeout_closes_idle_client_not_busy_one(run, target):
    s, port = server(run, "tcp_server_idle_timeout")
    idle = connect(port)
    busy = connect(port)
    t0 = time.monotonic()
    # The busy client sends every 0.25 s for 3 s (three timeouts): never disconnected.
    idle_closed_at = None
    idle.setblocking(False)
    while time.monotonic() - t0 < 3.0:
        busy.sendall(b"x")
        busy.settimeout(5)
        assert busy.recv(10) == b"x"
        if idle_closed_at is None:
            try:
                if idle.recv(10) == b"":
                    idle_closed_at = time.monotonic() - t0
            except BlockingIOError:
                pass
        time.sleep(0.25)
    assert idle_closed_at is not None, "the idle client was not disconnected"
    assert 0.9 <= idle_closed_at <= 2.5, idle_closed_at
    port_s, err, _ = s.expect("DISCONNECTION").split()
    assert int(port_s) == idle.getsockname()[1] and int(err) == target.errno("ETIMEDOUT")
    busy.sendall(b"still here")
    assert busy.recv(100) == b"still here"
    assert "DISCONNECTION" not in "\n".join(s.rest())  # the busy one never was
    # Now idle too: it goes after a timeout.
    assert recv_all(busy, timeout=10) == b""
    port_s, err, _ = s.expect("DISCONNECTION").split()
    assert int(port_s) == busy.getsockname()[1] and int(err) == target.errno("ETIMEDOUT")
