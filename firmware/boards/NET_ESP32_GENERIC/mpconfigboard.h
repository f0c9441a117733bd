// firmware/boards/NET_ESP32_GENERIC: ESP32_GENERIC with net frozen in. MIT licence, see LICENSE.
// The name shows in the REPL banner and in os.uname().machine, so a user can tell this
// firmware from a stock one.
#define MICROPY_HW_BOARD_NAME "Generic ESP32 module with net"
#define MICROPY_HW_MCU_NAME "ESP32"
