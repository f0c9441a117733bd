// firmware/unix/lwip-rp2/lwipopts.h - lwIP settings: exactly the Pico W firmware's.
// MIT licence, see LICENSE.
//
// MicroPython's rp2 port builds lwIP with ports/rp2/lwip_inc/lwipopts.h, which includes
// extmod/lwip-include/lwipopts_common.h; both are included here unchanged, from the
// MicroPython tree being built (-I$(TOP)). In v1.28.0 they give, among others:
//   NO_SYS 1, LWIP_IPV4 1, LWIP_IPV6 1, SO_REUSE 1, TCP_LISTEN_BACKLOG 1,
//   MEM_SIZE 8000, TCP_MSS 800, TCP_WND 6400 (8 * MSS), TCP_SND_BUF 6400 (8 * MSS),
//   MEMP_NUM_TCP_SEG 32, MEMP_NUM_UDP_PCB 5 (4 + the mDNS responder's),
//   MEMP_NUM_TCP_PCB 5 and MEMP_NUM_TCP_PCB_LISTEN 8 (lwIP's opt.h defaults), pools
//   (MEMP_MEM_MALLOC 0), LWIP_DHCP 1 (not started here: the address is static),
//   LWIP_MDNS_RESPONDER 1 (started on the netif as on the Pico W).
// What it needs from the pico-sdk is get_rand_32() (pico/rand.h here; lwip_tap.c defines it).
// modlwip's own UDP/raw receive queue (LWIP_INCOMING_PACKET_QUEUE_LEN, 4) and accept queue
// (the listen backlog) are in extmod/modlwip.c, the same on every port.
#include "ports/rp2/lwip_inc/lwipopts.h"
// A diagnostic build only (docs/lwip.md, "A diagnostic build"): lwIP's counters, which the
// Pico W firmware does not keep, for lwip_tap.c's timeline.
#ifdef NET_LWIP_DIAG
#undef LWIP_STATS
#define LWIP_STATS 1
#endif
