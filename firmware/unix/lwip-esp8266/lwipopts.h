// firmware/unix/lwip-esp8266/lwipopts.h - lwIP 2.2.1 set up as the ESP8266 firmware's lwIP.
// MIT licence, see LICENSE.
//
// MicroPython's esp8266 port does not build lwIP: it links the SDK's -llwip_open
// (ports/esp8266/Makefile), i.e. esp-open-lwip, lwIP 1.4 as the ESP8266 NONOS SDK 1.5 vendored
// it. Every value below is cited from github.com/pfalcon/esp-open-lwip at b9a23a6:
//   [opts]  include/lwipopts.h, line        [init]  lwip/core/init.c, lwip_init()
//   [impl]  include/lwip/tcp_impl.h, line   [in]    lwip/core/tcp_in.c, tcp_listen_input()
// Four settings are variables there, set once by lwip_init() ([init] lines 262-265) and
// changed only by the SDK's espconn_* calls, which MicroPython does not make: their values are
// lwip_init()'s. Settings of lwIP 1.4 that 2.2.1 no longer has are listed at the end.
// modlwip's own queues are in extmod/modlwip.c, the same on every port: a UDP/raw socket
// keeps at most LWIP_INCOMING_PACKET_QUEUE_LEN (4) datagrams, a listening socket at most its
// backlog of connections (default 2, SOMAXCONN in firmware/unix/lwip/mpconfig_lwip.h).
#ifndef NET_LWIP_ESP8266_LWIPOPTS_H
#define NET_LWIP_ESP8266_LWIPOPTS_H

// --- system ---
#define NO_SYS                          1   // [opts] 62
#define SYS_LIGHTWEIGHT_PROT            0   // [opts] 54 (everything runs under the lwIP lock)
#define LWIP_IPV4                       1
#define LWIP_IPV6                       0   // lwIP 1.4 has no IPv6

// --- memory ---
// The ESP8266 takes lwIP's memory, pools included, from the SDK's heap: MEM_LIBC_MALLOC 1
// ([opts] 100, mem_malloc is os_malloc) and MEMP_MEM_MALLOC 1 ([opts] 109). So no pool limit
// is enforced there (the MEMP_NUM_* below only size nothing), only the heap's size. Here the
// heap is lwIP's own, of the MEM_SIZE that file names ([opts] 126: 16000), standing in for the
// SDK heap (whose free size depends on the firmware): MEM_LIBC_MALLOC 0 is the one deviation.
#define MEM_LIBC_MALLOC                 0   // [opts] 100 has 1 (os_malloc): see above
#define MEMP_MEM_MALLOC                 1   // [opts] 109
#define MEM_ALIGNMENT                   4   // [opts] 118
#define MEM_SIZE                        16000 // [opts] 126
#define MEMP_NUM_PBUF                   10  // [opts] 220
#define MEMP_NUM_RAW_PCB                4   // [opts] 228
#define MEMP_NUM_UDP_PCB                4   // [opts] 237
// [opts] 245 reads it from 0x600011FC, which lwip_init() sets to 5 ([init] 262). It is
// enforced in one place only: a SYN to a listening pcb is dropped while 5 pcbs are on
// tcp_active_pcbs ([in] lines 514-519). lwip_hooks.h does the same here.
#define MEMP_NUM_TCP_PCB                5
#define MEMP_NUM_TCP_PCB_LISTEN         2   // [opts] 253
#define MEMP_NUM_TCP_SEG                16  // [opts] 261
#define MEMP_NUM_REASSDATA              0   // [opts] 269
#define MEMP_NUM_FRAG_PBUF              0   // [opts] 280
#define MEMP_NUM_ARP_QUEUE              10  // [opts] 290
#define MEMP_NUM_IGMP_GROUP             8   // [opts] 300
#define MEMP_NUM_SYS_TIMEOUT            8   // [opts] 308
#define PBUF_POOL_SIZE                  10  // [opts] 406

// --- ARP, IP, ICMP ---
#define LWIP_ARP                        1   // [opts] 418
#define ARP_TABLE_SIZE                  10  // [opts] 425
#define ARP_QUEUEING                    1   // [opts] 436
#define ETH_PAD_SIZE                    0   // [opts] 476
#define IP_FORWARD                      0   // [opts] 498
#define IP_OPTIONS_ALLOWED              1   // [opts] 507
#define IP_REASSEMBLY                   0   // [opts] 516
#define IP_FRAG                         0   // [opts] 525
#define IP_DEFAULT_TTL                  255 // [opts] 570
#define IP_SOF_BROADCAST                0   // [opts] 579
#define IP_SOF_BROADCAST_RECV           0   // [opts] 587
#define LWIP_ICMP                       1   // [opts] 600
#define LWIP_BROADCAST_PING             0   // [opts] 614
#define LWIP_MULTICAST_PING             0   // [opts] 621
#define LWIP_RAW                        1   // [opts] 633
#define LWIP_DHCP                       1   // [opts] 652 (not started here: static address)
#define LWIP_AUTOIP                     0   // [opts] 678
#define LWIP_IGMP                       1   // [opts] 779

// --- DNS ---
#define LWIP_DNS                        1   // [opts] 803
#define DNS_TABLE_SIZE                  4   // [opts] 808
#define DNS_MAX_NAME_LENGTH             256 // [opts] 813
#define DNS_MAX_SERVERS                 2   // [opts] 818
#define DNS_DOES_NAME_CHECK             1   // [opts] 823
#define DNS_MSG_SIZE                    512 // [opts] 828

// --- UDP, TCP ---
#define LWIP_UDP                        1   // [opts] 860
#define LWIP_UDPLITE                    0   // [opts] 867
#define LWIP_TCP                        1   // [opts] 893
#define TCP_WND                         (4 * TCP_MSS) // [opts] 908: 0x600011F0, [init] 263
#define TCP_MAXRTX                      12  // [opts] 915: 0x600011E8, [init] 264
#define TCP_SYNMAXRTX                   6   // [opts] 922: 0x600011E4, [init] 265
#define TCP_QUEUE_OOSEQ                 1   // [opts] 944
#define TCP_MSS                         1460 // [opts] 956
#define TCP_CALCULATE_EFF_SEND_MSS      1   // [opts] 969
#define TCP_SND_BUF                     (2 * TCP_MSS) // [opts] 977
#define TCP_SND_QUEUELEN                ((4 * (TCP_SND_BUF) + (TCP_MSS - 1)) / (TCP_MSS)) // [opts] 985
#define TCP_SNDLOWAT                    ((TCP_SND_BUF) / 2) // [opts] 994
#define TCP_SNDQUEUELOWAT               LWIP_MAX(((TCP_SND_QUEUELEN) / 2), 5) // [opts] 1003
#define TCP_LISTEN_BACKLOG              0   // [opts] 1010
#define TCP_OVERSIZE                    TCP_MSS // [opts] 1037
#define LWIP_TCP_TIMESTAMPS             0   // [opts] 1044
#define TCP_WND_UPDATE_THRESHOLD        (TCP_WND / 4) // [opts] 1052
#define LWIP_TCP_KEEPALIVE              1   // [opts] 1431
#define TCP_TMR_INTERVAL                125 // [impl] 116 (lwIP 2.2.1: 250)
#define TCP_KEEPIDLE_DEFAULT            120000UL // [impl] 138 (lwIP 2.2.1: 7200000)
#define SO_REUSE                        0   // [opts] 1459

// --- netif ---
// Received frames stay in the driver's buffers, as the ESP8266's Wi-Fi driver keeps them
// (PBUF_ESF_RX: lwip_tap.c, rx_pbuf), not in lwIP's heap.
#define NET_LWIP_RX_DRIVER_BUFFERS      1
#define LWIP_SUPPORT_CUSTOM_PBUF        1
#define LWIP_NETIF_HOSTNAME             1   // [opts] 1104
#define LWIP_NETIF_STATUS_CALLBACK      0   // [opts] 1119
#define LWIP_NETIF_LINK_CALLBACK        0   // [opts] 1127
#define LWIP_NETIF_LOOPBACK             0   // [opts] 1146
#define LWIP_NETIF_TX_SINGLE_PBUF       1   // [opts] 1184

// --- APIs ---
#define LWIP_NETCONN                    0   // [opts] 1386
#define LWIP_SOCKET                     0   // [opts] 1405
#define LWIP_STATS                      0   // [opts] 1480

// The 5-connection limit of tcp_listen_input ([in] 514-519), as an lwIP 2.2.1 hook.
#define LWIP_HOOK_FILENAME              "lwip_hooks.h"

// Not carried over: TCP_MAXRTO 10 and TCP_MINRTO 2 ([opts] 929, 936; lwIP 2.2.1 has neither),
// MEMP_SEPARATE_POOLS, MEMP_NUM_TCPIP_MSG_* (no tcpip thread with NO_SYS), ETHARP_TRUST_IP_MAC
// (removed in 2.0), LWIP_MDNS ([opts] 790: the SDK's espconn mDNS, started only by
// espconn_mdns_init, which MicroPython does not call), and MEMCPY/SMEMCPY (os_memcpy: memcpy).

#endif
