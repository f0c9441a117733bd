# 2 MiB flash (the default variant): as ESP8266_GENERIC, net and asyncio frozen.
# MIT licence, see LICENSE.
LD_FILES = boards/esp8266_2MiB.ld

MICROPY_PY_ESPNOW ?= 1
MICROPY_PY_BTREE ?= 1
MICROPY_VFS_FAT ?= 1
MICROPY_VFS_LFS2 ?= 1

FROZEN_MANIFEST ?= $(BOARD_DIR)/manifest_2MiB.py

CFLAGS += -DMICROPY_ESP8266_2M
