// firmware/unix/lwip-esp32/idf/esp_netif.h - stand-in for ESP-IDF's esp_netif.h (and the
// esp_err.h / esp_idf_version.h it brings). MIT licence, see LICENSE.
//
// Included by ports/esp32/modnetwork.h, which modsocket.c includes. What is used:
// - esp_err_t, ESP_OK and esp_netif_t: types in modnetwork.h's declarations;
// - ESP_IDF_VERSION(_VAL): modnetwork.h's #if on the IDF version (PHY list only). The version is
//   the one MicroPython 1.28's ports/esp32/README.md recommends, v5.5.1;
// - esp_netif_init(): called once by socket.__init__ (esp_socket_initialize). On the ESP32 it
//   starts lwIP's tcpip thread if not started; here lwIP and the TAP link are started when the
//   interpreter starts (link.c), so it only answers ESP_OK. It touches no socket.
#ifndef NET_IDF_ESP_NETIF_H
#define NET_IDF_ESP_NETIF_H
typedef int esp_err_t;
#define ESP_OK 0
#define ESP_IDF_VERSION_VAL(major, minor, patch) (((major) << 16) | ((minor) << 8) | (patch))
#define ESP_IDF_VERSION ESP_IDF_VERSION_VAL(5, 5, 1)
typedef struct esp_netif_obj esp_netif_t;
esp_err_t esp_netif_init(void);
#endif
