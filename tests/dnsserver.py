# tests/dnsserver.py - DNS servers for the tests of net.dns, on loopback port 53.
# MIT licence, see LICENSE.
#
# - ZoneServer: a real DNS server (dnslib's DNSServer) answering from a fixed zone: A records,
#   CNAME chains (followed in the answer, as a recursive resolver does), NXDOMAIN for unknown
#   names, SERVFAIL for names under "servfail.test", per-record TTLs. It counts the queries it
#   gets per name (the cache tests read the count) and can run a hook before answering (the
#   spoofing tests send forged replies from there, then the true answer follows).
# - Silent: a socket bound on port 53 that counts queries and never answers.
# - Hostile: a hand-written responder for the replies a real server never sends (wrong id,
#   malformed, looping compression pointers...): the reply is made by a function of the query.
#
# Each server binds port 53 (what a board uses; we run as root) on an address of its own that
# the board reaches (harness.host_addresses()): on the host targets one in 127.0.0.0/8, chosen
# at random so that test sessions running side by side never meet; on the lwIP targets one of
# the bridge's spare addresses, in the link's network namespace (make them while the test is
# in it, i.e. after the `target` fixture: per_network() below). The sockets are bound without
# SO_REUSEADDR: on Linux that option would let two UDP sockets share an address and port
# silently.
import collections
import socket
import socketserver
import struct
import threading
import time

from dnslib import CNAME, QTYPE, RCODE, RR, A
from dnslib.server import BaseResolver, DNSHandler, DNSLogger, DNSServer

import harness

PORT = 53


def free_address(taken=()):
    # An address of the host's that the board reaches where nothing is bound to UDP port 53
    # (checked by binding).
    for ip in harness.host_addresses():
        if ip in taken:
            continue
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind((ip, PORT))
        except PermissionError:
            raise RuntimeError("binding UDP port 53 needs root, CAP_NET_BIND_SERVICE or "
                               "sysctl net.ipv4.ip_unprivileged_port_start=53") from None
        except OSError:
            continue
        finally:
            s.close()
        return ip
    raise RuntimeError("no free host address for a DNS server on the %s network (all of %s taken)"
                       % (harness.network(), harness.host_addresses()[:10]))


# Servers made once per network kind and kept (per_network), stopped by stop_all().
_KEPT = {}


def per_network(key, make):
    # make() once per network ("loopback", "link": harness.network()) for `key`, then the same
    # servers again: a server made in the link's namespace serves only there, one made outside
    # only outside. Call it with the test inside its target's network (after `target`).
    k = (harness.network(), key)
    if k not in _KEPT:
        _KEPT[k] = make()
    return _KEPT[k]


def stop_all(prefix=None):
    # Stop the kept servers (those whose key starts with prefix, or all): each value is a
    # server, or a dict/list of them (other values are left alone).
    for k in [k for k in _KEPT if prefix is None or k[1].startswith(prefix)]:
        v = _KEPT.pop(k)
        for srv in (v.values() if isinstance(v, dict) else v if isinstance(v, (list, tuple)) else (v,)):
            if hasattr(srv, "stop"):
                srv.stop()


def bind53(taken=()):
    for _ in range(50):
        ip = free_address(taken)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind((ip, PORT))
            return s, ip
        except OSError:
            s.close()
    raise RuntimeError("could not bind a DNS server socket")


class _UDPServer(socketserver.ThreadingMixIn, socketserver.UDPServer):
    allow_reuse_address = False  # see above: no silent sharing of port 53
    daemon_threads = True


class _Quiet(DNSLogger):
    def __init__(self):
        super().__init__(log="-recv,-send,-request,-reply,-truncated,-error,-data", prefix=False)


class _Resolver(BaseResolver):
    def __init__(self, owner):
        self.owner = owner

    def resolve(self, request, handler):
        return self.owner._resolve(request, handler)


class ZoneServer:
    """A real DNS server on <ip>:53 answering from `zone`: {name: [(type, value, ttl), ...]},
    type "A" or "CNAME". Names in lower case, without the final dot."""

    def __init__(self, zone, taken=()):
        self.zone = zone
        self.counts = collections.Counter()
        self.hook = None  # hook(server, request, handler) runs before each answer
        self.delay = 0.0  # seconds to wait before answering
        self.lock = threading.Lock()
        for _ in range(50):
            self.ip = free_address(taken)
            try:
                self.srv = DNSServer(_Resolver(self), address=self.ip, port=PORT, logger=_Quiet(), server=_UDPServer)
                break
            except OSError:
                continue
        self.srv.start_thread()

    def count(self, name):
        with self.lock:
            return self.counts[name]

    def reset(self):
        with self.lock:
            self.counts.clear()
        self.hook = None
        self.delay = 0.0

    def _resolve(self, request, handler):
        qname = str(request.q.qname).lower().rstrip(".")
        with self.lock:
            self.counts[qname] += 1
        if self.hook is not None:
            self.hook(self, request, handler)
        if self.delay:
            time.sleep(self.delay)
        reply = request.reply()
        if qname == "servfail.test" or qname.endswith(".servfail.test"):
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        name = qname
        for hop in range(16):
            recs = self.zone.get(name)
            if recs is None:
                if hop == 0:
                    reply.header.rcode = RCODE.NXDOMAIN
                break
            cname = [r for r in recs if r[0] == "CNAME"]
            if cname:
                _, target, ttl = cname[0]
                reply.add_answer(RR(name + ".", QTYPE.CNAME, rdata=CNAME(target + "."), ttl=ttl))
                name = target
                continue
            if request.q.qtype == QTYPE.A:
                for typ, value, ttl in recs:
                    if typ == "A":
                        reply.add_answer(RR(name + ".", QTYPE.A, rdata=A(value), ttl=ttl))
            break
        return reply

    def stop(self):
        self.srv.stop()
        self.srv.server.server_close()


class _Port53:
    # Port 53 on an address of its own (bind53), read by a thread of its own: each datagram
    # goes to self._query(data, addr) until stop().
    def __init__(self, taken=()):
        self.sock, self.ip = bind53(taken)
        self.sock.settimeout(0.2)

    def _start(self):
        self._run = True
        self.t = threading.Thread(target=self._loop, daemon=True)
        self.t.start()

    def _loop(self):
        while self._run:
            try:
                q, addr = self.sock.recvfrom(2048)
            except OSError:
                continue
            self._query(q, addr)

    def stop(self):
        self._run = False
        self.t.join(2)
        self.sock.close()


class Silent(_Port53):
    """Port 53 bound on an address of its own; counts queries, never answers."""

    def __init__(self, taken=()):
        _Port53.__init__(self, taken)
        self.count = 0
        self._start()

    def _query(self, q, addr):
        self.count += 1


class Hostile(_Port53):
    """A hand-written responder on <ip>:53: for each query, make(query_bytes, qname) returns a
    list of (reply_bytes, source) with source None (from ip:53, the server asked), "port" (from
    ip and another port) or "ip" (from another address of the host's, port 53)."""

    def __init__(self, make, taken=()):
        _Port53.__init__(self, taken)
        self.make = make
        self.other_port = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.other_port.bind((self.ip, 0))
        self.other_ip_sock, self.other_ip = bind53(taken + (self.ip,))
        self.queries = []
        self._start()

    def _query(self, q, addr):
        qname = question_name(q)
        self.queries.append(qname)
        for data, src in self.make(q, qname):
            s = {None: self.sock, "port": self.other_port, "ip": self.other_ip_sock}[src]
            try:
                s.sendto(data, addr)
            except OSError:
                pass

    def stop(self):
        _Port53.stop(self)
        for s in (self.other_port, self.other_ip_sock):
            s.close()


# --- building replies by hand --------------------------------------------------------------
def question_name(q):
    # The question name of a query, lower case, without the final dot ("" when malformed).
    labels, off = [], 12
    while off < len(q) and q[off]:
        n = q[off]
        labels.append(q[off + 1 : off + 1 + n].decode("ascii", "replace"))
        off += 1 + n
    return ".".join(labels).lower()


def question_end(q):
    off = 12
    while q[off]:
        off += 1 + q[off]
    return off + 5


def wire(name):
    out = b""
    for label in name.split("."):
        b = label.encode()
        out += bytes([len(b)]) + b
    return out + b"\0"


def header(qid, flags=0x8180, qd=1, an=0, ns=0, ar=0):
    return struct.pack(">HHHHHH", qid, flags, qd, an, ns, ar)


def rr(name_bytes, typ, rdata, ttl=60, cls=1):
    return name_bytes + struct.pack(">HHIH", typ, cls, ttl, len(rdata)) + rdata


def a_record(name_bytes, ip, ttl=60):
    return rr(name_bytes, 1, socket.inet_aton(ip), ttl)


def reply_to(q, answers=b"", an=None, flags=0x8180, qid=None, question=None, qd=1):
    # A reply to query q: its id and question unless told otherwise, then the answer records.
    qid = struct.unpack(">H", q[:2])[0] if qid is None else qid
    question = q[12 : question_end(q)] if question is None else question
    return header(qid, flags, qd, an if an is not None else (1 if answers else 0)) + question + answers
