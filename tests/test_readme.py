# The README's "Ten lines" example runs as printed, on every target, and answers an HTTP client.
# MIT licence, see LICENSE.
import os
import re
import socket
import time

from harness import ROOT, host_ip


def _ten_lines():
    text = open(os.path.join(ROOT, "README.md")).read()
    block = text.split("## Ten lines", 1)[1]
    return re.search(r"```python\n(.*?)```", block, re.S).group(1)


def _free_port():
    s = socket.socket()
    s.bind((host_ip(), 0))  # a free port (on loopback targets the board's stack is the host's)
    port = s.getsockname()[1]
    s.close()
    return port


def test_readme_ten_lines_example_serves_a_page(run):
    src = _ten_lines()
    assert "listen(8080, on_connection)" in src
    port = _free_port()
    # The only change: the port, so that parallel runs do not collide.
    s = run.code(src.replace("8080", str(port)))
    deadline = time.monotonic() + 15
    while True:
        try:
            c = socket.create_connection((s.ip, port), timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline or s.p.poll() is not None:
                s.fail("the README example never listened on %d" % port)
            time.sleep(0.1)
    c.sendall(b"GET / HTTP/1.0\r\n\r\n")
    got = b""
    while True:
        d = c.recv(4096)
        if not d:
            break
        got += d
    assert got == b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHello from net\n"
