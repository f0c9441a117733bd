# Which socket and errno modules a personality gives, net's view of them, getaddrinfo's answer,
# for tests/test_personality.py.
# MIT licence, see LICENSE.
import socket, errno
from net import _rt, _rtopt
print("MOD", socket.__file__.split("/")[-2], errno.__file__.split("/")[-2])
print("RAW", _rt._RAW_ADDR, "TTL", _rtopt.CAN_TTL, "UNIX", _rt.AF_UNIX)
for n in ("EAGAIN", "EINPROGRESS", "EALREADY", "ECONNRESET", "ECONNABORTED", "ENOTCONN", "ETIMEDOUT",
          "EADDRINUSE", "EHOSTUNREACH", "ENOMEM", "EBADF", "ECONNREFUSED"):
    print("E", n, getattr(errno, n), getattr(_rt, n))
print("GAI", socket.getaddrinfo("127.0.0.1", 80))
