# firmware/unix/net: the unix port with net frozen in (a host build whose `import net` costs
# no heap for net's bytecode, as on a board). MIT licence, see LICENSE.
PROG ?= micropython
FROZEN_MANIFEST ?= $(VARIANT_DIR)/manifest.py
# No ffi: net does not need it, and a 32-bit build (MICROPY_FORCE_32BIT=1, as tools/firmware.py
# builds it where the compiler can) would need a 32-bit libffi, which a 64-bit host lacks.
MICROPY_PY_FFI = 0
