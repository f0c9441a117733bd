# firmware/unix/lwip-rp2/manifest.py - what firmware/unix/net freezes (the unix port's own frozen
# modules, asyncio, net) and the emulated board's `network` (board/network.py: the station on
# the link, NET_IP), frozen as a board's is built in: imported from board/ it would be compiled
# in the 38K heap, which no board spends (a connection's getaddr() ran out of heap doing so).
# MIT licence, see LICENSE.
include("../net/manifest.py")
module("network.py", base_path="../../../board")
