# Misuse (issue #8): every public call with wrong types and out-of-range values raises at once
# with a clear message. The table of calls and errors is the one in docs/reliability.md: this
# test reads it from there, runs every row on the target, and checks each error's type and
# message, so the documentation and the behaviour cannot drift apart. MIT licence, see LICENSE.
import os
import sys

import harness

sys.path.insert(0, harness.SCENARIOS)
from doc_table import doc_table  # noqa: E402  (the scenario's own reader of the table)

DOC = os.path.join(harness.ROOT, "docs", "reliability.md")


def table():
    # The misuse table (docs/reliability.md): (call, what it raises) a row.
    return [(call, want) for call, want in doc_table(DOC, "misuse-table")]


def chip_rows(chip):
    # The rows of the chip table (docs/reliability.md) for one chip: call -> what it raises.
    return {call: want for who, call, want in doc_table(DOC, "misuse-chip-table") if who == chip}


def test_the_table_covers_every_public_call():
    calls = " ".join(c for c, _ in table())
    for name in ("net.createServer(", "net.createConnection(", "net.ifinfo(", "net.multicastJoin(", "net.multicastLeave(",
                 "net.poll(", "net.dns.resolve(", "net.dns.setdnsserver(", "net.dns.getdnsserver(",
                 "srv.listen(", "srv.on(", "srv.close(", "srv.getConnections(",
                 "sock.connect(", "sock.on(", "sock.send(", "sock.hold(", "sock.unhold(", "sock.ttl(", "sock.dns(",
                 "udp.listen(", "udp.send(", "udp.on(", "udp.ttl(", "udp.dns("):
        assert name in calls, "no misuse row for %s" % name
    for chip in ("esp32", "esp8266", "rp2"):
        for call in chip_rows(chip):
            assert call in calls, "the %s row %s replaces no row of the table" % (chip, call)


def test_every_row_raises_what_the_table_says(run, target):
    rows = table()
    chip = chip_rows(target.chip or target.name)  # the lwIP builds: their chip's rows
    rows = [(c, chip.get(c, w)) for c, w in rows]
    # The rows' own data needs more than 38K: a 65508-byte datagram, a TLS context after 70 rows.
    s = run("rel_misuse", DOC, board_heap="256K")
    got = {}
    for _ in rows:
        ln = s.expect("ROW")
        n, _, what = ln.partition(" ")
        got[int(n)] = what
    assert int(s.expect("ROWS")) == len(rows)
    s.expect("DONE")
    s.wait()
    wrong = ["%s\n   table: %s\n   got:   %s" % (c, w, got[i]) for i, (c, w) in enumerate(rows) if got[i] != w]
    assert not wrong, "%d of %d rows differ:\n" % (len(wrong), len(rows)) + "\n".join(wrong)
