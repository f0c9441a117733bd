# firmware/boards/NET_ESP8266/manifest_1MiB.py - the port's modules and net.
# MIT licence, see LICENSE.
include("$(PORT_DIR)/boards/manifest.py")
include("../../manifest_net.py")
