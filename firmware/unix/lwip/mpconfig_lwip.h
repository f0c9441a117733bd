// firmware/unix/lwip/mpconfig_lwip.h - what the lwip-esp8266 and lwip-rp2 variants add to the unix
// port: MicroPython's extmod/modlwip.c as `socket`, on lwIP, serviced by lwip_tap.c.
// MIT licence, see LICENSE. Included by each variant's mpconfigvariant.h, after the port's
// common variant settings (which it partly overrides, hence the #undefs).

// select as on a board. The unix port's POSIX path (variants/mpconfigvariant_common.h) sleeps
// in poll() for MICROPY_PY_SELECT_IOCTL_CALL_PERIOD_MS, fixed at 1 ms in extmod/modselect.c,
// whenever an object without a file descriptor (every modlwip socket) is registered; nothing
// can wake it. The generic path (what esp8266 and rp2 run) polls every object and then waits
// in mp_event_wait_ms()/mp_event_wait_indefinite(), i.e. in MICROPY_EVENT_POLL_HOOK below,
// which lwip_tap.c wakes as soon as lwIP has taken in a frame or run a timer. select.select
// comes back with the generic path, as both boards have it. Measured (tools/lwip_proof.py,
// lwip-rp2, 50 curl requests): median 30 ms per request with the POSIX path, 0.3 ms with this.
#undef MICROPY_PY_SELECT_POSIX_OPTIMISATIONS
#undef MICROPY_PY_SELECT_SELECT

// SOCK_RAW, as ports/esp8266/mpconfigport.h and ports/rp2/mpconfigport.h enable it.
#define MICROPY_PY_LWIP_SOCK_RAW (1)

// The port's mpconfigport.h sets MICROPY_PY_SOCKET_LISTEN_BACKLOG_DEFAULT from SOMAXCONN (as
// <sys/socket.h> has it, which modlwip.c does not include: its MSG_* would clash). 2 is the
// default of py/mpconfig.h, which both boards keep: modlwip's listen() without a backlog.
#ifndef SOMAXCONN
#define SOMAXCONN (2)
#endif

// The lwIP lock: recursive, held by modlwip around its lwIP calls and by the service thread
// (lwip_tap.c) while it feeds frames in and runs timers. The outermost EXIT also wakes the
// service thread when lwIP's next deadline moved earlier (e.g. tcp_connect started the TCP timer).
void net_lwip_enter(void);
void net_lwip_exit(void);
#define MICROPY_PY_LWIP_ENTER net_lwip_enter();
#define MICROPY_PY_LWIP_REENTER net_lwip_enter();
#define MICROPY_PY_LWIP_EXIT net_lwip_exit();

// lwIP, the link and the service thread start in mp_init() (after the GIL exists, which the
// service thread also takes) and stop in mp_deinit().
void net_lwip_init(void);
void net_lwip_deinit(void);
#define MICROPY_PORT_INIT_FUNC net_lwip_init()
#define MICROPY_PORT_DEINIT_FUNC net_lwip_deinit()

// Where the interpreter waits (py/scheduler.c: mp_event_wait_ms/_indefinite use this hook when
// a port defines it): as the unix port's own MICROPY_INTERNAL_WFE, at most 500 us, but woken at
// once by the service thread, as a board's WFE is by the network interrupt.
void net_lwip_event_poll_hook(void);
#define MICROPY_EVENT_POLL_HOOK net_lwip_event_poll_hook();
