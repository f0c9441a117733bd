# firmware/manifest.py - a port's own frozen modules plus net: FROZEN_MANIFEST for any port.
# MIT licence, see LICENSE.
#
#   make -C $MICROPY_DIR/ports/esp32 BOARD=ESP32_GENERIC FROZEN_MANIFEST=$PWD/firmware/manifest.py
#
# $(PORT_DIR)/boards/manifest.py is what ESP32 and ESP8266 firmware freezes by default
# (_boot, inisetup, flashbdev, ...); the board definitions under boards/ add more per board.
include("$(PORT_DIR)/boards/manifest.py")
include("manifest_net.py")
