// firmware/unix/lwip-esp32/esp32_tcp_in.c - lwIP's core/tcp_in.c, as it is, with the one change
// ESP-IDF's lwIP (espressif/esp-lwip) makes to it. MIT licence, see LICENSE.
//
// A peer's FIN is handed to the socket as a NULL pbuf (TCP_EVENT_CLOSED); when the socket's
// receive mailbox is full that post fails with ERR_MEM, which lwIP ignores after acknowledging
// the FIN, so the connection never ends. esp-lwip flags the pcb TF_CLOSEPEND instead
// ("tcp_in: Flag the pcb as closing if TCP_EVENT_CLOSED refused", d050c331 on 2.1.2-esp,
// 223101f1 on 2.1.3-esp; IDF-4847, lwIP patch #10013), and tcp_fasttmr then closes it.
#include "lwip/priv/tcp_priv.h"
#undef TCP_EVENT_CLOSED
#define TCP_EVENT_CLOSED(pcb, ret)                                     \
    do {                                                               \
        if ((pcb)->recv != NULL) {                                     \
            (ret) = (pcb)->recv((pcb)->callback_arg, (pcb), NULL, ERR_OK); \
            if ((ret) == ERR_MEM) {                                    \
                tcp_set_flags((pcb), TF_CLOSEPEND);                    \
            }                                                          \
        } else {                                                       \
            (ret) = ERR_OK;                                            \
        }                                                              \
    } while (0)
#include "lib/lwip/src/core/tcp_in.c"
