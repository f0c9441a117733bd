# net.ifinfo on a runtime without a network module, for tests/test_if.py.
# MIT licence, see LICENSE.
from scen import say
import net
try:
    net.ifinfo(0)
    say("NO-ERROR")
except OSError as e:
    from net import _rt
    say("OSError", _rt.errno_of(e) == _rt.EOPNOTSUPP, e.args[-1])
