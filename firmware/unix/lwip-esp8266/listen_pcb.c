// firmware/unix/lwip-esp8266/listen_pcb.c - room for what modlwip writes into a listening pcb.
// MIT licence, see LICENSE.
//
// Closing a listening socket, modlwip (extmod/modlwip.c, lwip_socket_ioctl MP_STREAM_CLOSE)
// calls tcp_err() and tcp_recv() on its LISTEN pcb. lwIP asserts against that (core/tcp.c) and,
// assertions compiled out as on the boards, stores `errf` and `recv` at offsets 148 and 136 of
// a struct tcp_pcb_listen of 32 bytes (32-bit): 4-byte writes past its end. On the ESP8266 they
// land in the SDK heap beside it; here, in lwIP's own heap (MEMP_MEM_MALLOC 1), they broke the
// next block's links and the next tcp_new() spun for ever. So a block of a listening pcb's size
// gets a whole pcb's: the writes stay inside it (136 bytes more per listening socket). Linked
// with --wrap=mem_malloc (mpconfigvariant.mk); docs/lwip.md records the finding.
#include "lwip/mem.h"
#include "lwip/tcp.h"
#include "lwip/priv/memp_priv.h"

void *__real_mem_malloc(mem_size_t size);

void *__wrap_mem_malloc(mem_size_t size) {
    if (size == MEMP_SIZE + MEMP_ALIGN_SIZE(sizeof(struct tcp_pcb_listen))) {
        size = MEMP_SIZE + MEMP_ALIGN_SIZE(sizeof(struct tcp_pcb));
    }
    return __real_mem_malloc(size);
}
