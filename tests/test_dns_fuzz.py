# Fuzzing net.dns's reply parser: hypothesis on CPython (in this process), and a fixed corpus
# of valid, mutated and junk replies parsed on every target, compared with CPython's results.
# MIT licence, see LICENSE. database=None: no example database between runs (a failure prints
# its example; hypothesis keeps only a cache in .hypothesis/, which ignores itself in git).
import os
import random
import sys

import pytest
from dnslib import AAAA, CNAME, QTYPE, RR, TXT, A, DNSHeader, DNSQuestion, DNSRecord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness import ROOT

sys.path.insert(0, ROOT)
from net import dns  # noqa: E402  (the package itself, on CPython)

QNAME = "q.test"
NAMES = ["q.test", "a.test", "b.test", "x.a.test", "Q.TEST", "c.test"]
MAXTTL = 86400
OWNERS = ["q.test", "Q.TEST", "q.test", "a.test", "b.test", "a.test"]  # the corpus's record names


def query(name=QNAME):
    return dns._Query(name.lower().rstrip("."), ["127.0.0.1"])._query_bytes


def shape_ok(r):
    # What parse may return: None (drop), (None, 0) (no address) or (dotted quad, ttl).
    if r is None or r == (None, 0):
        return True
    ip, ttl = r
    parts = ip.split(".")
    return len(parts) == 4 and all(0 <= int(p) <= 255 for p in parts) and 0 <= ttl <= MAXTTL


def reference(msg, q):
    # What the parser should find in a well-formed reply to q, read with dnslib.
    rec = DNSRecord.parse(msg)
    if rec.header.rcode:
        return (None, 0)
    target, ttl = QNAME, MAXTTL

    def cut(t):
        return 0 if t & 0x80000000 else min(t, MAXTTL)

    for _ in range(8):
        mine = [r for r in rec.rr if str(r.rname).lower().rstrip(".") == target and r.rclass == 1]
        a = [r for r in mine if r.rtype == QTYPE.A]
        if a:
            return (str(a[0].rdata), min(ttl, cut(a[0].ttl)))
        c = [r for r in mine if r.rtype == QTYPE.CNAME]
        if not c:
            return (None, 0)
        ttl = min(ttl, cut(c[0].ttl))
        target = str(c[0].rdata).lower().rstrip(".")
    return (None, 0)


record = st.tuples(
    st.sampled_from(NAMES),
    st.sampled_from(["A", "CNAME", "AAAA", "TXT"]),
    st.sampled_from(NAMES),
    st.integers(0, 2**32 - 1),
    st.integers(0, 2**32 - 1),
)


def build(q, records, rcode=0, qid=None):
    qid = (q[0] << 8 | q[1]) if qid is None else qid
    r = DNSRecord(DNSHeader(id=qid, qr=1, aa=1, ra=1, rcode=rcode), q=DNSQuestion(QNAME))
    for name, typ, target, ttl, ip in records:
        if typ == "A":
            rd = A("%d.%d.%d.%d" % (ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255))
        elif typ == "CNAME":
            rd = CNAME(target)
        elif typ == "AAAA":
            rd = AAAA("::%x" % (ip & 0xFFFF))
        else:
            rd = TXT(target)
        r.add_answer(RR(name, getattr(QTYPE, typ), rdata=rd, ttl=ttl))
    return r.pack()


@pytest.mark.timeout(600)
@settings(max_examples=1500, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(record, max_size=8), st.sampled_from([0, 0, 0, 2, 3, 5]))
def test_parser_agrees_with_dnslib_on_valid_replies(records, rcode):
    q = query()
    msg = build(q, records, rcode)
    r = dns._parse(msg, q)
    assert r == reference(msg, q)
    # Every reply of the wrong id or to another question is dropped, whatever it holds.
    assert dns._parse(build(q, records, rcode, qid=(q[0] << 8 | q[1]) ^ 0x100), q) is None
    assert dns._parse(msg, query("other.test")) is None


@pytest.mark.timeout(600)
@settings(max_examples=3000, deadline=None, database=None)
@given(st.lists(record, max_size=6), st.lists(st.tuples(st.integers(0, 600), st.integers(0, 255)), max_size=6),
       st.integers(0, 600), st.binary(max_size=40))
def test_parser_survives_mutated_replies(records, flips, cut, tail):
    q = query()
    msg = bytearray(build(q, records))
    for pos, val in flips:
        if pos < len(msg):
            msg[pos] = val
    msg = bytes(msg[: max(cut, 0)] if cut < len(msg) else msg) + tail
    r = dns._parse(msg, q)
    assert shape_ok(r)
    if r is not None:  # accepted: then it was a reply with our id and our question
        assert msg[:2] == bytes(q[:2]) and msg[12 : len(q)].lower() == bytes(q[12:])


@pytest.mark.timeout(600)
@settings(max_examples=3000, deadline=None, database=None)
@given(st.binary(min_size=0, max_size=300))
def test_parser_survives_junk_after_a_valid_question(junk):
    # Only the part after our id and question is random: the parser reads every byte of it.
    q = query()
    for flags in (b"\x81\x80", b"\x85\x83"):
        msg = bytes(q[:2]) + flags + b"\0\1" + junk[:6] + bytes(q[12:]) + junk[6:]
        assert shape_ok(dns._parse(msg, q))


@pytest.mark.timeout(600)
@settings(max_examples=2000, deadline=None, database=None)
@given(st.binary(max_size=300), st.integers(0, 300))
def test_name_reader_always_ends(data, off):
    # Any bytes, any start: a name or _BAD, never a loop or an exception; at most 255 bytes.
    name, end = dns._name(data, off)
    if name is None:
        assert end == -1
    else:
        assert len(name) <= 255 and off < end <= len(data)


# --- the same corpus on every target ---------------------------------------------------------
def corpus(seed=5, n=600):
    # Valid replies with random records, then the same mutated, cut and padded, and junk.
    rnd = random.Random(seed)
    q = query()
    out = []
    for i in range(n):
        recs = [(rnd.choice(OWNERS), rnd.choice(["A", "A", "CNAME", "AAAA", "TXT"]), rnd.choice(NAMES[1:]),
                 rnd.choice([0, 1, 300, 86401, 2**31, 2**32 - 1]), rnd.getrandbits(32)) for _ in range(rnd.randint(0, 6))]
        msg = bytearray(build(q, recs, rnd.choice([0, 0, 0, 3])))
        kind = i % 4
        if kind == 1:
            for _ in range(rnd.randint(1, 4)):
                msg[rnd.randrange(2, len(msg))] = rnd.getrandbits(8)
        elif kind == 2:
            msg = msg[: rnd.randrange(len(msg) + 1)]
        elif kind == 3:
            msg = msg[: len(q)] + bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 120)))
            msg[6:8] = bytes([0, rnd.randint(0, 9)])
        out.append(bytes(msg))
    return q, out


def test_fixed_corpus_parses_the_same_on_every_target(run, tmp_path):
    q, msgs = corpus()
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(m.hex() for m in msgs) + "\n")
    want = [repr(dns._parse(m, q)) for m in msgs]
    assert sum(w.startswith("('") for w in want) > 50 and sum(w == "None" for w in want) > 50
    s = run("dns_parse", str(path), QNAME)
    got = [s.line(timeout=60) for _ in msgs]
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, "message %d (%s): %s on the target, %s on CPython" % (i, msgs[i].hex(), g, w)
    assert s.expect("DONE") == str(len(msgs))
    s.wait()
