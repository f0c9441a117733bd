// firmware/boards/NET_ESP8266: ESP8266_GENERIC (2 MiB and 1 MiB variants) with net frozen in.
// MIT licence, see LICENSE. The settings are ESP8266_GENERIC's; only the names differ, so
// that the REPL banner and os.uname().machine tell this firmware from a stock one.
#if defined(MICROPY_ESP8266_2M)
#define MICROPY_HW_BOARD_NAME "ESP module with net"
#elif defined(MICROPY_ESP8266_1M)
#define MICROPY_HW_BOARD_NAME "ESP module (1M) with net"
#endif
#define MICROPY_HW_MCU_NAME "ESP8266"

#define MICROPY_PERSISTENT_CODE_LOAD    (1)
#define MICROPY_EMIT_XTENSA             (1)
#define MICROPY_EMIT_INLINE_XTENSA      (1)

#define MICROPY_ERROR_REPORTING         (MICROPY_ERROR_REPORTING_NORMAL)

#define MICROPY_READER_VFS              (MICROPY_VFS)
#define MICROPY_VFS                     (1)
