# The README's "Ten lines" example runs as printed, on every target, and answers an HTTP client.
# MIT licence, see LICENSE.
import os
import re

from harness import ROOT
from peers import connect_when_listening, free_port, http_get


def _ten_lines():
    text = open(os.path.join(ROOT, "README.md")).read()
    block = text.split("## Ten lines", 1)[1]
    return re.search(r"```python\n(.*?)```", block, re.S).group(1)


def test_readme_ten_lines_example_serves_a_page(run, tmp_path):
    src = _ten_lines()
    assert "listen(8080, on_connection)" in src
    port = free_port()
    # The only change: the port, so that parallel runs do not collide. The example runs as
    # the file a user would save it to, as examples/ do (test_tcp_examples.py).
    example = tmp_path / "ten_lines.py"
    example.write_text(src.replace("8080", str(port)))
    s = run(str(example))
    c = connect_when_listening(port, s, what="the README example")
    assert http_get(c) == b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHello from net\n"
