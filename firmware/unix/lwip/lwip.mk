# firmware/unix/lwip/lwip.mk - the make settings shared by the lwip-esp8266 and lwip-rp2
# variants of the unix port: MicroPython's extmod/modlwip.c as `socket` on lwIP (lib/lwip,
# NO_SYS), a TAP link (lwip_tap.c), net and asyncio frozen. MIT licence, see LICENSE.
# Included by each variant's mpconfigvariant.mk; the variant folder holds lwipopts.h.
NET_LWIP_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

PROG ?= micropython
FROZEN_MANIFEST ?= $(VARIANT_DIR)/manifest.py
# No ffi, as firmware/unix/net: a 32-bit build would need a 32-bit libffi.
MICROPY_PY_FFI = 0
# modlwip instead of the port's own socket module (extmod/extmod.mk builds lwIP and modlwip).
MICROPY_PY_SOCKET = 0
MICROPY_PY_LWIP = 1
# The lwIP service thread takes the GIL so that lwIP never runs beside the interpreter
# (lwip_tap.c says why).
MICROPY_PY_THREAD_GIL = 1

# arch/cc.h and mpconfig_lwip.h; the variant folder (lwipopts.h) is on the path already.
INC += -I$(NET_LWIP_DIR)
SRC_C += $(NET_LWIP_DIR)/lwip_tap.c
# modlwip.c compares signed with unsigned (e.g. socket->timeout, mp_uint_t, against -1); the
# port builds with -Wall -Wextra -Werror.
$(BUILD)/extmod/modlwip.o: CFLAGS += -Wno-sign-compare
