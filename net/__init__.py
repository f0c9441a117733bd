# net - event-driven TCP/UDP networking for MicroPython: NodeMCU's net API, Node's net.Server.
# MIT licence, see LICENSE.
#
# The contract is docs/API.md. The parts are loaded on first use, so a program pays heap only
# for what it touches (docs/design.md, "The modules").
from ._rt import const
from ._loop import loop as _loop

__version__ = "0.1.0"

TCP = const(1)
UDP = const(2)

# attribute -> module that defines it; "dns" is the module itself (net.dns.resolve(...)).
_attrs = {
    "createServer": "_srv",
    "createConnection": "_client",
    "createUDPSocket": "_udp",
    "ifinfo": "_if",
    "multicastJoin": "_if",
    "multicastLeave": "_if",
    "dns": "dns",
    "ping": "_ping",
    "task": "_aio",
}


def __getattr__(attr):
    # Lazy loader: import the module that defines attr on first access, then keep the value
    # in this module's globals so that the next access is a plain lookup.
    mod = _attrs.get(attr)
    if mod is None:
        # `from net import _udp` asks this function before importing the submodule on
        # MicroPython: load private submodules here rather than refuse them.
        if attr[:1] != "_" or attr[:2] == "__":
            raise AttributeError("module 'net' has no attribute '%s'" % attr)
        mod = attr
    try:
        m = __import__(mod, globals(), None, (attr,), 1)
    except ImportError:
        raise AttributeError("module 'net' has no attribute '%s'" % attr)
    value = m if attr == mod else getattr(m, attr)
    globals()[attr] = value
    return value


def run():
    # Serve until stop() is called or nothing is left to watch (no socket, timer or query).
    _loop.run()


def poll(timeout_ms=0):
    # One turn of the loop: wait up to timeout_ms (-1: until something happens), then
    # dispatch what is ready. For programs that drive their own main loop.
    if type(timeout_ms) is not int:
        raise TypeError("timeout_ms must be an int (milliseconds, -1 to wait), not %s" % type(timeout_ms).__name__)
    if timeout_ms < -1:
        raise ValueError("timeout_ms must be -1 or more, got %d" % timeout_ms)
    _loop.poll(timeout_ms)


def stop():
    # Make run() (or the asyncio task) return after the current turn.
    _loop.stop()
