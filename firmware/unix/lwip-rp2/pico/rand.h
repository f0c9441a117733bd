// firmware/unix/lwip-rp2/pico/rand.h - the one pico-sdk function that ports/rp2's lwipopts.h
// uses (LWIP_RAND), for the host: firmware/unix/lwip/lwip_tap.c defines it (getrandom()).
// MIT licence, see LICENSE.
#include <stdint.h>
uint32_t get_rand_32(void);
