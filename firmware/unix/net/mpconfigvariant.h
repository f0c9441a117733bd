// firmware/unix/net: the unix port's standard variant with net frozen in.
// MIT licence, see LICENSE.
//   make -C $MICROPY_DIR/ports/unix VARIANT=net VARIANT_DIR=$PWD/firmware/unix/net
// The same settings as the standard variant. This folder is outside the port, so the common
// header is named from the port's folder (which is on the include path), not as "../".
#define MICROPY_CONFIG_ROM_LEVEL (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)
#include "variants/mpconfigvariant_common.h"
