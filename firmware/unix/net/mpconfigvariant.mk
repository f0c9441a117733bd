# firmware/unix/net: the unix port with net frozen in (a host build whose `import net` costs
# no heap for net's bytecode, as on a board). MIT licence, see LICENSE.
PROG ?= micropython
FROZEN_MANIFEST ?= $(VARIANT_DIR)/manifest.py
