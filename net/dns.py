# net/dns.py - net.dns: a non-blocking resolver (A records over UDP) on net's event loop.
# MIT licence, see LICENSE.
#
# getaddrinfo blocks; this speaks DNS over UDP itself, one socket per lookup in flight. What it
# refuses (spoofed, malformed replies) and what it answers: docs/dns.md.
from ._rt import const, SOCK_DGRAM, POLLIN, new_socket, bind_free, sockaddr, peer, randbits
from ._rt import is_ip, ticks_ms, ticks_add, ticks_diff, print_exception
from ._loop import loop, Timer

# Tunables: module attributes read at each lookup (net.dns.TIMEOUT = 500).
TIMEOUT = 2000  # ms to wait for the reply to one try
TRIES = 2  # tries per server (1 or more) before failing over to the next server
CACHE_SIZE = 8  # names kept in the answer cache, each until its TTL ends (0: no cache)

_PORT = const(53)
_MAX_REPLY_BYTES = const(512)  # no EDNS in our queries, so no server sends a longer UDP reply
_MAX_NAME_BYTES = const(255)  # RFC 1035: a name in wire form is at most 255 bytes
# TTLs are capped at one day: deadlines are ticks, and ticks_diff is only right within
# +-2**29 ms (6.2 days) on boards, where ticks wrap at 2**30 ms.
_MAX_TTL_S = const(86400)
_MAX_CNAME_HOPS = const(8)  # CNAME hops followed (a loop of CNAMEs ends here)
_READS_PER_TURN = const(4)  # datagrams read per loop turn: a flood cannot starve other sockets
_T_A = const(1)
_T_CNAME = const(5)
_C_IN = const(1)

_servers = [None, None]  # set by setdnsserver(); server 0 unset: the board's, read each time
_cache = {}  # name -> (ip, deadline in ticks_ms)
_pending = {}  # name -> _Query in flight (concurrent lookups of one name share it)
_NO = (None, 0)  # the server's answer is "no address" (NXDOMAIN, SERVFAIL, no A record)
_BAD = (None, -1)  # a malformed name


def resolve(host, cb, obj=None):
    """Look host up without blocking: cb(obj, ip) on a later loop turn, ip a dotted quad or
    None on failure or timeout. obj (default None, as in the API's cb(None, ip)) lets a net
    object pass itself without a closure. A dotted quad and "localhost" answer without a query;
    a cached answer too, until its TTL ends."""
    if not callable(cb):
        raise TypeError("cb must be callable, not %s" % type(cb).__name__)
    name = _check_name(host)
    if is_ip(name):
        loop.soon(cb, obj, name)
        return
    if name == "localhost":
        loop.soon(cb, obj, "127.0.0.1")
        return
    e = _cache.get(name)
    if e is not None:
        if ticks_diff(e[1], ticks_ms()) > 0:
            loop.soon(cb, obj, e[0])
            return
        del _cache[name]
    q = _pending.get(name)
    new = q is None
    if new:
        s0 = getdnsserver(0)
        s1 = _servers[1]
        srvs = [s for s in (s0, s1) if s is not None]
        if len(srvs) == 2 and s0 == s1:
            srvs.pop()
        q = _Query(name, srvs) if srvs else None
        if q is None or not q._open():
            loop.soon(cb, obj, None)  # no server known, or no socket to be had now
            return
        _pending[name] = q
    q._waiters.append(cb)
    q._waiters.append(obj)
    if new:
        q._try()  # after the waiter is in: with TRIES 0 it ends the lookup at once


def _socket_dns(sock, host, callback):
    # sock.dns(host, [callback]) of TCP and UDP sockets, as NodeMCU's: callback becomes the
    # `dns` handler. Neither a callback nor a handler: nothing would hear it, so it raises.
    if type(host) is not str or not host:
        raise TypeError("host must be a name or a dotted quad (str), not %r" % (host,))
    if callback is not None:
        if not callable(callback):
            raise TypeError("callback must be callable, not %s" % type(callback).__name__)
        sock.on("dns", callback)
    elif sock._handler(sock._EVI["dns"]) is None:
        raise TypeError("dns(host, callback): no callback given and no `dns` handler set")
    resolve(host, _socket_answer, sock)


def _socket_answer(sock, ip):
    sock._emit1(sock._EVI["dns"], ip)


def setdnsserver(ip, index=0):
    """Use ip (a dotted quad) as DNS server index (0 or 1, default 0). Server 0 is also set in
    the board's network stack (network.ipconfig(dns=ip), or the station's ifconfig() before
    firmware 1.24), so that getaddrinfo elsewhere in the program agrees."""
    _check_index(index)
    if type(ip) is not str:
        raise TypeError("ip must be a dotted quad str like '8.8.8.8', not %s" % type(ip).__name__)
    if not is_ip(ip):
        raise ValueError("ip must be a dotted quad like '8.8.8.8', got %r" % ip)
    if ip == "0.0.0.0" or ip == "255.255.255.255":
        raise ValueError("ip must be a server's address, not %s" % ip)
    _servers[index] = ip
    if index == 0:
        _board(ip)


def getdnsserver(index=0):
    """The dotted quad of DNS server index (0 or 1, default 0), or None when there is none.
    Until setdnsserver() sets it, server 0 is the board's (what DHCP gave it); server 1 is
    None (firmware has no call that reads the stack's second server)."""
    _check_index(index)
    ip = _servers[index]
    if ip is None and index == 0:
        ip = _board()
    return ip


# --- validation ----------------------------------------------------------------------------
def _check_index(index):
    if type(index) is not int:
        raise TypeError("index must be 0 or 1, not %s" % type(index).__name__)
    if index != 0 and index != 1:
        raise ValueError("index must be 0 or 1, got %d" % index)


def _check_name(host):
    # The name as looked up and cached: lower case (DNS ignores case), without the final dot.
    if type(host) is not str:
        raise TypeError("host must be a str, not %s" % type(host).__name__)
    name = host.lower()
    if name.endswith("."):
        name = name[:-1]
    n = len(name.encode())
    if n == 0 or n > 253:
        raise ValueError("host must be a name of 1..253 characters, got %d" % n)
    for label in name.split("."):
        n = len(label.encode())
        if n == 0:
            raise ValueError("host must not have an empty label, got %r" % host)
        if n > 63:
            raise ValueError("host labels must be 1..63 characters, got one of %d" % n)
    return name


# --- the board's DNS setting ---------------------------------------------------------------
def _board(ip=None):
    # Without ip: the board's first DNS server, or None. With ip: set it there (quietly doing
    # nothing where the runtime has no network module or the setting cannot be made: our own
    # setting still holds).
    try:
        import network
    except ImportError:  # CPython or the unix port without the emulated board
        return None
    if ip is None:
        try:
            ip = network.ipconfig("dns")  # firmware 1.24 and later
        except Exception:  # AttributeError before 1.24
            try:
                ip = network.WLAN(network.STA_IF).ifconfig()[3]
            except Exception:
                return None
        if not is_ip(ip) or ip == "0.0.0.0" or ip == "255.255.255.255":
            return None
        return ip
    try:
        network.ipconfig(dns=ip)
        return
    except AttributeError:  # firmware before 1.24: the 4th element of ifconfig()
        pass
    except Exception:
        return
    try:
        w = network.WLAN(network.STA_IF)
        c = w.ifconfig()
        # Setting ifconfig() makes the station's address static (it stops DHCP): only done
        # when the station has an address to keep.
        if c[0] != "0.0.0.0":
            w.ifconfig((c[0], c[1], c[2], ip))
    except Exception:
        pass


# --- the answer cache ----------------------------------------------------------------------
def _store(name, ip, ttl):
    c = _cache
    if name not in c:
        while c and len(c) >= CACHE_SIZE:
            # Full: drop the entry that expires first (an expired one, if there is any).
            now = ticks_ms()
            first = None
            left = 0
            for k in c:
                d = ticks_diff(c[k][1], now)
                if first is None or d < left:
                    first = k
                    left = d
            del c[first]
    c[name] = (ip, ticks_add(ticks_ms(), ttl * 1000))


# --- one lookup in flight ------------------------------------------------------------------
class _Query(Timer):
    # A lookup: its own socket and, being a Timer itself, its own retry timer (one object where
    # two would do). _waiters holds the waiters as cb, obj pairs in one flat list.
    def __init__(self, name, srvs):
        Timer.__init__(self, _expire, self)
        self._name = name
        self._server_list = srvs
        self._waiters = []
        self._sock = None
        self._server = None  # the server asked by the current try
        self._tries_sent = 0  # tries sent
        # The query: header (id set per server, RD flag, one question), then the question.
        q = bytearray(b"\0\0\1\0\0\1\0\0\0\0\0\0")
        for label in name.split("."):
            b = label.encode()
            q.append(len(b))
            q.extend(b)
        q.extend(b"\0\0\1\0\1")  # end of name, type A, class IN
        self._query_bytes = q

    def _open(self):
        try:
            s = new_socket(SOCK_DGRAM)
        except OSError:
            return False
        try:
            bind_free(s, "0.0.0.0", SOCK_DGRAM)  # a random source port, fresh for each lookup
            loop.add(s, self, POLLIN)
        except OSError:
            s.close()
            return False
        self._sock = s
        return True

    def _try(self):
        # Send the next try, or end the lookup when every try of every server is spent.
        srvs = self._server_list
        n = self._tries_sent
        if n >= len(srvs) * TRIES:
            self._done(_NO)
            return
        self._tries_sent = n + 1
        if n % TRIES == 0:
            # A new server: a new random id. The id stays for that server's retries, so a late
            # reply to an earlier try is still accepted.
            i = randbits(16)
            self._query_bytes[0] = i >> 8
            self._query_bytes[1] = i & 255
        self._server = srvs[n // TRIES]
        try:
            self._sock.sendto(self._query_bytes, sockaddr(self._server, _PORT, SOCK_DGRAM))
        except OSError:
            pass  # no route or no buffer now: counts as a lost datagram, the timer retries
        self.start(TIMEOUT)

    def _io(self, ev):
        s = self._sock
        for _ in range(_READS_PER_TURN):
            try:
                msg, addr = s.recvfrom(_MAX_REPLY_BYTES)
            except OSError:
                return  # nothing more to read (EAGAIN), or an ICMP error: not an answer
            a = peer(addr)
            if a[0] != self._server or a[1] != _PORT:
                continue  # not from the server asked: dropped
            r = _parse(msg, self._query_bytes)
            if r is not None:
                self._done(r)
                return

    def _done(self, r):
        self.stop()
        s = self._sock
        if s is not None:
            self._sock = None
            loop.remove(s)
            s.close()
        name = self._name
        if _pending.get(name) is self:
            del _pending[name]
        ip = r[0]
        if ip is not None and r[1] > 0 and CACHE_SIZE > 0:
            _store(name, ip, r[1])
        w = self._waiters
        self._waiters = []
        for i in range(0, len(w), 2):
            loop.soon(w[i], w[i + 1], ip)

    def _fault(self, exc):
        # The loop caught an exception in _io or the timer (it should not happen): report it
        # and end the lookup with None rather than leave a socket or a waiter behind.
        print_exception(exc)
        self._done(_NO)


def _expire(q):
    q._try()


# --- the reply parser ----------------------------------------------------------------------
def _parse(msg, q):
    """Check the reply msg (bytes) against the query q: None when it is not the answer to q
    (wrong id or question, not a reply, malformed: drop it and keep waiting), (None, 0) when
    the server says there is no address, else (ip, ttl) with ttl the smallest TTL along the
    CNAME chain, in seconds, capped at one day. Never raises, whatever msg holds."""
    n = len(msg)
    ql = len(q)
    if n < ql or msg[0] != q[0] or msg[1] != q[1]:
        return None
    f = msg[2]
    if not f & 0x80 or f & 0x78:  # QR clear (a query, not a reply) or opcode other than QUERY
        return None
    if msg[4] or msg[5] != 1:  # exactly one question...
        return None
    if msg[12:ql].lower() != q[12:]:  # ...ours (a name in lower case cannot hold a pointer)
        return None
    if msg[3] & 15:  # RCODE: NXDOMAIN, SERVFAIL, REFUSED...: the server's final word
        return _NO
    an = msg[6] << 8 | msg[7]
    # Every answer record must be whole before any is believed (wrong counts, truncation).
    off = ql
    for _ in range(an):
        r = _name(msg, off)
        off = r[1]
        if off < 0 or off + 10 > n:
            return None
        off += 10 + (msg[off + 8] << 8 | msg[off + 9])
        if off > n:
            return None
    target = q[12 : ql - 4]
    ttl = _MAX_TTL_S
    for _ in range(_MAX_CNAME_HOPS):
        off = ql
        nxt = None
        nttl = 0
        for _ in range(an):
            r = _name(msg, off)
            o = r[1]
            rd = o + 10
            rdl = msg[o + 8] << 8 | msg[o + 9]
            if msg[o + 2] == 0 and msg[o + 3] == _C_IN and msg[o] == 0 and r[0] == target:
                t = msg[o + 1]
                # TTL: 32 bits, built without a big int (small ints are 31 bits on boards);
                # top bit set means 0 (RFC 2181), anything over a day is a day.
                hi = msg[o + 4] << 8 | msg[o + 5]
                if hi & 0x8000:
                    rttl = 0
                elif hi > 1:
                    rttl = _MAX_TTL_S
                else:
                    rttl = min(hi << 16 | msg[o + 6] << 8 | msg[o + 7], _MAX_TTL_S)
                if t == _T_A:
                    if rdl != 4:
                        return None
                    return ("%d.%d.%d.%d" % (msg[rd], msg[rd + 1], msg[rd + 2], msg[rd + 3]), min(ttl, rttl))
                if t == _T_CNAME and nxt is None:
                    c = _name(msg, rd)
                    if c[1] != rd + rdl:
                        return None
                    nxt = c[0]
                    nttl = rttl  # counts only if the chain goes on through this CNAME
            off = rd + rdl
        if nxt is None:
            return _NO  # no address for the name (and no CNAME to follow)
        target = nxt
        ttl = min(ttl, nttl)
    return _NO  # a CNAME chain longer than _MAX_CNAME_HOPS, or a loop


def _name(msg, off):
    # The name at off (uncompressed, wire form, lower case) and the offset after it; _BAD when
    # malformed. A pointer must point before the piece that holds it, so the walk ends.
    n = len(msg)
    out = bytearray()
    end = -1
    seg = off  # where the current piece of the name starts
    pos = off
    while pos < n:
        ln = msg[pos]
        if ln >= 0xC0:
            if pos + 1 >= n:
                return _BAD
            p = (ln & 0x3F) << 8 | msg[pos + 1]
            if p >= seg:
                return _BAD
            if end < 0:
                end = pos + 2
            seg = pos = p
            continue
        if ln & 0xC0:  # label types 01 and 10: not in use
            return _BAD
        if len(out) + ln + 1 > _MAX_NAME_BYTES:
            return _BAD
        if ln == 0:
            out.append(0)
            return (bytes(out).lower(), pos + 1 if end < 0 else end)
        if pos + 1 + ln > n:
            return _BAD
        out.append(ln)
        out.extend(msg[pos + 1 : pos + 1 + ln])
        pos += 1 + ln
    return _BAD
