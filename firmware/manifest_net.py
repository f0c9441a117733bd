# firmware/manifest_net.py - freezes the net package; included by every manifest here.
# MIT licence, see LICENSE.
#
# package() freezes every .py file under net/ (compiled by the build's own mpy-cross, for the
# port's architecture), so a module added to net/ is frozen without touching this file.
# base_path is relative to this file: the checkout's root, which holds net/.
metadata(description="net: event-driven TCP/UDP networking, NodeMCU's net API with Node's net.Server semantics", version="0.1.0", license="MIT")
package("net", base_path="..")
