// firmware/unix/lwip/arch/cc.h - lwIP's architecture header for the unix-port lwIP variants.
// MIT licence, see LICENSE.
//
// As ports/rp2/lwip_inc/arch/cc.h, but an lwIP assertion is fatal (message on stderr, abort)
// rather than ignored: on the host a broken invariant is a finding to report, not to run past.
#ifndef NET_LWIP_ARCH_CC_H
#define NET_LWIP_ARCH_CC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LWIP_PLATFORM_DIAG(x)
#define LWIP_PLATFORM_ASSERT(x) do { \
        fprintf(stderr, "lwIP assertion \"%s\" failed at line %d in %s\n", x, __LINE__, __FILE__); \
        fflush(stderr); \
        abort(); \
} while (0)

// Random numbers: pico-sdk's name (the rp2 lwipopts.h calls it), from getrandom() (lwip_tap.c).
uint32_t get_rand_32(void);
#ifndef LWIP_RAND
#define LWIP_RAND() get_rand_32()
#endif

#endif
