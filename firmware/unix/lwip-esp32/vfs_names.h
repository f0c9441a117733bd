// firmware/unix/lwip-esp32/vfs_names.h - the C library's symbols for select() and fcntl(), which
// vfs.c wraps (glibc: a 32-bit build with _TIME_BITS=64, as the unix port builds, calls
// __select64 and __fcntl_time64; a 64-bit build calls select and fcntl). MIT licence, see LICENSE.
// The link flags (mpconfigvariant.mk reads the "wrap:" lines):
// wrap: -Wl,--wrap=select -Wl,--wrap=fcntl -Wl,--wrap=__select64 -Wl,--wrap=__fcntl_time64
#if defined(__USE_TIME_BITS64) && __TIMESIZE == 32
#define NET_WRAP_SELECT __wrap___select64
#define NET_REAL_SELECT __real___select64
#define NET_WRAP_FCNTL __wrap___fcntl_time64
#define NET_REAL_FCNTL __real___fcntl_time64
#else
#define NET_WRAP_SELECT __wrap_select
#define NET_REAL_SELECT __real_select
#define NET_WRAP_FCNTL __wrap_fcntl
#define NET_REAL_FCNTL __real_fcntl
#endif
