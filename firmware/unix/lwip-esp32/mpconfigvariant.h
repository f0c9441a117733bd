// firmware/unix/lwip-esp32: the unix port with the ESP32's socket module (ports/esp32/modsocket.c)
// over lwIP's socket API on a TAP link, net frozen in. MIT licence, see LICENSE.
//   python tools/firmware.py build --board lwip-esp32
// The standard variant's settings, and what modsocket.c needs of the ESP32 port's mpconfigport.h.
#define MICROPY_CONFIG_ROM_LEVEL (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)
#include "variants/mpconfigvariant_common.h"

// modsocket.c is compiled only with MICROPY_PY_NETWORK (as on the ESP32, mpconfigport.h). It
// also turns on extmod/modnetwork.c: a `network` module with no interface (hostname, country,
// ipconfig), which no socket call goes through.
#define MICROPY_PY_NETWORK (1)
// ESP32: MICROPY_PY_SOCKET_EVENTS = MICROPY_PY_WEBREPL = 1. Kept, so a socket object has the same
// fields (and heap size) as on the ESP32; the handler runs from the event hook, as the ESP32's
// MICROPY_EVENT_POLL_HOOK runs it.
#define MICROPY_PY_SOCKET_EVENTS (1)
void socket_events_handler(void);
#define MICROPY_INTERNAL_EVENT_HOOK socket_events_handler()
// ESP32: 1 (getaddrinfo of a ".local" name asks ESP-IDF's mdns component first). No mdns
// component here: see idf/mdns.h.
#define MICROPY_HW_ENABLE_MDNS_QUERIES (0)
// extmod/modnetwork.c wants a default hostname; the ESP32 port's (mpconfigport.h).
#define MICROPY_PY_NETWORK_HOSTNAME_DEFAULT "mpy-esp32"
