// firmware/unix/lwip-esp8266/tcp_limit.c - the ESP8266's 5 TCP connections (lwip_hooks.h).
// MIT licence, see LICENSE.
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/tcp.h"

signed char net_esp8266_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr) {
    if (pcb->state != LISTEN || (TCPH_FLAGS(hdr) & (TCP_SYN | TCP_ACK)) != TCP_SYN) {
        return ERR_OK;
    }
    unsigned active = 0;
    for (struct tcp_pcb *p = tcp_active_pcbs; p != NULL; p = p->next) {
        ++active;
    }
    return active >= MEMP_NUM_TCP_PCB ? ERR_MEM : ERR_OK;
}
