// firmware/unix/lwip/lwip_tap.c - lwIP under MicroPython's extmod/modlwip.c on the unix port:
// the lwIP lock, a link on a Linux TAP device, and the thread that services lwIP.
// MIT licence, see LICENSE.
//
// Environment (read once, in mp_init):
//   NET_TAP   name of an existing TAP device to attach (TUNSETIFF, IFF_TAP|IFF_NO_PI); unset or
//             empty: no link (lwIP runs, no netif). A device that cannot be attached: one line
//             on stderr naming it and the errno, exit status 2.
//   NET_IP, NET_MASK, NET_GW   the netif's static address (defaults 192.0.2.2, 255.255.255.0,
//             192.0.2.1); NET_GW is also lwIP's DNS server. The netif is the default, up, link up.
//
// Servicing, without a polling tick: one pthread sleeps in poll() on the TAP fd and a wake
// eventfd until lwIP's next timeout (sys_timeouts_sleeptime()), then feeds every pending
// frame to the netif and runs sys_check_timeouts(), holding the GIL and the lwIP lock. The
// outermost MICROPY_PY_LWIP_EXIT wakes it when lwIP's next deadline moved earlier than the one
// it sleeps to, so no timer is slept past. After each round it wakes the interpreter's wait
// (net_lwip_event_poll_hook), as a board's network interrupt ends its WFE.
//
// Why the service thread also takes the GIL (the variant builds with MICROPY_PY_THREAD_GIL=1):
// modlwip is written for a stack that runs either between the interpreter's steps or as an
// interrupt (rp2: PendSV, held off by MICROPY_PY_LWIP_ENTER), never beside it. Some of its lwIP
// calls are outside ENTER/EXIT (tcp_new, tcp_bind, tcp_listen_with_backlog_and_err, udp_bind,
// udp_connect, igmp_joingroup, setsockopt's flags), and it reads socket state that the callbacks
// write without the lock (e.g. lwip_raw_udp_receive reads slot->pbuf, then peer_addr, which
// udp_raw_incoming stores in the other order). On two CPUs that would race; with the GIL, lwIP
// runs only between bytecodes or while the interpreter waits, as on a board. Lock order is
// always GIL, then the lwIP lock (the interpreter holds the GIL whenever it calls modlwip).
//
// GC safety: the service thread is not a MicroPython thread and never allocates on the
// MicroPython heap. What it runs of modlwip's are the lwIP callbacks (extmod/modlwip.c:
// _lwip_tcp_accept, _lwip_tcp_recv, _lwip_tcp_recv_unaccepted, _lwip_tcp_error,
// _lwip_tcp_err_unaccepted, _lwip_tcp_connected, _lwip_udp_incoming, _lwip_raw_incoming,
// _lwip_tcp_close_poll, lwip_getaddrinfo_cb): they store pointers into socket objects, chain or
// free pbufs (lwIP's own memory), abort pcbs and call mp_sched_schedule() (a fixed queue, only
// for sockets given a callback). Holding the GIL, it never runs during a collection, and a
// socket's finaliser (its close) takes the lwIP lock, so no callback runs on a freed socket.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <net/if.h>
#include <linux/if_tun.h>

#include "py/runtime.h"
#include "py/mpthread.h"

#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/etharp.h"
#include "lwip/dns.h"
#include "lwip/timeouts.h"
#include "lwip/priv/tcp_priv.h"
#include "netif/ethernet.h"
#if LWIP_IPV6
#include "lwip/ethip6.h"
#endif
#if LWIP_MDNS_RESPONDER
#include "lwip/apps/mdns.h"
#endif

#if !MICROPY_PY_THREAD_GIL
#error "the lwIP variants need MICROPY_PY_THREAD_GIL=1 (firmware/unix/lwip/lwip.mk)"
#endif

// modlwip's getaddrinfo reads this; it lives in extmod/network_lwip.c (not built: the unix
// port has no network module), with this value.
int mp_mod_network_prefer_dns_use_ip_version = 4;

// --- the lwIP lock ------------------------------------------------------------------------
static pthread_mutex_t lwip_mutex;
static __thread unsigned lwip_depth; // this thread's nesting of the lock

// The service thread's sleep, guarded by lwip_mutex: asleep (or about to be) until `until`
// (sys_now() ms), or with no deadline at all.
static bool svc_asleep, svc_forever, svc_stop;
static u32_t svc_until;
static int wake_fd = -1;
static pthread_t svc_thread;
static bool svc_started;

u32_t sys_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (u32_t)((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

uint32_t get_rand_32(void) {
    uint32_t r;
    while (getrandom(&r, sizeof(r), 0) != sizeof(r)) {
    }
    return r;
}

static void kick_service(void) {
    uint64_t one = 1;
    ssize_t n = write(wake_fd, &one, sizeof(one));
    (void)n; // a full counter (EAGAIN) wakes it as well
}

void net_lwip_enter(void) {
    pthread_mutex_lock(&lwip_mutex);
    ++lwip_depth;
}

void net_lwip_exit(void) {
    if (lwip_depth == 1 && svc_asleep) {
        u32_t t = sys_timeouts_sleeptime();
        if (t != SYS_TIMEOUTS_SLEEPTIME_INFINITE
            && (svc_forever || (int32_t)(sys_now() + t - svc_until) < 0)) {
            svc_asleep = false;
            kick_service();
        }
    }
    --lwip_depth;
    pthread_mutex_unlock(&lwip_mutex);
}

// --- waking the interpreter ---------------------------------------------------------------
static pthread_mutex_t ev_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ev_cond;
static unsigned ev_count, ev_seen;

static void wake_interpreter(void) {
    pthread_mutex_lock(&ev_mutex);
    ++ev_count;
    pthread_cond_broadcast(&ev_cond);
    pthread_mutex_unlock(&ev_mutex);
}

void net_lwip_event_poll_hook(void) {
    mp_event_handle_nowait();
    MP_THREAD_GIL_EXIT();
    pthread_mutex_lock(&ev_mutex);
    if (ev_seen == ev_count) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += 500000; // the unix port's MICROPY_INTERNAL_WFE: 500 us
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_nsec -= 1000000000;
            ts.tv_sec += 1;
        }
        pthread_cond_timedwait(&ev_cond, &ev_mutex, &ts);
    }
    ev_seen = ev_count;
    pthread_mutex_unlock(&ev_mutex);
    MP_THREAD_GIL_ENTER();
}

// --- the TAP link -------------------------------------------------------------------------
static int tap_fd = -1;
static struct netif tap_netif;
// One Ethernet frame without FCS (MTU 1500 + 14), with room for a VLAN tag. Both are used
// with the lwIP lock held only.
static uint8_t rx_frame[1522], tx_frame[1522];
static unsigned long rx_dropped;

static err_t tap_linkoutput(struct netif *netif, struct pbuf *p) {
    // As ports' drivers do (extmod/network_wiznet5k.c: wiznet5k_netif_output): flatten, send.
    // A frame the kernel does not take is lost, as on a wire; TCP sends it again.
    (void)netif;
    u16_t len = pbuf_copy_partial(p, tx_frame, sizeof(tx_frame), 0);
    ssize_t n = write(tap_fd, tx_frame, len);
    (void)n;
    return ERR_OK;
}

static err_t tap_netif_init(struct netif *netif) {
    // As lwIP's contrib/ports/unix/port/netif/tapif.c (low_level_init) and MicroPython's
    // wiznet5k_netif_init: Ethernet, ARP, IGMP (and MLD, ND with IPv6).
    netif->name[0] = 't';
    netif->name[1] = 'p';
    netif->linkoutput = tap_linkoutput;
    netif->output = etharp_output;
    #if LWIP_IPV6
    netif->output_ip6 = ethip6_output;
    #endif
    netif->mtu = 1500;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_IGMP;
    #if LWIP_IPV6
    netif->flags |= NETIF_FLAG_MLD6;
    #endif
    // A locally administered MAC made of the address (02:00:a.b.c.d), so that it is the same
    // on every run and tells which address a frame in a capture belongs to.
    const ip4_addr_t *ip = netif_ip4_addr(netif);
    u32_t a = lwip_ntohl(ip4_addr_get_u32(ip));
    uint8_t mac[6] = {0x02, 0x00, a >> 24, a >> 16, a >> 8, a};
    memcpy(netif->hwaddr, mac, 6);
    netif->hwaddr_len = 6;
    #if LWIP_NETIF_HOSTNAME
    netif->hostname = MICROPY_PY_NETWORK_HOSTNAME_DEFAULT;
    #endif
    return ERR_OK;
}

#if NET_LWIP_RX_DRIVER_BUFFERS
// The ESP8266's way (lwipopts.h sets NET_LWIP_RX_DRIVER_BUFFERS): a received frame stays in the
// Wi-Fi driver's buffer and lwIP gets a pbuf that refers to it, so only the pbuf's header is
// lwIP's memory (esp-open-lwip lwip/core/pbuf.c: PBUF_ESF_RX, lines 381-389 and 746-751, which
// gives the buffer back with system_pp_recycle_rx_pkt). Here the driver's buffers are malloc()ed,
// and the header is part of them: lwIP's heap, full of TIME_WAIT pcbs say, does not cost frames.
typedef struct {
    struct pbuf_custom pc; // first: the pbuf lwIP frees is the buffer
    uint8_t data[];
} rx_buf_t;

static void rx_buf_free(struct pbuf *p) {
    free(p);
}

static struct pbuf *rx_pbuf(u16_t len) {
    rx_buf_t *b = malloc(sizeof(rx_buf_t) + len);
    if (b == NULL) {
        return NULL;
    }
    memcpy(b->data, rx_frame, len);
    b->pc.custom_free_function = rx_buf_free;
    return pbuf_alloced_custom(PBUF_RAW, len, PBUF_REF, &b->pc, b->data, len);
}
#else
// A board's driver that copies the frame into a pbuf from lwIP's pool, dropping it when there
// is none (the Pico W's cyw43 driver; extmod/network_wiznet5k.c: wiznet5k_poll).
static struct pbuf *rx_pbuf(u16_t len) {
    struct pbuf *p = pbuf_alloc(PBUF_RAW, len, PBUF_POOL);
    if (p != NULL) {
        pbuf_take(p, rx_frame, len);
    }
    return p;
}
#endif

// Feed what the kernel has queued to the netif: at most `max` frames (so that the interpreter
// and the timers get their turn under a flood; the caller comes back at once). True when
// frames may remain.
static bool tap_input(int max) {
    while (max-- > 0) {
        ssize_t n = read(tap_fd, rx_frame, sizeof(rx_frame));
        if (n <= 0) {
            return n < 0 && errno == EINTR;
        }
        struct pbuf *p = rx_pbuf((u16_t)n);
        if (p == NULL) {
            ++rx_dropped; // no buffer: the frame is lost, as on a board
            continue;
        }
        if (tap_netif.input(p, &tap_netif) != ERR_OK) {
            pbuf_free(p);
        }
    }
    return true;
}

static void fail(const char *what, const char *name, int err) {
    fprintf(stderr, "net: %s %s: %s (errno %d)\n", what, name, strerror(err), err);
    exit(2);
}

static int tap_open(const char *name) {
    // TUNSETIFF would create a missing device (and remove it on exit): attach only to one that
    // exists, as the test session made it (`ip tuntap add dev NAME mode tap`).
    if (if_nametoindex(name) == 0) {
        fail("cannot attach TAP device", name, errno);
    }
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        fail("cannot open /dev/net/tun to attach TAP device", name, errno);
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    if (strlen(name) >= sizeof(ifr.ifr_name)) {
        fail("cannot attach TAP device", name, ENAMETOOLONG);
    }
    strcpy(ifr.ifr_name, name);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fail("cannot attach TAP device", name, errno);
    }
    return fd;
}

static void env_ip4(const char *var, const char *dflt, ip4_addr_t *out) {
    const char *s = getenv(var);
    if (s == NULL || *s == '\0') {
        s = dflt;
    }
    if (!ip4addr_aton(s, out)) {
        fprintf(stderr, "net: %s=%s is not an IPv4 address\n", var, s);
        exit(2);
    }
}

#if defined(NET_LWIP_DIAG) && LWIP_STATS
// A diagnostic build (docs/lwip.md, "A diagnostic build"): with NET_LWIP_DIAG=file in the
// environment, the service thread appends a line to file every 50 ms and at each dropped frame:
// lwIP's pools, heap and TCP counters, then each active pcb (port:state, receive window,
// refused and out-of-order pbufs, send queue, unacked segments, send buffer).
#include "lwip/stats.h"
#include "lwip/memp.h"
static FILE *diag_f;
static u32_t diag_last;
static unsigned long diag_drops;

static void diag_sample(void) {
    if (diag_f == NULL) {
        const char *f = getenv("NET_LWIP_DIAG");
        if (f == NULL || *f == '\0' || (diag_f = fopen(f, "a")) == NULL) {
            return;
        }
        setvbuf(diag_f, NULL, _IOLBF, 0);
    }
    u32_t now = sys_now();
    if (rx_dropped == diag_drops && now - diag_last < 50) {
        return;
    }
    diag_last = now;
    diag_drops = rx_dropped;
    struct stats_mem *pool = lwip_stats.memp[MEMP_PBUF_POOL], *seg = lwip_stats.memp[MEMP_TCP_SEG];
    fprintf(diag_f, "%u pid %d rxdrop %lu pool %u/%u heap %u/%u err %u seg %u err %u tcpdrop %u |",
        (unsigned)now, (int)getpid(), rx_dropped, pool->used, pool->avail, lwip_stats.mem.used,
        lwip_stats.mem.avail, lwip_stats.mem.err, seg->used, seg->err, lwip_stats.tcp.drop);
    for (struct tcp_pcb *pcb = tcp_active_pcbs; pcb != NULL; pcb = pcb->next) {
        int oo = 0, un = 0;
        for (struct tcp_seg *sg = pcb->ooseq; sg != NULL; sg = sg->next) {
            oo += pbuf_clen(sg->p);
        }
        for (struct tcp_seg *sg = pcb->unacked; sg != NULL; sg = sg->next) {
            ++un;
        }
        fprintf(diag_f, " %u:%d w%u rf%d oo%d q%u un%d sb%u", pcb->remote_port, pcb->state,
            pcb->rcv_wnd, pcb->refused_data ? pbuf_clen(pcb->refused_data) : 0, oo,
            pcb->snd_queuelen, un, pcb->snd_buf);
    }
    fputc('\n', diag_f);
}
#else
#define diag_sample()
#endif

// --- the service thread -------------------------------------------------------------------
static void svc_lock(void) {
    MP_THREAD_GIL_ENTER();
    net_lwip_enter();
}

static void svc_unlock(void) {
    --lwip_depth; // not net_lwip_exit: this thread computes its own next sleep
    pthread_mutex_unlock(&lwip_mutex);
    MP_THREAD_GIL_EXIT();
}

static void *service(void *arg) {
    (void)arg;
    struct pollfd fds[2] = {
        {.fd = wake_fd, .events = POLLIN},
        {.fd = tap_fd, .events = POLLIN},
    };
    int nfds = tap_fd >= 0 ? 2 : 1;
    for (;;) {
        svc_lock();
        if (svc_stop) {
            svc_unlock();
            return NULL;
        }
        uint64_t count;
        ssize_t n = read(wake_fd, &count, sizeof(count)); // clear a kick
        (void)n;
        bool more = tap_fd >= 0 && tap_input(64);
        sys_check_timeouts();
        diag_sample();
        u32_t t = sys_timeouts_sleeptime();
        svc_forever = t == SYS_TIMEOUTS_SLEEPTIME_INFINITE;
        svc_until = sys_now() + t;
        svc_asleep = !more;
        svc_unlock();
        wake_interpreter();
        if (more) {
            continue;
        }
        // A deadline moved earlier after this point kicks wake_fd, so poll() returns at once.
        int ms = svc_forever ? -1 : (t > INT_MAX ? INT_MAX : (int)t);
        if (poll(fds, nfds, ms) < 0 && errno != EINTR) {
            fprintf(stderr, "net: the lwIP service thread's poll() failed: %s\n", strerror(errno));
            abort();
        }
    }
}

void net_lwip_init(void) {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&lwip_mutex, &attr);
    pthread_mutexattr_destroy(&attr);
    pthread_condattr_t cattr;
    pthread_condattr_init(&cattr);
    pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
    pthread_cond_init(&ev_cond, &cattr);
    pthread_condattr_destroy(&cattr);

    wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0) {
        fail("cannot create", "an eventfd", errno);
    }
    const char *tap = getenv("NET_TAP");
    if (tap != NULL && *tap != '\0') {
        tap_fd = tap_open(tap);
    }

    net_lwip_enter();
    // Once per process, as ports/rp2/main.c does at power-up (lwIP cannot be initialised twice).
    lwip_init();
    #if LWIP_MDNS_RESPONDER
    mdns_resp_init(); // ports/rp2/main.c
    #endif
    ip4_addr_t ip, mask, gw;
    env_ip4("NET_IP", "192.0.2.2", &ip);
    env_ip4("NET_MASK", "255.255.255.0", &mask);
    env_ip4("NET_GW", "192.0.2.1", &gw);
    if (tap_fd >= 0) {
        netif_add(&tap_netif, &ip, &mask, &gw, NULL, tap_netif_init, ethernet_input);
        netif_set_default(&tap_netif);
        netif_set_up(&tap_netif);
        netif_set_link_up(&tap_netif);
        #if LWIP_IPV6
        netif_create_ip6_linklocal_address(&tap_netif, 1);
        #endif
        #if LWIP_MDNS_RESPONDER
        mdns_resp_add_netif(&tap_netif, MICROPY_PY_NETWORK_HOSTNAME_DEFAULT);
        #endif
    }
    ip_addr_t dns;
    ip_addr_copy_from_ip4(dns, gw);
    dns_setserver(0, &dns);
    net_lwip_exit();

    // The interpreter's signals (SIGINT, the GC's) are not for this thread.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int err = pthread_create(&svc_thread, NULL, service, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (err != 0) {
        fail("cannot start", "the lwIP service thread", err);
    }
    svc_started = true;
}

// Connections the program closed whose data or FIN lwIP has not yet had acknowledged.
static bool closing_pcbs(void) {
    for (struct tcp_pcb *pcb = tcp_active_pcbs; pcb != NULL; pcb = pcb->next) {
        if (pcb->state == FIN_WAIT_1 || pcb->state == CLOSING || pcb->state == LAST_ACK) {
            return true;
        }
    }
    return false;
}

void net_lwip_deinit(void) {
    // mp_deinit() has given up the GIL: the thread finishes its round and stops.
    if (!svc_started) {
        return;
    }
    // A board's stack outlives the program: what a closed socket still holds goes out after
    // the program ends. This process ends with its stack, so the service thread first runs
    // on until every closed connection's data and FIN are acknowledged, for at most 5 s.
    for (int ms = 0; ms < 5000; ms += 10) {
        net_lwip_enter();
        bool busy = closing_pcbs();
        net_lwip_exit();
        if (!busy) {
            break;
        }
        usleep(10000);
    }
    net_lwip_enter();
    svc_stop = true;
    kick_service();
    --lwip_depth;
    pthread_mutex_unlock(&lwip_mutex);
    pthread_join(svc_thread, NULL);
    svc_started = false;
}
