# firmware/boards/NET_ESP8266: MicroPython's ESP8266_GENERIC with net frozen in.
# MIT licence, see LICENSE.
#   make -C $MICROPY_DIR/ports/esp8266 BOARD_DIR=$PWD/firmware/boards/NET_ESP8266               2 MiB flash
#   make -C $MICROPY_DIR/ports/esp8266 BOARD_DIR=... BOARD_VARIANT=FLASH_1M                     1 MiB flash
# The variants' settings (mpconfigvariant*.mk) are ESP8266_GENERIC's, with the manifest ours.
