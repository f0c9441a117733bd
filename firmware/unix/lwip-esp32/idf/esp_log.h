// firmware/unix/lwip-esp32/idf/esp_log.h - stand-in for ESP-IDF's esp_log.h, for
// ports/esp32/modsocket.c. MIT licence, see LICENSE.
//
// modsocket.c logs with ESP_LOGI (TAG "modsocket", "Initializing", in socket.__init__) and
// ESP_LOGE (an fcntl() that fails inside connect()). Logging cannot change socket behaviour:
// the macros return nothing and modsocket.c acts on errno, not on what is logged. As on
// MicroPython's ESP32 firmware, whose ports/esp32/boards/sdkconfig.base sets
// CONFIG_LOG_DEFAULT_LEVEL_ERROR=y, errors are printed (here to stderr) and info is not.
#ifndef NET_IDF_ESP_LOG_H
#define NET_IDF_ESP_LOG_H
#include <stdio.h>
#define ESP_LOGE(tag, fmt, ...) fprintf(stderr, "E %s: " fmt "\n", tag, ##__VA_ARGS__)
#define ESP_LOGI(tag, fmt, ...) ((void)(tag))
#endif
