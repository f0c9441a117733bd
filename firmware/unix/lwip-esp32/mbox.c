// firmware/unix/lwip-esp32/mbox.c - mailboxes of the size lwIP asks for. MIT licence, see LICENSE.
//
// lwIP's unix sys_arch (contrib/ports/unix/port/sys_arch.c) ignores the size given to
// sys_mbox_new: every mailbox holds SYS_MBOX_SIZE (128) messages. ESP-IDF's sys_arch (FreeRTOS)
// makes a queue of that size, and the sizes are the point here: a UDP socket holds
// DEFAULT_UDP_RECVMBOX_SIZE (6) datagrams and drops the rest, a listener
// DEFAULT_ACCEPTMBOX_SIZE (6) connections, a TCP socket DEFAULT_TCP_RECVMBOX_SIZE (6) segments,
// the tcpip thread TCPIP_MBOX_SIZE (32) messages. lwIP fills these mailboxes with
// sys_mbox_trypost (api_msg.c, tcpip.c), which fails with ERR_MEM when the mailbox is full;
// wrapped here (the linker's --wrap, mpconfigvariant.mk), it fails when the mailbox holds the
// size it was made with, as a FreeRTOS queue does. sys_arch.c itself is not changed.
#include <pthread.h>
#include <stddef.h>

#include "lwip/sys.h"

// sys_arch.c's struct sys_mbox starts with `int first, last;`: messages waiting = last - first.
struct net_mbox_head {
    int first, last;
};

#define NET_MBOX_MAX 64
static struct {
    void *mbox;
    int size;
} net_mbox_size[NET_MBOX_MAX];
static pthread_mutex_t net_mbox_lock = PTHREAD_MUTEX_INITIALIZER;

err_t __real_sys_mbox_new(sys_mbox_t *mb, int size);
err_t __real_sys_mbox_trypost(sys_mbox_t *mb, void *msg);
void __real_sys_mbox_free(sys_mbox_t *mb);

err_t __wrap_sys_mbox_new(sys_mbox_t *mb, int size) {
    err_t err = __real_sys_mbox_new(mb, size);
    if (err == ERR_OK && size > 0) {
        pthread_mutex_lock(&net_mbox_lock);
        for (int i = 0; i < NET_MBOX_MAX; ++i) {
            if (net_mbox_size[i].mbox == NULL) {
                net_mbox_size[i].mbox = *mb;
                net_mbox_size[i].size = size;
                break;
            }
        }
        pthread_mutex_unlock(&net_mbox_lock);
    }
    return err;
}

void __wrap_sys_mbox_free(sys_mbox_t *mb) {
    pthread_mutex_lock(&net_mbox_lock);
    for (int i = 0; i < NET_MBOX_MAX; ++i) {
        if (net_mbox_size[i].mbox == *mb) {
            net_mbox_size[i].mbox = NULL;
        }
    }
    pthread_mutex_unlock(&net_mbox_lock);
    __real_sys_mbox_free(mb);
}

err_t __wrap_sys_mbox_trypost(sys_mbox_t *mb, void *msg) {
    int size = 0;
    pthread_mutex_lock(&net_mbox_lock);
    for (int i = 0; i < NET_MBOX_MAX; ++i) {
        if (net_mbox_size[i].mbox == *mb) {
            size = net_mbox_size[i].size;
            break;
        }
    }
    pthread_mutex_unlock(&net_mbox_lock);
    const volatile struct net_mbox_head *h = (const volatile struct net_mbox_head *)*mb;
    if (size > 0 && h->last - h->first >= size) {
        return ERR_MEM;
    }
    return __real_sys_mbox_trypost(mb, msg);
}
