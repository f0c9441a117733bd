// firmware/unix/lwip-esp32/lwipopts.h - lwIP configured as MicroPython's ESP32_GENERIC firmware
// configures it. MIT licence, see LICENSE.
//
// Sources (read at these versions):
//   [L] ESP-IDF v5.5.1 components/lwip/port/include/lwipopts.h   (how CONFIG_* become lwIP options)
//   [K] ESP-IDF v5.5.1 components/lwip/Kconfig                     (the CONFIG_* defaults)
//   [S] MicroPython 1.28.0 ports/esp32/boards/sdkconfig.base       (ESP32_GENERIC's overrides: its
//       mpconfigboard.cmake lists sdkconfig.base and sdkconfig.ble; only .base touches lwIP)
// v5.5.1 is the ESP-IDF version ports/esp32/README.md recommends for MicroPython 1.28.
// ESP-IDF builds its fork, esp-lwip; this is upstream lwIP 2.2.1 (MicroPython's lib/lwip).
// Options only the fork has are listed at the end: they are not set here (upstream has none of
// them), and docs/lwip-esp32.md says what that leaves unproven.
#ifndef NET_LWIP_ESP32_LWIPOPTS_H
#define NET_LWIP_ESP32_LWIPOPTS_H

#include <fcntl.h>       // [L] includes <sys/fcntl.h>: fcntl() and the libc's F_GETFL/O_NONBLOCK,
                         // which lwip_fcntl and modsocket.c must agree on
#include <sys/select.h>  // [L] includes <sys/select.h>: the libc's fd_set, used by lwip_select

// --- assertions: none, as on the ESP32 ----------------------------------------------------
// [S] CONFIG_COMPILER_OPTIMIZATION_ASSERTIONS_DISABLE=y: ESP-IDF compiles with NDEBUG, and its
// lwIP port's arch/cc.h then defines LWIP_NOASSERT. Without it lwIP's default assert (lwip/arch.h)
// aborts the process: a listener's full accept mailbox did (api_msg.c 594 -> 838).
#define LWIP_NOASSERT                   1

// --- threads: lwIP's own unix sys_arch (contrib/ports/unix/port/sys_arch.c) ---------------
#define NO_SYS                          0
#define LWIP_TCPIP_CORE_LOCKING         0   // [K] LWIP_TCPIP_CORE_LOCKING default n; [L]
#define LWIP_TCPIP_CORE_LOCKING_INPUT   0   // [L]
#define SYS_LIGHTWEIGHT_PROT            1   // [L]
#define TCPIP_THREAD_NAME               "tiT"  // [L]
#define TCPIP_MBOX_SIZE                 32  // [K] LWIP_TCPIP_RECVMBOX_SIZE default 32; [L]
#define DEFAULT_THREAD_STACKSIZE        3072 // [K] LWIP_TCPIP_TASK_STACK_SIZE 3072 (unused by pthreads)
#define TCPIP_THREAD_STACKSIZE          3072

// --- memory ---------------------------------------------------------------------------------
#define MEM_LIBC_MALLOC                 1   // [L]: lwIP's memory is the C library's, not MicroPython's heap
#define MEMP_MEM_MALLOC                 1   // [L]: pools from malloc too, so MEMP_NUM_* below
                                            // bound nothing but the socket table (as on the ESP32)
#define MEM_ALIGNMENT                   4   // [L]

// --- pools and limits -----------------------------------------------------------------------
#define MEMP_NUM_NETCONN                10  // [K] LWIP_MAX_SOCKETS default 10; [L] = MEMP_NUM_NETCONN:
                                            // the socket table, the 11th socket() fails ENFILE
#define MEMP_NUM_RAW_PCB                16  // [K] LWIP_MAX_RAW_PCBS default 16
#define MEMP_NUM_TCP_PCB                12  // [S] CONFIG_LWIP_MAX_ACTIVE_TCP=12 (ESP-IDF default 16)
#define MEMP_NUM_TCP_PCB_LISTEN         16  // [K] LWIP_MAX_LISTENING_TCP default 16
#define MEMP_NUM_UDP_PCB                16  // [K] LWIP_MAX_UDP_PCBS default 16

// --- socket API -----------------------------------------------------------------------------
#define LWIP_NETCONN                    1   // [L]
#define LWIP_NETCONN_SEM_PER_THREAD     1   // [L] (the unix sys_arch implements it)
#define LWIP_NETCONN_FULLDUPLEX         1   // [L]
#define LWIP_SOCKET                     1   // [L]
#define LWIP_COMPAT_SOCKETS             0   // [L]: BSD names come from ESP-IDF's lwip/sockets.h
                                            // wrapper (idf/lwip/sockets.h) and its VFS (vfs.c)
#define LWIP_POSIX_SOCKETS_IO_NAMES     0   // [L]
// [L] LWIP_SOCKET_OFFSET = FD_SETSIZE - CONFIG_LWIP_MAX_SOCKETS, with newlib's FD_SETSIZE 64 on
// the ESP32: socket descriptors are 54..63 there, and here (fileno() answers the same).
#define LWIP_SOCKET_OFFSET              54
#define LWIP_SO_SNDTIMEO                1   // [L]
#define LWIP_SO_RCVTIMEO                1   // [L]
#define LWIP_TCP_KEEPALIVE              1   // [L]
#define LWIP_SO_LINGER                  0   // [K] LWIP_SO_LINGER default n
#define LWIP_SO_RCVBUF                  0   // [K] LWIP_SO_RCVBUF default n
#define SO_REUSE                        1   // [K] LWIP_SO_REUSE default y
#define SO_REUSE_RXTOALL                1   // [K] LWIP_SO_REUSE_RXTOALL default y
#define LWIP_TIMEVAL_PRIVATE            0   // [L]
#define LWIP_NETBUF_RECVINFO            0   // [K] LWIP_NETBUF_RECVINFO default n

// --- mailboxes (queues) ---------------------------------------------------------------------
#define DEFAULT_UDP_RECVMBOX_SIZE       6   // [K] LWIP_UDP_RECVMBOX_SIZE default 6: datagrams queued per socket
#define DEFAULT_TCP_RECVMBOX_SIZE       6   // [K] LWIP_TCP_RECVMBOX_SIZE default 6
#define DEFAULT_ACCEPTMBOX_SIZE         6   // [K] LWIP_TCP_ACCEPTMBOX_SIZE default 6
#define DEFAULT_RAW_RECVMBOX_SIZE       6   // [L]

// --- TCP ------------------------------------------------------------------------------------
#define LWIP_TCP                        1
#define TCP_MSS                         1440 // [K] LWIP_TCP_MSS default 1440
#define TCP_SND_BUF                     5760 // [K] LWIP_TCP_SND_BUF_DEFAULT default 5760 (4 * MSS)
#define TCP_WND                         5760 // [K] LWIP_TCP_WND_DEFAULT default 5760
#define TCP_LISTEN_BACKLOG              1    // [L]: listen(n) bounds the connections not yet accepted
#define TCP_MAXRTX                      12   // [K] LWIP_TCP_MAXRTX default 12
#define TCP_SYNMAXRTX                   12   // [K] LWIP_TCP_SYNMAXRTX: 12 with LWIP_TCP_HIGH_SPEED_RETRANSMISSION (default y)
#define LWIP_TCP_RTO_TIME               1500 // [K] LWIP_TCP_RTO_TIME: 1500 with high-speed retransmission; [L]
#define TCP_QUEUE_OOSEQ                 1    // [K] LWIP_TCP_QUEUE_OOSEQ default y
#define TCP_OOSEQ_MAX_PBUFS             4    // [K] LWIP_TCP_OOSEQ_MAX_PBUFS default 4 (no SPIRAM)
#define LWIP_TCP_SACK_OUT               0    // [K] LWIP_TCP_SACK_OUT default n
#define TCP_OVERSIZE                    TCP_MSS // [K] choice LWIP_TCP_OVERSIZE default _MSS; [L]
#define TCP_TMR_INTERVAL                250  // [K] LWIP_TCP_TMR_INTERVAL default 250
// TIME_WAIT: 2 * TCP_MSL = 120 s; a new pcb beyond the pool kills the oldest TIME_WAIT pcb
// (tcp_alloc). With MEMP_MEM_MALLOC there is no pool bound here: see docs/lwip-esp32.md.
#define TCP_MSL                         60000UL // [K] LWIP_TCP_MSL default 60000
// [K] LWIP_TCP_FIN_WAIT_TIMEOUT default 20000: upstream fixes TCP_FIN_WAIT_TIMEOUT at 20000 ms
// (lwip/priv/tcp_priv.h, not an option), the same value.
#define LWIP_WND_SCALE                  0    // [K] LWIP_WND_SCALE default n
#define TCP_RCV_SCALE                   0
#define LWIP_EVENT_API                  0    // [L]
#define LWIP_CALLBACK_API               1    // [L]

// --- IP, ARP, ICMP, IGMP, UDP, RAW ----------------------------------------------------------
#define LWIP_IPV4                       1    // [K] LWIP_IPV4 default y
#define IP_REASSEMBLY                   0    // [K] LWIP_IP4_REASSEMBLY default n
#define IP_FRAG                         1    // [K] LWIP_IP4_FRAG default y
#define IP_FORWARD                      0    // [K] LWIP_IP_FORWARD default n
#define IP_REASS_MAXAGE                 3    // [L]
#define IP_REASS_MAX_PBUFS              10   // [K] LWIP_IP_REASS_MAX_PBUFS default 10
#define IP_DEFAULT_TTL                  64   // [K] LWIP_IP_DEFAULT_TTL default 64
#define ARP_QUEUEING                    1    // [L]
#define ETHARP_SUPPORT_STATIC_ENTRIES   0    // [L] (no DHCP server static entries)
#define LWIP_ICMP                       1    // [K] LWIP_ICMP default y
#define LWIP_BROADCAST_PING             0    // [K] default n
#define LWIP_MULTICAST_PING             0    // [K] default n
#define LWIP_RAW                        1    // [L]
#define LWIP_IGMP                       1    // [L]
#define LWIP_UDP                        1    // [L]
#define CHECKSUM_CHECK_IP               0    // [K] LWIP_CHECKSUM_CHECK_IP default n
#define CHECKSUM_CHECK_UDP              0    // [K] LWIP_CHECKSUM_CHECK_UDP default n
#define CHECKSUM_CHECK_ICMP             1    // [K] LWIP_CHECKSUM_CHECK_ICMP default y
#define LWIP_IPV6                       1    // [K] LWIP_IPV6 default y (no IPv6 address is configured here)
#define LWIP_IPV6_NUM_ADDRESSES         3    // [K] LWIP_IPV6_NUM_ADDRESSES default 3
#define LWIP_IPV6_FORWARD               0    // [K] default n
#define LWIP_ND6_RDNSS_MAX_DNS_SERVERS  0    // [K] LWIP_IPV6_RDNSS_MAX_DNS_SERVERS default 0
#define LWIP_ND6_NUM_NEIGHBORS          5    // [K] default 5
#define LWIP_ND6_NUM_PREFIXES           5    // [K] default 5
#define LWIP_ND6_NUM_ROUTERS            3    // [K] default 3
#define LWIP_ND6_NUM_DESTINATIONS       10   // [K] default 10

// --- DHCP, DNS ------------------------------------------------------------------------------
// No DHCP client: the address is static (NET_IP), as the harness gives it. [L] enables DHCP with
// ESP-IDF's own hooks (dhcp_parse_extra_opts, ...), which upstream lwIP does not have.
#define LWIP_DHCP                       0
#define LWIP_DNS                        1    // [L]
#define DNS_MAX_SERVERS                 3    // [L]
#define LWIP_DNS_SUPPORT_MDNS_QUERIES   1    // [K] LWIP_DNS_SUPPORT_MDNS_QUERIES default y; [L]

// --- interfaces -----------------------------------------------------------------------------
#define LWIP_NETIF_HOSTNAME             1    // [L]
#define LWIP_NETIF_API                  1    // [L]
#define LWIP_NETIF_STATUS_CALLBACK      0    // [K] LWIP_NETIF_STATUS_CALLBACK default n
#define LWIP_NETIF_EXT_STATUS_CALLBACK  1    // [L]
#define LWIP_NETIF_TX_SINGLE_PBUF       1    // [L]
#define LWIP_HAVE_LOOPIF                1    // [K] LWIP_NETIF_LOOPBACK default y; [L]: 127.0.0.1 exists
#define LWIP_NETIF_LOOPBACK             1
#define LWIP_LOOPBACK_MAX_PBUFS         8    // [K] LWIP_LOOPBACK_MAX_PBUFS default 8

// --- statistics, debug ----------------------------------------------------------------------
#define LWIP_STATS                      0    // [K] LWIP_STATS default n

// Options of esp-lwip only (in [L], with no upstream counterpart), not set:
//   ESP_LWIP, ESP_LWIP_SELECT, ESP_LWIP_LOCK, ESP_THREAD_PROTECTION, ESP_SOCKET, ESP_DNS,
//   ESP_DHCP, ESP_IP4_ROUTE, ESP_PBUF, ESP_IPV6, ESP_GRATUITOUS_ARP, ESP_MLDV6_REPORT,
//   ESP_LWIP_*_TIMERS_ONDEMAND, DNS_FALLBACK_SERVER_INDEX. ([L] TCP_OOSEQ_TIMEOUT, [K] default 6,
//   is upstream's fixed TCP_OOSEQ_TIMEOUT 6 in lwip/priv/tcp_priv.h: the same.)
#endif
