# net/_ping.py - net.ping: ICMP echo, as NodeMCU's ESP8266 firmware has it (its net_ping.c).
# MIT licence, see LICENSE.
#
# One raw ICMP socket per ping, polled like any socket: a request a second, answered within it
# or counted lost, as the ESP SDK's ping_start() does. Needs raw sockets (docs/API.md).
from ._rt import const, ticks_ms, ticks_diff, is_ip, sockaddr, socket, AF_INET, EOPNOTSUPP, print_exception
from ._loop import loop, Timer

_INTERVAL_MS = const(1000)
_PAYLOAD_BYTES = const(32)  # payload bytes, ping_start()'s default size
_POLLIN = const(1)
_ICMP = const(1)  # IPPROTO_ICMP
_ECHO_REPLY = const(0)
_ECHO = const(8)


def _checksum(b):
    n = 0
    for i in range(0, len(b) - 1, 2):
        n += b[i] << 8 | b[i + 1]
    if len(b) & 1:
        n += b[-1] << 8
    while n >> 16:
        n = (n & 0xFFFF) + (n >> 16)
    return ~n & 0xFFFF


class _Ping:
    def __init__(self, sock, count, received, sent):
        self._sock = sock
        self._left = count
        self._on_received = received
        self._on_sent = sent
        self._id = ticks_ms() & 0xFFFF
        self._ip = None
        self._seq = 0
        self._t0 = 0  # ticks_ms() the request in flight was sent
        self._answered = True
        self._total_sent = self._total_lost = self._total_bytes = self._total_ms = 0
        self._timer = Timer(_tick, self)

    def _request(self):
        self._seq += 1
        pkt = bytearray(8 + _PAYLOAD_BYTES)
        pkt[0] = _ECHO
        pkt[4] = self._id >> 8
        pkt[5] = self._id & 255
        pkt[6] = self._seq >> 8 & 255
        pkt[7] = self._seq & 255
        for i in range(_PAYLOAD_BYTES):
            pkt[8 + i] = 0x41 + i % 26
        c = _checksum(pkt)
        pkt[2] = c >> 8
        pkt[3] = c & 255
        self._t0 = ticks_ms()
        self._answered = False
        self._total_sent += 1
        try:
            self._sock.sendto(pkt, sockaddr(self._ip, 0))
        except OSError:
            pass  # unreachable now: counted lost when its second is over

    def _io(self, ev):
        try:
            d = self._sock.recv(256)
        except OSError:
            return
        if d and d[0] >> 4 == 4:  # a raw socket gives the IP header first (Linux and lwIP)
            d = d[(d[0] & 15) * 4:]
        if (len(d) < 8 or d[0] != _ECHO_REPLY or (d[4] << 8 | d[5]) != self._id
                or (d[6] << 8 | d[7]) != self._seq & 0xFFFF or self._answered):
            return  # another program's echo, or a late answer
        self._answered = True
        rtt = ticks_diff(ticks_ms(), self._t0)
        self._total_bytes += len(d)
        self._total_ms += rtt
        self._on_received(len(d), self._ip, self._seq, rtt)

    def _close(self):
        self._timer.stop()
        loop.drop(self._sock)

    def _fault(self, exc):
        # A callback raised: this ping ends, the loop goes on.
        self._close()
        print_exception(exc)


def _tick(p):
    # Each second: the request in flight is lost if unanswered, then the next one, or the end.
    if not p._answered:
        p._total_lost += 1
        p._answered = True
        p._on_received(0, p._ip, p._seq, None)
    if p._left:
        p._left -= 1
        p._request()
        p._timer.start(_INTERVAL_MS)
        return
    p._close()
    if p._on_sent is not None:
        p._on_sent(p._ip, p._total_sent, p._total_lost, p._total_bytes, p._total_ms)


def _resolved(p, ip):
    # The name's answer (dns.resolve's callback; loop.soon's for a dotted quad): start, or say
    # bytes 0 and nothing else when it did not resolve, as NodeMCU does.
    if ip is None:
        p._close()
        p._on_received(0, None, None, None)
        return
    p._ip = ip
    loop.add(p._sock, p, _POLLIN)
    _tick(p)


def ping(host, count=4, received=None, sent=None):
    # ping(host, [count], received, [sent]): NodeMCU's form. received(bytes, ip, seqno, rtt_ms)
    # for each request (bytes 0 and rtt None: no answer within a second); sent(ip, total_count,
    # timeout_count, total_bytes, total_time_ms) at the end.
    if callable(count):
        count, received, sent = 4, count, received
    if type(host) is not str or not host:
        raise TypeError("host must be a name or a dotted quad (str), not %r" % (host,))
    if type(count) is not int or count is True or count is False or count < 1:
        raise ValueError("count must be an int 1 or more, got %r" % (count,))
    if not callable(received):
        raise TypeError("received must be callable: received(bytes, ip, seqno, rtt)")
    if sent is not None and not callable(sent):
        raise TypeError("sent must be callable or None, not %s" % type(sent).__name__)
    raw = getattr(socket, "SOCK_RAW", None)
    if raw is None:
        raise OSError(EOPNOTSUPP, "ping: this runtime has no raw sockets")
    try:
        s = socket.socket(AF_INET, raw, _ICMP)
    except OSError as e:
        raise OSError(EOPNOTSUPP, "ping: no raw ICMP socket here (%s; on a host it needs root)" % e)
    s.setblocking(False)
    p = _Ping(s, count, received, sent)
    if is_ip(host):
        loop.soon(_resolved, p, host)
    else:
        from . import dns

        dns.resolve(host, _resolved, p)
