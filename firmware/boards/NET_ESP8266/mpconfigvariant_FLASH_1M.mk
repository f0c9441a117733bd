# 1 MiB flash: as ESP8266_GENERIC's FLASH_1M, plus net (no asyncio: no room; net.task() is
# then unavailable, net.run() and net.poll() work). MIT licence, see LICENSE.
LD_FILES = boards/esp8266_1MiB.ld

MICROPY_PY_ESPNOW ?= 1
MICROPY_PY_BTREE ?= 1
MICROPY_VFS_LFS2 ?= 1

FROZEN_MANIFEST ?= $(BOARD_DIR)/manifest_1MiB.py

CFLAGS += -DMICROPY_ESP8266_1M
