// firmware/unix/lwip/arch/cc.h - lwIP's architecture header for the unix-port lwIP variants.
// MIT licence, see LICENSE.
//
// As ports/rp2/lwip_inc/arch/cc.h: an lwIP assertion is ignored, as on the boards (rp2's
// LWIP_PLATFORM_ASSERT does nothing; esp-open-lwip's lwIP 1.4 has not the one below). Not fatal
// here either: modlwip trips one on every close of a listening socket (it calls tcp_err() on
// the LISTEN pcb, which tcp.c asserts against), and a board runs past it. NET_LWIP_ASSERTS=1
// in the environment prints each one on stderr, to look for others.
#ifndef NET_LWIP_ARCH_CC_H
#define NET_LWIP_ARCH_CC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LWIP_PLATFORM_DIAG(x)
#define LWIP_PLATFORM_ASSERT(x) do { \
        if (getenv("NET_LWIP_ASSERTS")) { \
            fprintf(stderr, "lwIP assertion \"%s\" failed at line %d in %s\n", x, __LINE__, __FILE__); \
        } \
} while (0)

// Random numbers: pico-sdk's name (the rp2 lwipopts.h calls it), from getrandom() (lwip_tap.c).
uint32_t get_rand_32(void);
#ifndef LWIP_RAND
#define LWIP_RAND() get_rand_32()
#endif

#endif
