// firmware/unix/lwip-esp32/idf/mdns.h - stand-in for ESP-IDF's mdns component header.
// MIT licence, see LICENSE.
//
// modsocket.c includes mdns.h only for mdns_query_a(), which it calls only when
// MICROPY_HW_ENABLE_MDNS_QUERIES is set (ESP32_GENERIC sets it: getaddrinfo("x.local") asks
// mDNS before DNS). This variant sets it to 0 (mpconfigvariant.h), so nothing from this header
// is used: empty. What that leaves out is name resolution of ".local" names only; sockets,
// their polling and their errors do not pass through it.
#ifndef NET_IDF_MDNS_H
#define NET_IDF_MDNS_H
#endif
