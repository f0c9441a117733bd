/* tools/bench/load.c - the benchmark's load client: many connections at once on one epoll.
 * MIT licence, see LICENSE.
 *
 * Written in C so that the client is never the bottleneck: one process, non-blocking sockets,
 * epoll, no allocation after start. tools/bench/run.py compiles it with gcc and runs it once
 * per figure. Every mode checks what comes back (byte for byte) and is bounded in time.
 *
 *   load pingpong PORT CONNS SIZE SECONDS   SIZE-byte round trips on CONNS connections
 *   load short    PORT INFLIGHT SIZE SECONDS connect, SIZE bytes each way, close; INFLIGHT at once
 *   load bulk     PORT CHUNK WINDOW SECONDS  one connection, CHUNK-byte writes, at most WINDOW
 *                                            bytes in flight (so no server has to queue a flood)
 *
 * Output, one line:  RESULT <count> <seconds> <errors> <total>
 *   count: round trips, completed connections, or bytes echoed back within the timed window
 *   (after a warm-up of WARMUP_S); total: the same since the start, warm-up included (the
 *   runner divides the server's CPU time by it). Everything goes to 127.0.0.1 only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WARMUP_S 0.5
#define MAXCONN 1024
#define MAXSIZE 65536

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct sockaddr_in server;

static int new_socket(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) { perror("socket"); exit(2); }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Blocking connect with a bound wait (for the long-lived connections). */
static int connect_wait(double timeout) {
    int fd = new_socket();
    if (connect(fd, (struct sockaddr *)&server, sizeof server) == 0) return fd;
    if (errno != EINPROGRESS) { close(fd); return -1; }
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLOUT, .data.fd = fd };
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    int n = epoll_wait(ep, &ev, 1, (int)(timeout * 1000));
    close(ep);
    int err = 0; socklen_t len = sizeof err;
    if (n != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) { close(fd); return -1; }
    return fd;
}

/* The byte at offset k of every stream the client sends: a pattern, so echoes can be checked. */
static unsigned char pattern(unsigned long k) { return (unsigned char)(k % 251); }

/* ---- ping-pong --------------------------------------------------------------------------- */
struct pp { int fd; int got; };

static int pingpong(int conns, int size, double seconds) {
    static struct pp c[MAXCONN];
    static unsigned char msg[MAXSIZE], buf[MAXSIZE];
    for (int i = 0; i < size; i++) msg[i] = pattern(i);
    int ep = epoll_create1(0);
    for (int i = 0; i < conns; i++) {
        c[i].fd = connect_wait(5.0);
        if (c[i].fd < 0) { fprintf(stderr, "connect %d failed\n", i); return 2; }
        c[i].got = 0;
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
        epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev);
    }
    for (int i = 0; i < conns; i++) write(c[i].fd, msg, size);
    double t0 = now(), start = t0 + WARMUP_S, end = start + seconds;
    long count = 0, total = 0, errors = 0; int live = conns;
    struct epoll_event evs[MAXCONN];
    while (live > 0) {
        double t = now();
        if (t >= end) break;
        int n = epoll_wait(ep, evs, MAXCONN, 100);
        for (int k = 0; k < n; k++) {
            struct pp *p = &c[evs[k].data.u32];
            ssize_t r = read(p->fd, buf, size - p->got);
            if (r <= 0) {
                if (r < 0 && errno == EAGAIN) continue;
                errors++; live--; epoll_ctl(ep, EPOLL_CTL_DEL, p->fd, NULL); continue;
            }
            if (memcmp(buf, msg + p->got, r) != 0) { fprintf(stderr, "echo mismatch\n"); return 3; }
            p->got += r;
            if (p->got == size) {
                p->got = 0;
                total++;
                if (now() >= start) count++;
                if (write(p->fd, msg, size) != size) errors++;
            }
        }
    }
    double took = now() - start;
    for (int i = 0; i < conns; i++) close(c[i].fd);
    printf("RESULT %ld %.4f %ld %ld\n", count, took, errors, total);
    return 0;
}

/* ---- short connections --------------------------------------------------------------------- */
struct sc { int fd; int state; int got; };  /* state 0 connecting, 1 reading */

static int sc_start(int ep, struct sc *s, int idx) {
    s->fd = new_socket();
    s->got = 0;
    s->state = 0;
    int r = connect((s->fd), (struct sockaddr *)&server, sizeof server);
    if (r < 0 && errno != EINPROGRESS) { close(s->fd); s->fd = -1; return -1; }
    struct epoll_event ev = { .events = EPOLLOUT, .data.u32 = idx };
    epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev);
    return 0;
}

static int shortconn(int inflight, int size, double seconds) {
    static struct sc c[MAXCONN];
    static unsigned char msg[MAXSIZE], buf[MAXSIZE];
    for (int i = 0; i < size; i++) msg[i] = pattern(i);
    int ep = epoll_create1(0);
    long count = 0, total = 0, errors = 0;
    for (int i = 0; i < inflight; i++) if (sc_start(ep, &c[i], i) < 0) errors++;
    double start = now() + WARMUP_S, end = start + seconds;
    struct epoll_event evs[MAXCONN];
    while (now() < end) {
        int n = epoll_wait(ep, evs, MAXCONN, 100);
        for (int k = 0; k < n; k++) {
            int i = evs[k].data.u32;
            struct sc *s = &c[i];
            int failed = 0, done = 0;
            if (s->state == 0) {
                int err = 0; socklen_t len = sizeof err;
                getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err || write(s->fd, msg, size) != size) failed = 1;
                else {
                    s->state = 1;
                    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
                    epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
                }
            } else {
                ssize_t r = read(s->fd, buf, size - s->got);
                if (r < 0 && errno == EAGAIN) continue;
                if (r <= 0 || memcmp(buf, msg + s->got, r) != 0) failed = 1;
                else if ((s->got += r) == size) done = 1;
            }
            if (failed || done) {
                epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
                close(s->fd);
                if (failed) errors++;
                else {
                    total++;
                    if (now() >= start) count++;
                }
                if (sc_start(ep, s, i) < 0) errors++;
            }
        }
    }
    double took = now() - start;
    for (int i = 0; i < inflight; i++) if (c[i].fd >= 0) close(c[i].fd);
    printf("RESULT %ld %.4f %ld %ld\n", count, took, errors, total);
    return 0;
}

/* ---- bulk echo ------------------------------------------------------------------------------ */
static int bulk(int chunk, long window, double seconds) {
    static unsigned char out[MAXSIZE + 251], buf[MAXSIZE];
    for (int i = 0; i < MAXSIZE + 251; i++) out[i] = pattern(i);
    int fd = connect_wait(5.0);
    if (fd < 0) { fprintf(stderr, "connect failed\n"); return 2; }
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.fd = fd };
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    unsigned long sent = 0, recvd = 0, at_start = 0;
    int started = 0; long errors = 0;
    double start = now() + WARMUP_S, end = start + seconds;
    while (now() < end) {
        int want_out = sent - recvd + chunk <= (unsigned long)window;
        ev.events = EPOLLIN | (want_out ? EPOLLOUT : 0);
        epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
        struct epoll_event got;
        if (epoll_wait(ep, &got, 1, 100) < 1) continue;
        if (got.events & EPOLLIN) {
            ssize_t r = read(fd, buf, sizeof buf);
            if (r < 0 && errno == EAGAIN) r = 0;
            else if (r <= 0) { errors++; break; }
            for (ssize_t j = 0; j < r; j++)
                if (buf[j] != pattern(recvd + j)) { fprintf(stderr, "echo mismatch at %lu\n", recvd + j); return 3; }
            recvd += r;
            if (!started && now() >= start) { started = 1; at_start = recvd; start = now(); end = start + seconds; }
        }
        if ((got.events & EPOLLOUT) && want_out) {
            ssize_t w = write(fd, out + sent % 251, chunk);
            if (w > 0) sent += w;
            else if (w < 0 && errno != EAGAIN) { errors++; break; }
        }
    }
    double took = now() - start;
    close(fd);
    printf("RESULT %lu %.4f %ld %lu\n", started ? recvd - at_start : 0, took, errors, recvd);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: load pingpong|short|bulk PORT A B SECONDS (see the source)\n");
        return 1;
    }
    server.sin_family = AF_INET;
    server.sin_port = htons(atoi(argv[2]));
    inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    int a = atoi(argv[3]);
    long b = atol(argv[4]);
    double seconds = atof(argv[5]);
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!strcmp(argv[1], "pingpong") && a > 0 && a <= MAXCONN && b > 0 && b <= MAXSIZE) return pingpong(a, b, seconds);
    if (!strcmp(argv[1], "short") && a > 0 && a <= MAXCONN && b > 0 && b <= MAXSIZE) return shortconn(a, b, seconds);
    if (!strcmp(argv[1], "bulk") && a > 0 && a <= MAXSIZE && b >= a) return bulk(a, b, seconds);
    fprintf(stderr, "bad arguments\n");
    return 1;
}
