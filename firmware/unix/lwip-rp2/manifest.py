# firmware/unix/lwip-rp2/manifest.py - what firmware/unix/net freezes: the unix port's own
# frozen modules, asyncio, net. MIT licence, see LICENSE.
include("../net/manifest.py")
