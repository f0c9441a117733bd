// firmware/unix/lwip-esp32/vfs.c - stand-in for ESP-IDF's VFS as it reaches lwIP sockets.
// MIT licence, see LICENSE.
//
// modsocket.c calls select() and fcntl() by their POSIX names. On the ESP32 they are ESP-IDF's
// VFS, which hands a descriptor in lwIP's range (LWIP_SOCKET_OFFSET..FD_SETSIZE-1) to
// lwip_select()/lwip_fcntl() (esp-idf v5.5.1 components/lwip/port/esp32xx/vfs_lwip.c registers
// that range). ESP-IDF's own Linux build of lwIP does the same with the linker's --wrap
// (components/lwip/port/linux/vfs_lwip.c); so does this file (the link flags are in
// mpconfigvariant.mk). A descriptor in the range goes to lwIP, any other to the C library:
// nothing is decided here, so it cannot change socket behaviour. link.c keeps the host's own
// descriptors out of the range.
#include <stdarg.h>
#include <sys/select.h>
#include <sys/time.h>

#include "lwipopts.h"

#define NET_LWIP_FD(fd) ((fd) >= LWIP_SOCKET_OFFSET && (fd) < LWIP_SOCKET_OFFSET + MEMP_NUM_NETCONN)

int lwip_select(int maxfdp1, fd_set *readset, fd_set *writeset, fd_set *exceptset, struct timeval *timeout);
int lwip_fcntl(int s, int cmd, int val);

// The C library's names these calls have in a 32-bit build with 64-bit time and offsets
// (_TIME_BITS=64, _FILE_OFFSET_BITS=64, as the unix port builds), and in any other.
#include "vfs_names.h"

int NET_REAL_SELECT(int, fd_set *, fd_set *, fd_set *, struct timeval *);
int NET_REAL_FCNTL(int, int, ...);

int NET_WRAP_SELECT(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *t) {
    // modsocket.c selects one socket at a time, so nfds - 1 is that socket.
    if (NET_LWIP_FD(nfds - 1)) {
        return lwip_select(nfds, r, w, e, t);
    }
    return NET_REAL_SELECT(nfds, r, w, e, t);
}

int NET_WRAP_FCNTL(int fd, int cmd, ...) {
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);  // an int or a pointer: passed on as it came
    va_end(ap);
    if (NET_LWIP_FD(fd)) {
        return lwip_fcntl(fd, cmd, (int)(long)arg);
    }
    return NET_REAL_FCNTL(fd, cmd, arg);
}
