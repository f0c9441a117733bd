# firmware/boards/NET_ESP32_GENERIC/manifest.py - the port's modules (asyncio included on
# ESP32), plus net. MIT licence, see LICENSE.
include("$(PORT_DIR)/boards/manifest.py")
include("../../manifest_net.py")
