# Tests of how net confirms a TCP connect (net/_client.py, Client._confirm) on every target, and of
# what each target's own socket answers to the second connect() that net relies on.
# MIT licence, see LICENSE.
#
# A poll answer alone proves nothing about a non-blocking connect: ESP32's lwIP marks a refused
# socket readable and writable without POLLERR, ESP8266's modlwip marks a socket writable while it
# is still connecting. net asks the port with a second connect(): connected (None, EISCONN), still
# connecting (EALREADY) or failed (the errno, or for lwIP ENOTCONN/EBADF and the reason on recv).
import socket
import threading
import time

import harness
from peers import listener


def full_listener():
    # A listener whose accept queue is full (backlog 0 holds one connection, which a host socket
    # takes): Linux drops further SYNs, so a connect stays in progress until the queue has room
    # again and the client's SYN retransmission (after 1 s) gets through.
    ls, port = listener(0)
    filler = socket.create_connection((harness.host_ip(), port), timeout=10)
    return ls, port, filler


# --- the ports' own answers ------------------------------------------------------------------
def test_second_connect_on_a_refused_socket(run, target):
    ls, port = listener()
    ls.close()  # nothing listens there
    s = run("connect_probe", "refused", port)
    first = s.expect("FIRST")
    if target.modlwip:
        # modlwip's connect() polls the stack once (1 ms) before it says EINPROGRESS: over the
        # TAP link the host's RST is in by then, and the refusal is connect()'s own answer (a
        # board on Wi-Fi sees either, as the RST comes before or after that millisecond).
        assert first in (str(target.errno("EINPROGRESS")), str(target.errno("ECONNRESET")))
    else:
        assert first == str(target.errno("EINPROGRESS"))
    assert s.expect("POLLED") == "1"
    if target.chip == "esp32":
        # lwIP 2.1 netconn: the failed pcb is gone, connect says ERR_CLSD (ENOTCONN) and the
        # reason waits for recv (ERR_RST, ECONNRESET); it stays there for every later call.
        assert s.expect("AGAIN") == str(target.errno("ENOTCONN"))
        assert s.expect("AGAIN2") == str(target.errno("ENOTCONN"))
        assert s.expect("RECV") == str(target.errno("ECONNRESET"))
    elif target.chip in ("esp8266", "rp2"):
        # modlwip: no pcb -> EBADF before anything else; recv reports ERR_RST once.
        assert s.expect("AGAIN") == str(target.errno("EBADF"))
        assert s.expect("AGAIN2") == str(target.errno("EBADF"))
        assert s.expect("RECV") == str(target.errno("ECONNRESET"))
    else:
        # Linux (unix port, CPython): the pending error is the connect's answer, once; the
        # next connect starts a new attempt.
        assert s.expect("AGAIN") == str(target.errno("ECONNREFUSED"))
        assert s.expect("AGAIN2") == str(target.errno("EINPROGRESS"))
    s.expect("DONE")
    s.wait()


def test_second_connect_on_a_connected_socket(run, target):
    ls, port = listener()
    s = run("connect_probe", "connected", port)
    first = s.expect("FIRST")
    if target.modlwip:
        # modlwip's connect() polls the stack once (1 ms) before it says EINPROGRESS: over the
        # TAP link the handshake is often over by then, and connect() returns None.
        assert first in (str(target.errno("EINPROGRESS")), "OK")
    else:
        assert first == str(target.errno("EINPROGRESS"))
    assert s.expect("POLLED") == "1"
    if target.chip:
        # lwIP: ERR_ISCONN from the first look on.
        assert s.expect("AGAIN") == str(target.errno("EISCONN"))
    else:
        # Linux: the first connect() after the handshake completes it and returns 0.
        assert s.expect("AGAIN") == "OK"
    assert s.expect("AGAIN2") == str(target.errno("EISCONN"))
    s.expect("DONE")
    s.wait()
    ls.close()


def test_second_connect_while_connecting(run, target):
    ls, port, filler = full_listener()
    s = run("connect_probe", "pending", port)
    assert s.expect("FIRST") == str(target.errno("EINPROGRESS"))
    assert s.expect("AGAIN") == str(target.errno("EALREADY"))
    s.expect("DONE")
    s.wait()
    filler.close()
    ls.close()


# --- what the user sees ----------------------------------------------------------------------
def test_slow_connect_fires_connection_once_established(run, target):
    # ESP8266's modlwip polls a connecting socket writable: net used to fire `connection` at
    # once. Now nothing fires until the handshake is done, and net does not spin meanwhile.
    ls, port, filler = full_listener()
    s = run("connect_slow", port)
    s.expect("CONNECTING")
    time.sleep(0.5)  # the SYN waits unanswered: no connection can exist yet
    assert "C CONNECTION" not in s.output
    assert "DISCONNECTION" not in s.output
    filler.close()
    ls.accept()[0].close()  # the filler: the queue has room again
    a, _ = ls.accept()  # net's connect, once its SYN is retransmitted
    a.settimeout(10)
    assert a.recv(100) == b"early"
    s.expect("C CONNECTION")
    turns, ms = (int(x) for x in s.expect("TURNS").split())
    # Turns per second while connecting: about 2 on ports that poll a connecting socket as not
    # ready, about 180 on ESP8266 (two turns per 10 ms look). A loop that spins on the writable
    # socket makes about 900 here (the personality's poll sleeps 1 ms), thousands on a board.
    assert turns * 1000 < 400 * max(ms, 1), (turns, ms)
    a.close()
    assert s.expect("C DISCONNECTION") == "0"
    s.expect("DONE")
    s.wait()
    assert s.output.count("C CONNECTION") == 1
    assert s.output.count("DISCONNECTION") == 1
    ls.close()


def test_peer_closes_before_the_first_look(run, target):
    # modlwip says EALREADY to a second connect() once the peer's FIN is in (PEER_CLOSED), but
    # polls the socket readable: net takes that as connected. Every target: connection, the
    # data, a clean disconnection; nothing else.
    ls, port = listener()

    def peer():
        a, _ = ls.accept()
        a.sendall(b"hi")
        a.close()

    t = threading.Thread(target=peer, daemon=True)
    t.start()
    s = run("connect_fast_close", port)
    s.expect("CONNECTING")
    assert s.line() == "C CONNECTION"
    assert s.line() == "C RECEIVE b'hi'"
    assert s.line() == "C DISCONNECTION 0"
    assert s.line() == "DONE"
    s.wait()
    assert "RECONNECTION" not in s.output
    t.join(10)
    ls.close()


def test_refused_fires_one_event_with_the_ports_errno(run, target):
    # ESP32's lwIP marks a refused socket writable without POLLERR: net used to fire
    # `connection` and then `reconnection 104`. Now one event, the port's errno.
    ls, port = listener()
    ls.close()
    s = run("connect_refused_once", port)
    assert s.line() == "C RECONNECTION %d" % target.refused
    assert s.line() == "DONE"
    s.wait()
    assert "CONNECTION" not in s.output.replace("RECONNECTION", "")
