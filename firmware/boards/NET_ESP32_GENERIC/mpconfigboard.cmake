# firmware/boards/NET_ESP32_GENERIC: MicroPython's ESP32_GENERIC with net frozen in.
# MIT licence, see LICENSE.
#   make -C $MICROPY_DIR/ports/esp32 BOARD_DIR=$PWD/firmware/boards/NET_ESP32_GENERIC
set(SDKCONFIG_DEFAULTS
    ${MICROPY_PORT_DIR}/boards/sdkconfig.base
    ${MICROPY_PORT_DIR}/boards/sdkconfig.ble
)
set(MICROPY_FROZEN_MANIFEST ${MICROPY_BOARD_DIR}/manifest.py)
