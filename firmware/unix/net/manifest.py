# firmware/unix/net/manifest.py - the unix port's own frozen modules, asyncio, net.
# MIT licence, see LICENSE.
include("$(PORT_DIR)/variants/manifest.py")
include("$(MPY_DIR)/extmod/asyncio")
include("../../manifest_net.py")
