# firmware/unix/lwip-esp32: the unix port whose `socket` is the ESP32's ports/esp32/modsocket.c,
# compiled from the MicroPython tree as it is, over lwIP 2.2.1 (lib/lwip) with its socket API
# and lwIP's own unix sys_arch, on a TAP link (link.c). ESP-IDF headers modsocket.c includes
# are stood in for by idf/ (docs/lwip-esp32.md). MIT licence, see LICENSE.
PROG ?= micropython
FROZEN_MANIFEST ?= $(VARIANT_DIR)/manifest.py
# No ffi (as firmware/unix/net). No unix socket module: `socket` is modsocket.c's.
MICROPY_PY_FFI = 0
MICROPY_PY_SOCKET = 0

LWIP_ESP32_LWIP = lib/lwip/src
LWIP_ESP32_PORT = lib/lwip/contrib/ports/unix/port
# idf/ first: its lwip/sockets.h wraps lwIP's, as ESP-IDF's own does.
CFLAGS += -I$(VARIANT_DIR)/idf -I$(TOP)/$(LWIP_ESP32_LWIP)/include -I$(TOP)/$(LWIP_ESP32_PORT)/include

# The ESP32 port's socket module, from the tree (its folder's modnetwork.h comes with it), is
# compiled by esp32_modsocket.c (this folder's *.c are built); and the address helpers it calls
# (the ESP32 port compiles the same file).
SHARED_SRC_C_EXTRA += netutils/netutils.c

# lwIP: core, IPv4, IPv6, the sequential and socket APIs, Ethernet; lwIP's unix sys_arch.
# core/tcp_in.c is compiled by esp32_tcp_in.c, with esp-lwip's change to it.
SRC_THIRDPARTY_C += $(addprefix $(LWIP_ESP32_LWIP)/,\
	core/def.c core/dns.c core/inet_chksum.c core/init.c core/ip.c core/mem.c core/memp.c \
	core/netif.c core/pbuf.c core/raw.c core/stats.c core/sys.c core/tcp.c \
	core/tcp_out.c core/timeouts.c core/udp.c \
	core/ipv4/acd.c core/ipv4/autoip.c core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c \
	core/ipv4/igmp.c core/ipv4/ip4.c core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c \
	core/ipv6/dhcp6.c core/ipv6/ethip6.c core/ipv6/icmp6.c core/ipv6/inet6.c core/ipv6/ip6.c \
	core/ipv6/ip6_addr.c core/ipv6/ip6_frag.c core/ipv6/mld6.c core/ipv6/nd6.c \
	api/api_lib.c api/api_msg.c api/err.c api/if_api.c api/netbuf.c api/netdb.c \
	api/netifapi.c api/sockets.c api/tcpip.c \
	netif/ethernet.c \
	)
SRC_THIRDPARTY_C += $(LWIP_ESP32_PORT)/sys_arch.c

# ESP-IDF's VFS stand-in (vfs.c): select() and fcntl() on lwIP's descriptors go to lwIP.
LDFLAGS_EXTRA += $(shell sed -n 's/^\/\/ wrap: //p' $(VARIANT_DIR)/vfs_names.h)
# Mailboxes of the size lwIP asks for (mbox.c), which lwIP's unix sys_arch ignores.
LDFLAGS_EXTRA += -Wl,--wrap=sys_mbox_new -Wl,--wrap=sys_mbox_trypost -Wl,--wrap=sys_mbox_free

# lwIP's sources, as they are, under the port's -Werror: the warnings they raise here (as
# extmod.mk does for dhcp.c in MicroPython's own lwIP builds).
$(BUILD)/$(LWIP_ESP32_PORT)/sys_arch.o: CFLAGS += -Wno-unused-variable -Wno-unused-but-set-variable
$(BUILD)/$(LWIP_ESP32_LWIP)/core/ipv4/dhcp.o: CFLAGS += -Wno-address

# extmod/modnetwork.c now compiles empty (no MICROPY_PY_NETWORK for the build, see
# esp32_modsocket.c); py/makeqstrdefs.py never rewrites a file's old registrations when it has
# none left, so a build folder from before would still register `network` and fail to link.
$(shell rm -f $(BUILD)/genhdr/*/@@__@@__extmod__modnetwork.c.*)
