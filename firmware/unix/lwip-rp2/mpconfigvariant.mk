# firmware/unix/lwip-rp2: the unix port with MicroPython's modlwip on lwIP configured as the
# rp2 firmware's (lwipopts.h), on a TAP link; net frozen in. MIT licence, see LICENSE.
#   python tools/firmware.py build --board lwip-rp2
include $(VARIANT_DIR)/../lwip/lwip.mk
