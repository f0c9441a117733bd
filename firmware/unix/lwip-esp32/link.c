// firmware/unix/lwip-esp32/link.c - lwIP started with the interpreter, on a Linux TAP device.
// MIT licence, see LICENSE.
//
// Before main() (a constructor): lwIP's tcpip thread (tcpip_init, NO_SYS=0, lwIP's own unix
// sys_arch), then, when NET_TAP names a TAP device, an Ethernet netif on it: NET_IP (default
// 192.0.2.2) / NET_MASK (255.255.255.0), gateway and DNS server NET_GW (192.0.2.1), default,
// up, link up. A reader thread waits in poll() on the TAP descriptor (no tick) and hands each
// frame to tcpip_input; output writes the frame. Without NET_TAP there is no link (lwIP's
// loopback, 127.0.0.1, still answers, as on the ESP32). A TAP device that cannot be attached
// ends the program: one line on stderr, exit status 2.
//
// The same contract as the modlwip variants (lwip-esp8266, lwip-rp2), so one harness drives
// all three.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <net/if.h>
#include <linux/if_tun.h>

#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/etharp.h"
#include "lwip/dns.h"
#include "lwip/igmp.h"
#include "lwip/ethip6.h"
#include "netif/ethernet.h"

#define FRAME_MAX (1514 + 4)

static int tap_fd = -1;
static struct netif tap_netif;
static ip4_addr_t cfg_ip, cfg_mask, cfg_gw;

static err_t tap_linkoutput(struct netif *netif, struct pbuf *p) {
    (void)netif;
    unsigned char frame[FRAME_MAX];
    u16_t len = pbuf_copy_partial(p, frame, sizeof(frame), 0);
    ssize_t n;
    do {
        n = write(tap_fd, frame, len);
    } while (n < 0 && errno == EINTR);
    return n == (ssize_t)len ? ERR_OK : ERR_IF;
}

static err_t tap_netif_init(struct netif *netif) {
    netif->name[0] = 't';
    netif->name[1] = 'p';
    netif->output = etharp_output;
    #if LWIP_IPV6
    netif->output_ip6 = ethip6_output;
    #endif
    netif->linkoutput = tap_linkoutput;
    netif->mtu = 1500;
    netif->hwaddr_len = 6;
    // A locally administered address whose last four bytes are the IP address: one MAC per
    // board address, whatever the TAP device's own MAC is.
    const u8_t *ip = (const u8_t *)&cfg_ip.addr;
    u8_t mac[6] = {0x02, 0x00, ip[0], ip[1], ip[2], ip[3]};
    memcpy(netif->hwaddr, mac, 6);
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_IGMP | NETIF_FLAG_MLD6;
    return ERR_OK;
}

static void tap_reader(void *arg) {
    (void)arg;
    unsigned char frame[FRAME_MAX];
    for (;;) {
        struct pollfd pfd = {.fd = tap_fd, .events = POLLIN};
        if (poll(&pfd, 1, -1) < 0) {
            continue;  // EINTR
        }
        ssize_t n = read(tap_fd, frame, sizeof(frame));
        if (n <= 0) {
            continue;
        }
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)n, PBUF_POOL);
        if (p == NULL) {
            continue;  // dropped, as a driver without buffers drops
        }
        pbuf_take(p, frame, (u16_t)n);
        if (tap_netif.input(p, &tap_netif) != ERR_OK) {
            pbuf_free(p);  // tcpip's mailbox full: dropped
        }
    }
}

static void netif_setup(void *arg) {
    // In the tcpip thread (tcpip_init's callback): the only thread that may touch netifs.
    sys_sem_t *done = arg;
    if (tap_fd >= 0) {
        netif_add(&tap_netif, &cfg_ip, &cfg_mask, &cfg_gw, NULL, tap_netif_init, tcpip_input);
        netif_set_default(&tap_netif);
        netif_set_up(&tap_netif);
        netif_set_link_up(&tap_netif);
        #if LWIP_IGMP
        igmp_start(&tap_netif);
        #endif
        ip_addr_t dns;
        ip_addr_copy_from_ip4(dns, cfg_gw);
        dns_setserver(0, &dns);
    }
    sys_sem_signal(done);
}

static void addr_from_env(const char *name, const char *dflt, ip4_addr_t *out) {
    const char *s = getenv(name);
    if (s == NULL || *s == '\0') {
        s = dflt;
    }
    if (!ip4addr_aton(s, out)) {
        fprintf(stderr, "lwip-esp32: %s=%s is not a dotted-quad IPv4 address\n", name, s);
        exit(2);
    }
}

static int tap_open(const char *name) {
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

// Keep the host's own descriptors out of lwIP's range (LWIP_SOCKET_OFFSET.., vfs.c routes a
// select()/fcntl() there to lwIP): the kernel hands out the lowest free number, so holding
// these numbers keeps it from giving them to a file or the TAP device. (fstat, not fcntl:
// fcntl on these numbers is lwIP's.)
static void reserve_lwip_fds(void) {
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0) {
        return;
    }
    for (int fd = LWIP_SOCKET_OFFSET; fd < LWIP_SOCKET_OFFSET + MEMP_NUM_NETCONN; ++fd) {
        struct stat st;
        if (fstat(fd, &st) < 0 && errno == EBADF) {
            dup2(null, fd);
        }
    }
    close(null);
}

__attribute__((constructor))
static void lwip_esp32_start(void) {
    reserve_lwip_fds();
    addr_from_env("NET_IP", "192.0.2.2", &cfg_ip);
    addr_from_env("NET_MASK", "255.255.255.0", &cfg_mask);
    addr_from_env("NET_GW", "192.0.2.1", &cfg_gw);
    const char *tap = getenv("NET_TAP");
    if (tap != NULL && *tap != '\0') {
        tap_fd = tap_open(tap);
        if (tap_fd < 0) {
            int e = errno;
            fprintf(stderr, "lwip-esp32: cannot attach TAP device %s: %s (errno %d)\n", tap, strerror(e), e);
            exit(2);
        }
    }
    // lwIP's threads take no signal (SIGINT, and the unix port's thread signals, stay with
    // MicroPython's threads): they are created with every signal blocked.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    sys_sem_t done;
    sys_sem_new(&done, 0);
    tcpip_init(netif_setup, &done);
    sys_sem_wait(&done);
    sys_sem_free(&done);
    if (tap_fd >= 0) {
        sys_thread_new("tap", tap_reader, NULL, 0, 0);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

// ESP-IDF's esp_netif_init() (idf/esp_netif.h): lwIP is already running.
int esp_netif_init(void) {
    return 0;
}
