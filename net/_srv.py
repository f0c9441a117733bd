# net/_srv.py - net.server: a listening TCP socket, its connections and their inactivity timeout.
# MIT licence, see LICENSE.
#
# One sweep Timer per server, not one per connection, ends the idle ones (docs/design.md,
# "The accept path"). What only error paths and rare calls use is read as _rt.NAME: a name
# imported here costs a slot in this module's table (docs/design.md, "Memory").
from . import _rt
from ._rt import const, ticks_ms, reserve
from ._loop import loop, Timer
from ._emit import Emitter, slots
from ._sock import Socket, _rxbuf, _rxbuf_grow

_POLLIN = const(1)  # as select.POLLIN on every port (net/_rt.py checks it at import)

# A private const is no module attribute on MicroPython: this repeats net/_sock.py's
# (tests/test_firmware.py checks it).
_SERVER_SLOT = const(8)  # Socket: the server's slot in an accepted socket's handler list
_TCP = const(1)
_UDP = const(2)

_EV_ERROR = const(0)
_EV_LISTENING = const(1)
_EV_CONNECTION = const(2)
_EV_CLOSE = const(3)
_EV_DROP = const(4)

_MIN_SWEEP_MS = const(100)  # at most ten sweeps a second, whatever the traffic
# accept() failing for want of heap or descriptors: the newcomer waits in the backlog while
# the listener rests this long (polling at once would spin).
_ACCEPT_RETRY_MS = const(100)
_ACCEPT_PROBE_BYTES = const(96)  # more than accept() allocates (a 2-tuple, a socket, an address)
# Shedding ends only a connection idle this long, not one whose request is still to be read
# (docs/design.md, "The accept path").
_SHED_IDLE_MS = const(50)

_OMITTED = object()  # listen() without a port (an explicit None is refused, as in NodeMCU)


def _sweep(srv):
    # The inactivity sweep (the Timer's function, module level: no bound method per start).
    conns = srv._conns
    timeout = srv._timeout_ms
    now = ticks_ms()
    next_ms = timeout
    diff = _rt.ticks_diff
    i = len(conns)
    while i:
        i -= 1
        if i >= len(conns):  # a disconnection handler closed others
            i = len(conns)
            continue
        c = conns[i]
        idle = diff(now, c._last_io_ms)
        # Strictly more: ticks count whole milliseconds, so an idle of exactly timeout may be up
        # to 1 ms short of it in real time. A timeout never comes early.
        if idle > timeout:
            c._end(_rt.ETIMEDOUT)
        elif timeout - idle < next_ms:
            next_ms = timeout - idle
    if conns:
        # (+1: the sweep that finds idle == timeout ends nobody; the next, 1 ms later, does.)
        srv._sweep_timer.start(next_ms + 1 if next_ms >= _MIN_SWEEP_MS else _MIN_SWEEP_MS)


def _resume(srv):
    # The accept back-off is over (Timer function): listen again.
    if srv._listener is not None:
        loop.modify(srv._listener, _POLLIN)


def _later(srv, what):
    # Calls the API promises "on a later loop turn" (loop.soon(_later, server, what)).
    if isinstance(what, OSError):
        srv._report(what) or _say(what, "net.server: listen failed:")
    elif type(what) is tuple:  # (close callback, error or None)
        fn, err = what
        fn(srv, err)
    elif callable(what):  # getConnections(callback)
        what(None, len(srv._conns))
    elif what is srv._listener:  # listen() succeeded: polled from now, so `listening` comes first
        loop.add(what, srv, _POLLIN)
        fn = srv._listening_cb
        srv._listening_cb = None
        srv._emit0(_EV_LISTENING)
        if fn is not None:
            try:
                fn(srv)
            except Exception as e:
                srv._fault(e)


def _say(exc, what=None):
    # Print what went wrong (a line, or the traceback); with no heap even for that, drop it:
    # a server must go on whatever its printing or its callbacks cannot do.
    try:
        if what is None:
            _rt.print_exception(exc)
        else:
            print(what, repr(exc))
    except Exception:  # nothing is left to tell it to
        pass


class Server(Emitter):
    _EVENTS = ("error", "listening", "connection", "close", "drop")
    _EVI = slots(_EVENTS)

    # Public tunables (docs/tcp.md, "Servers"); maxConnections is set in __init__.
    dropIdleWhenFull = True  # out of heap or descriptors: end the idlest connection for a newcomer
    dropIdleAtMax = False  # the same at maxConnections, instead of `drop`

    _listener = None  # the listening socket
    _port = None
    _ip = None  # dotted quad, or the unix-domain path
    _node_style = False  # made by createServer(connectionListener): listen's callbacks are Node's
    _listening_cb = None  # listen()'s `listening` callback (Node forms), run once
    _close_cbs = None  # close() called: [callbacks] waiting for the last connection
    _retry_timer = None  # Timer of the accept back-off (made on the first resource failure)
    _starved = False  # in a run of accept failures: reported once, until an accept succeeds

    def __init__(self, timeout):
        self._timeout_ms = timeout * 1000
        self._conns = []
        self._sweep_timer = Timer(_sweep, self)
        # The handler list every accepted socket starts with: no handlers, then this server
        # (Socket.getaddr finds it there) and the memo of net/_emit.py's _shared.
        self._conn_handlers = [None] * _SERVER_SLOT + [self, None]
        # Read for every accepted connection: an instance attribute is found faster than a
        # class default (docs/design.md, "The accept path").
        self._handlers = None
        self._connection_cb = None  # callback(sock) for each connection: listen()'s (NodeMCU) or createServer()'s (Node)
        self.maxConnections = None

    def listen(self, port=_OMITTED, ip=None, callback=None):
        # docs/API.md's forms: NodeMCU's ([port], [ip], [callback]) calls callback(sock) per
        # connection; Node's (options, path, handle, or any form on a Node-style server) call
        # callback(server) once `listening`.
        if self._listener is not None:
            raise OSError(_rt.EALREADY, "listen: the server is already listening")
        backlog = _rt.BACKLOG
        path = handle = None
        node = self._node_style or type(port) is dict
        if callable(port) and ip is None and callback is None:
            callback, port = port, _OMITTED
        if type(port) is dict:
            if callback is None and callable(ip):
                callback, ip = ip, None
            if ip is not None:
                raise TypeError("listen(options, [callback]): no ip argument with options")
            o = port
            for k in o:
                if k not in ("port", "host", "backlog", "path", "exclusive", "fd"):
                    raise ValueError("options: unknown key %r; known: port, host, backlog, path, exclusive" % (k,))
            if "fd" in o:
                from ._rtopt import from_fd

                handle = from_fd(o["fd"])
            path = o.get("path")
            port = o.get("port") or 0
            ip = o.get("host")
            backlog = o.get("backlog", _rt.BACKLOG)
            if type(backlog) is not int or backlog < 0:
                raise ValueError("options: backlog must be an int 0 or more, got %r" % (backlog,))
        elif type(port) is str:
            if "/" in port:
                path, port = port, 0
            elif _rt.is_ip(port):  # listen(ip, [callback]): NodeMCU lets the port be omitted
                if ip is not None and not callable(ip):
                    raise TypeError("listen(ip, [callback]): no second address after the ip")
                port, ip, callback = 0, port, callback if ip is None else ip
            else:
                raise TypeError("port must be an int in 0..65535 (or a unix-domain path with a '/'), not str")
            if callback is None and callable(ip):
                callback, ip = ip, None
        elif port is not None and type(port) is not int and hasattr(port, "listen"):
            handle, port = port, 0
            if callback is None and callable(ip):
                callback, ip = ip, None
        elif port is _OMITTED:
            port = 0
            if callback is None and callable(ip):
                callback, ip = ip, None
        else:
            _rt.check_port(port)
            if callback is None and callable(ip):
                callback, ip = ip, None
        if callback is not None and not callable(callback):
            raise TypeError("callback must be callable, not %s" % type(callback).__name__)
        node = node or path is not None or handle is not None
        if ip is None:
            ip = "0.0.0.0"
        if path is not None:
            if type(path) is not str or not path:
                raise TypeError("path must be a non-empty str, not %r" % (path,))
            if _rt.AF_UNIX is None:
                raise OSError(_rt.EOPNOTSUPP, "listen: this runtime has no unix-domain sockets")
        elif handle is None:
            _rt.check_port(port)
            _rt.check_ip(ip)
        s = handle
        try:
            if s is None:
                if path is not None:
                    s = _rt.new_socket(_rt.SOCK_STREAM, _rt.AF_UNIX)
                    from ._rtopt import unix_addr

                    s.bind(unix_addr(path))
                else:
                    s = _rt.new_socket()
                    _rt.reuse_addr(s)
                    if port:
                        s.bind(_rt.sockaddr(ip, port))
                    else:
                        port = _rt.bind_free(s, ip)
            else:
                s.setblocking(False)
            s.listen(backlog)
            if s is handle:  # (after listen(): an unbound handle has its port only now)
                from ._rtopt import sock_addr

                port, ip = sock_addr(s)
        except OSError as e:
            # Address in use and the like: an event, nothing listens.
            if s is not None and s is not handle:
                s.close()
            where = path if path is not None else "%s:%s" % (ip, port)
            loop.soon(_later, self, OSError(_rt.errno_of(e), "listen on %s failed" % where))
            return self
        self._listener = s
        self._port = port if path is None else None
        self._ip = path if path is not None else ip
        if node:
            self._listening_cb = callback
        else:
            self._connection_cb = callback
        # Polled once `listening` has fired (_later): no connection can come before it.
        loop.soon(_later, self, s)
        return self

    def _io(self, ev):
        try:
            # A probe first: accept() must not run out of heap (docs/design.md, "Heap probes").
            reserve(_ACCEPT_PROBE_BYTES)
            s, a = self._listener.accept()
            failed = None
        except MemoryError as e:
            failed = e
        except OSError as e:
            n = _rt.errno_of(e)
            if n in _rt.AGAIN or n == _rt.ECONNABORTED or n == _rt.ECONNRESET or n == _rt.ENOTCONN:
                # nothing to accept, or the peer reset before we accepted (lwIP's socket API,
                # ESP32: ENOTCONN, lwip_accept's netconn_peer failing): the next one
                return
            if n == _rt.EBADF or n == _rt.EINVAL:
                raise  # the listening socket itself is broken: to the loop, our `error` event
            failed = e  # out of descriptors or sockets: the server lives on
        if failed is not None:
            # accept() itself failed for want of heap or descriptors: the connection idle
            # longest makes room (the newcomer waits in the backlog for the next turn), or back off.
            if not (self.dropIdleWhenFull and self._shed()):
                self._starve(failed)
            return
        try:
            c = self._admit(s, a)
        except MemoryError as e:
            # No room in the heap for the new connection: the one idle longest makes room for
            # it, or the newcomer is closed and accepting backs off.
            c = None
            if self.dropIdleWhenFull and self._shed():
                try:
                    c = self._admit(s, a)
                except MemoryError as e2:
                    e = e2
            if c is None:
                s.close()
                self._starve(e)
                return
        if c is None:
            return  # turned away at maxConnections
        if not self._sweep_timer._running:
            self._sweep_timer.start(self._timeout_ms + 1)  # (+1: see _sweep)
        if self._connection_cb is not None:
            try:
                self._connection_cb(c)
            except Exception as e:
                c._fault(e)
        h = self._handlers
        if h is not None and h[_EV_CONNECTION] is not None:  # (no call without a handler)
            self._emit1(_EV_CONNECTION, c)

    def _admit(self, s, a):
        # The accepted socket as a connection of this server, or None when maxConnections
        # turned it away (`drop`). A MemoryError leaves nothing half done.
        s.setblocking(False)  # ESP32 returns accepted sockets blocking
        conns = self._conns
        mx = self.maxConnections
        if mx is not None and len(conns) >= mx and not (self.dropIdleAtMax and self._shed()):
            s.close()
            ip, port = _rt.peer(a)
            self._emit2(_EV_DROP, port, ip)
            return None
        c = Socket()
        if _rxbuf[0] is None:  # the first connection: the shared receive buffer (net/_sock.py)
            _rxbuf_grow(Socket.recvSize)
        c._sock = s
        c._peer = _rt.compact_peer(a)
        c._last_io_ms = ticks_ms()
        c._handlers = self._conn_handlers
        conns.append(c)
        try:
            loop.add(s, c, _POLLIN)
        except MemoryError:  # the loop's dict or its poll set could not grow
            conns.pop()
            raise
        self._starved = False
        return c

    def _shed(self):
        # End the connection idle longest, if one has been idle _SHED_IDLE_MS or more, with
        # ECONNABORTED, as lwIP aborts its least active connection for a new one: True if so.
        now = ticks_ms()
        victim = None
        most = _SHED_IDLE_MS
        for c in self._conns:
            idle = _rt.ticks_diff(now, c._last_io_ms)
            if idle >= most:
                most = idle
                victim = c
        if victim is None:
            return False
        victim._end(_rt.ECONNABORTED)
        return True

    def _starve(self, exc):
        # Accepting failed for want of sockets or memory: report it once per run of failures
        # (`error(server, exc)`, or a printed line), stop polling the listener and retry in
        # _ACCEPT_RETRY_MS. Open connections are untouched and the server keeps listening.
        if not self._starved:
            self._starved = True
            if not self._report(exc):
                _say(exc, "net.server: accept failed, retrying:")
        if self._listener is None:
            return  # the error handler closed the server
        loop.modify(self._listener, 0)
        if self._retry_timer is None:
            self._retry_timer = Timer(_resume, self)
        self._retry_timer.start(_ACCEPT_RETRY_MS)

    def _report(self, exc):
        # The server's `error` event: True when a handler took it. What the handler itself
        # raises is printed, never handed back to it.
        h = self._handlers
        fn = None if h is None else h[_EV_ERROR]
        if fn is None:
            return False
        try:
            fn(self, exc)
        except Exception as e:
            _say(e)
        return True

    def _fault(self, exc):
        # A callback of this server raised (or its _io did): its `error` handler, else a
        # traceback. Unlike a connection, a server is never closed for it: only close() ends it.
        if not self._report(exc):
            _say(exc)

    def _ended(self, conn):
        # One of this server's connections ended (Socket._end tells, once per connection).
        conns = self._conns
        conns.remove(conn)
        if conns:
            return
        # The last one: no sweep is due, and a close() waiting for it is done.
        self._sweep_timer.stop()
        if self._close_cbs is not None and self._listener is None:
            self._closed()

    def _closed(self):
        cbs = self._close_cbs
        self._close_cbs = None
        self._emit0(_EV_CLOSE)
        for fn in cbs:
            try:
                fn(self, None)
            except Exception as e:
                self._fault(e)

    def close(self, callback=None):
        # Stop accepting now; open connections stay. `close` fires, and callback(server, err)
        # runs, once the last one has ended. Not listening (never, or a failed listen): `close`
        # fires and callback(server, OSError) runs on a later turn, as in Node.
        if callback is not None and not callable(callback):
            raise TypeError("callback must be callable, not %s" % type(callback).__name__)
        s = self._listener
        if s is None:
            if self._close_cbs is None:
                loop.soon(_later, self, (_closed_idle, None))
            if callback is not None:
                loop.soon(_later, self, (callback, OSError(_rt.ENOTCONN, "server is not listening")))
            return
        self._listening_cb = None
        self._listener = None
        loop.remove(s)
        s.close()
        if self._retry_timer is not None:
            self._retry_timer.stop()
        self._starved = False
        if self._close_cbs is None:
            self._close_cbs = []
        if callback is not None:
            self._close_cbs.append(callback)
        if not self._conns:
            loop.soon(_later_closed, self)

    def address(self):
        # Node's shape: {"port": p, "family": "IPv4", "address": ip}; a unix path as a str.
        if self._listener is None:
            return None
        if self._port is None and self._ip is not None:
            return self._ip
        return {"port": self._port, "family": "IPv4", "address": self._ip}

    def getaddr(self):
        # (port, ip), or (None, None) when not listening.
        if self._listener is None:
            return (None, None)
        return (self._port, self._ip)

    def getConnections(self, callback):
        # callback(err, count) on a later loop turn (Node's signature).
        if not callable(callback):
            raise TypeError("callback must be callable, not %s" % type(callback).__name__)
        loop.soon(_later, self, callback)

    def __repr__(self):
        return "<net.server %s:%s>" % (self._ip, self._port) if self._listener is not None else "<net.server>"


def _later_closed(srv, _):
    if srv._close_cbs is not None and srv._listener is None and not srv._conns:
        srv._closed()


def _closed_idle(srv, _):
    # close() of a server that was not listening: its `close` event (Node's
    # _emitCloseIfDrained), unless it has listened again meanwhile.
    if srv._listener is None:
        srv._emit0(_EV_CLOSE)


def createServer(type=_TCP, timeout=_OMITTED):
    # Its forms are docs/API.md's. `type` is the API's keyword (docs/API.md, the stubs): this
    # function does not use the builtin.
    if callable(type) and timeout is _OMITTED:
        srv = Server(30)
        srv._connection_cb = type
        srv._node_style = True
        return srv
    if timeout is _OMITTED:
        timeout = 30
        if type.__class__ is int and type != _TCP and type != _UDP:
            type, timeout = _TCP, type
    if type is True or type is False or (type != _TCP and type != _UDP):
        raise ValueError("type must be net.TCP (1) or net.UDP (2), got %r" % (type,))
    if type == _UDP:
        from ._udp import createUDPSocket

        return createUDPSocket()
    if timeout.__class__ is not int or timeout is True or timeout is False:
        raise TypeError("timeout must be an int in 1..28800 (seconds), not %s" % timeout.__class__.__name__)
    if timeout < 1 or timeout > 28800:
        raise ValueError("timeout must be in 1..28800 (seconds), got %d" % timeout)
    return Server(timeout)
