// firmware/unix/lwip-esp8266: the unix port's standard variant with net frozen in, whose
// socket module is extmod/modlwip.c on lwIP set up as the ESP8266 firmware's (lwipopts.h).
// MIT licence, see LICENSE.
#define MICROPY_CONFIG_ROM_LEVEL (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)
#include "variants/mpconfigvariant_common.h"
// The netif's hostname: ports/esp8266/mpconfigport.h.
#define MICROPY_PY_NETWORK_HOSTNAME_DEFAULT "mpy-esp8266"
#include "mpconfig_lwip.h"
