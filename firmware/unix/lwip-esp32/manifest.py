# firmware/unix/lwip-esp32/manifest.py - the unix port's own frozen modules, asyncio, net
# (as firmware/unix/net/manifest.py). MIT licence, see LICENSE.
include("$(PORT_DIR)/variants/manifest.py")
include("$(MPY_DIR)/extmod/asyncio")
include("../../manifest_net.py")
# The emulated board's `network` (board/network.py: the station on the link, NET_IP), frozen as
# the ESP32's is built in: imported from board/ it would be compiled in the 38K heap, which no
# board spends (a connection's getaddr() ran out of heap doing so).
module("network.py", base_path="../../../board")
