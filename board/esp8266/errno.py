# board/esp8266/errno.py - the ESP8266 firmware's errno module, for the personality.
# MIT licence, see LICENSE.
#
# MicroPython's ESP8266 port uses its internal errno numbers (py/mperrno.h with
# MICROPY_USE_INTERNAL_ERRNO = 1), which follow Linux; extmod/modlwip.c maps lwIP's err_t onto
# them (ERR_RST -> ECONNRESET, ERR_ABRT -> ECONNABORTED, ...). The names are the module's default
# list; the numbers match the micropython-esp8266-stubs 1.29 taken from a real board.
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
EADDRINUSE = 98
ECONNABORTED = 103
ECONNRESET = 104
ENOBUFS = 105
ENOTCONN = 107
ETIMEDOUT = 110
ECONNREFUSED = 111
EHOSTUNREACH = 113
EALREADY = 114
EINPROGRESS = 115

errorcode = {}
for _n in list(globals()):
    if _n[0] == "E":
        errorcode[globals()[_n]] = _n
del _n
