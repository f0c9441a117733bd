# firmware/unix/net/manifest.py - the unix port's own frozen modules, asyncio, net.
# MIT licence, see LICENSE.
include("$(PORT_DIR)/variants/manifest.py")
include("$(MPY_DIR)/extmod/asyncio")
include("../../manifest_net.py")
# The virtual board's flash mount (tools/vboard.py runs it at every start), frozen as a
# board's _boot.py is, so that it costs the board program no heap for its bytecode.
module("_vbfs.py", base_path="../../../board/vboard")
