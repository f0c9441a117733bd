# board/esp32/errno.py - the ESP32 firmware's errno module (newlib numbers), for the personality.
# MIT licence, see LICENSE.
#
# MicroPython's ESP32 port uses the toolchain's errno (MICROPY_USE_INTERNAL_ERRNO = 0), i.e.
# newlib's sys/errno.h, so several numbers differ from Linux (EADDRINUSE is 112, not 98).
# The names are the module's default list (py/moderrno.c); the numbers match the
# micropython-esp32-stubs 1.29 taken from a real board.
EPERM = 1
ENOENT = 2
EIO = 5
EBADF = 9
EAGAIN = 11
ENOMEM = 12
EACCES = 13
EEXIST = 17
ENODEV = 19
EISDIR = 21
EINVAL = 22
EOPNOTSUPP = 95
ECONNRESET = 104
ENOBUFS = 105
ECONNREFUSED = 111
EADDRINUSE = 112
ECONNABORTED = 113
ETIMEDOUT = 116
EHOSTUNREACH = 118
EINPROGRESS = 119
EALREADY = 120
ENOTCONN = 128

errorcode = {}
for _n in list(globals()):
    if _n[0] == "E":
        errorcode[globals()[_n]] = _n
del _n
