# firmware/unix/lwip-esp8266: the unix port with MicroPython's modlwip on lwIP configured as the
# esp8266 firmware's (lwipopts.h), on a TAP link; net frozen in. MIT licence, see LICENSE.
#   python tools/firmware.py build --board lwip-esp8266
include $(VARIANT_DIR)/../lwip/lwip.mk
# A listening pcb gets a whole pcb's room: modlwip writes past its end (listen_pcb.c says why).
LDFLAGS_EXTRA += -Wl,--wrap=mem_malloc
