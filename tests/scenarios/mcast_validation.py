# net.multicastJoin's and multicastLeave's argument checks and answers, one labelled line each,
# for tests/test_multicast.py.
# MIT licence, see LICENSE.
from scen import say, BOARD_IP
from check import check
import net
from net import _rt
check("if-bad", net.multicastJoin, "10.0.0", "239.1.2.3")
check("if-name", net.multicastJoin, "eth0", "239.1.2.3")
check("if-type", net.multicastJoin, None, "239.1.2.3")
check("group-unicast", net.multicastJoin, "", "192.168.1.1")
check("group-240", net.multicastJoin, "any", "240.0.0.1")
check("group-223", net.multicastJoin, "any", "223.255.255.255")
check("group-type", net.multicastJoin, "", 0xEF010203)
say("EOPNOTSUPP", _rt.EOPNOTSUPP)
check("leave-unjoined", net.multicastLeave, BOARD_IP, "239.1.2.3")
check("join", net.multicastJoin, BOARD_IP, "224.0.0.251")
check("join-again", net.multicastJoin, BOARD_IP, "224.0.0.251")
check("leave", net.multicastLeave, BOARD_IP, "224.0.0.251")
check("leave-again", net.multicastLeave, BOARD_IP, "224.0.0.251")
check("join-239", net.multicastJoin, BOARD_IP, "239.255.255.255")
check("leave-239", net.multicastLeave, BOARD_IP, "239.255.255.255")
say("DONE")
