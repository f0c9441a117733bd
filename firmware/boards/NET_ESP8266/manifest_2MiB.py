# firmware/boards/NET_ESP8266/manifest_2MiB.py - the port's modules, asyncio, net.
# MIT licence, see LICENSE. (ESP8266_GENERIC's 2 MiB manifest also freezes ssd1306, upysh
# and umqtt from micropython-lib; left out: they would need a micropython-lib checkout and
# net does not use them.)
include("$(PORT_DIR)/boards/manifest.py")
include("$(MPY_DIR)/extmod/asyncio")
include("../../manifest_net.py")
