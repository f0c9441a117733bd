// firmware/unix/lwip-esp32: the unix port with the ESP32's socket module (ports/esp32/modsocket.c)
// over lwIP's socket API on a TAP link, net frozen in. MIT licence, see LICENSE.
//   python tools/firmware.py build --board lwip-esp32
// The standard variant's settings, and what modsocket.c needs of the ESP32 port's mpconfigport.h.
#define MICROPY_CONFIG_ROM_LEVEL (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)
#include "variants/mpconfigvariant_common.h"

// No MICROPY_PY_NETWORK here: it would build extmod/modnetwork.c's `network` (no WLAN, no
// ipconfig; the ESP32's is ESP-IDF driver code), hiding board/network.py as lwip-esp8266 has it.
// modsocket.c, which that setting guards, turns it on for itself (esp32_modsocket.c).
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
// Polling: modsocket.c's sockets have no host descriptor, so select.poll (extmod/modselect.c,
// with the standard variant's MICROPY_PY_SELECT_POSIX_OPTIMISATIONS) asks each of them with
// MP_STREAM_POLL (a zero-timeout lwip_select) every MICROPY_PY_SELECT_IOCTL_CALL_PERIOD_MS, 1 ms
// (modselect.c's default, kept): the ESP32 asks them once per FreeRTOS tick, 1 ms too
// (MICROPY_EVENT_POLL_HOOK's ulTaskNotifyTake(pdFALSE, 1)). Measured over the TAP link
// (docs/lwip-esp32.md): an HTTP request/response in about 2.3 ms median, a UDP echo in 1.2 ms.
