// firmware/unix/lwip-esp8266/lwip_hooks.h - lwIP hooks (LWIP_HOOK_FILENAME in lwipopts.h).
// MIT licence, see LICENSE.
//
// The ESP8266's limit on TCP connections: esp-open-lwip's tcp_listen_input (lwip/core/tcp_in.c,
// lines 514-519 at b9a23a6) counts tcp_active_pcbs and drops a SYN (ERR_MEM, no answer: the
// peer sends it again later) while there are MEMP_NUM_TCP_PCB (5). lwIP 2.2.1 calls this hook
// for every segment before a listening pcb sees it (core/tcp_in.c, tcp_input).
#ifndef NET_LWIP_ESP8266_HOOKS_H
#define NET_LWIP_ESP8266_HOOKS_H
struct tcp_pcb;
struct tcp_hdr;
struct pbuf;
signed char net_esp8266_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr);
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) net_esp8266_tcp_inpacket(pcb, hdr)
#endif
