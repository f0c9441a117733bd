# firmware/unix/lwip-esp32/manifest.py - the unix port's own frozen modules, asyncio, net
# (as firmware/unix/net/manifest.py). MIT licence, see LICENSE.
include("$(PORT_DIR)/variants/manifest.py")
include("$(MPY_DIR)/extmod/asyncio")
include("../../manifest_net.py")
