// firmware/unix/lwip-esp32/idf/lwip/sockets.h - stand-in for ESP-IDF's own lwip/sockets.h
// (esp-idf v5.5.1 components/lwip/include/lwip/sockets.h). MIT licence, see LICENSE.
//
// ESP-IDF builds lwIP with LWIP_COMPAT_SOCKETS 0 (its lwipopts.h) and gives the BSD names in
// this wrapper, as static inline functions calling lwip_*(). modsocket.c calls lwip_*() itself
// except getsockopt() (SO_ERROR after a connect); select() and fcntl() reach lwIP through
// ESP-IDF's VFS (vfs.c stands in for that). Only getsockopt is needed, and it is exactly the
// ESP-IDF one: a direct call of lwip_getsockopt.
#ifndef NET_IDF_LWIP_SOCKETS_H
#define NET_IDF_LWIP_SOCKETS_H
#include_next "lwip/sockets.h"
static inline int getsockopt(int s, int level, int optname, void *opval, socklen_t *optlen) {
    return lwip_getsockopt(s, level, optname, opval, optlen);
}
#endif
