// firmware/unix/lwip-esp32/esp32_modsocket.c - the ESP32 port's ports/esp32/modsocket.c, as it
// is, with the settings it needs in this file only. MIT licence, see LICENSE.
//
// modsocket.c is guarded by MICROPY_PY_NETWORK (on in the ESP32 port's mpconfigport.h). Set for
// the whole build it would also build extmod/modnetwork.c: a `network` module with no interface
// (the ESP32's WLAN/LAN are ESP-IDF driver code), hiding the emulated board's board/network.py,
// which gives the link's address (NET_IP) as on lwip-esp8266 and lwip-rp2.
#define MICROPY_PY_NETWORK (1)
// listen() without a backlog uses MICROPY_PY_SOCKET_LISTEN_BACKLOG_DEFAULT: the ESP32 port leaves
// it at py/mpconfig.h's 2; the unix port's mpconfigport.h sets it to min(SOMAXCONN, 128) from
// <sys/socket.h>, which modsocket.c (lwIP's sockets) does not include: this gives the ESP32's 2.
#define SOMAXCONN 2
// The ESP32 port compiles it without -Wextra's sign-compare.
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "ports/esp32/modsocket.c"
