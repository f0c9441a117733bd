// firmware/unix/lwip-esp32/idf/esp_wifi_types.h - stand-in for ESP-IDF's esp_wifi_types.h.
// MIT licence, see LICENSE.
//
// Included by ports/esp32/modnetwork.h (which modsocket.c includes, from its own folder) for
// esp_interface_t, the type of a field of base_if_obj_t (a WLAN/LAN interface object).
// modsocket.c uses no interface object; the type only has to exist.
#ifndef NET_IDF_ESP_WIFI_TYPES_H
#define NET_IDF_ESP_WIFI_TYPES_H
typedef enum { ESP_IF_WIFI_STA = 0, ESP_IF_WIFI_AP, ESP_IF_MAX } esp_interface_t;
#endif
