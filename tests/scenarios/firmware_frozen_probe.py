# Where net comes from (__file__, sys.path), the heap's size and the build's bits, for
# tests/test_firmware.py.
# MIT licence, see LICENSE.
import gc, sys
import net
from net import _srv
from scen import say
say("FILE", repr(getattr(net, "__file__", None)), repr(getattr(_srv, "__file__", None)))
say("PATH", repr(sys.path))
gc.collect()
say("HEAP", gc.mem_free() + gc.mem_alloc())
say("BITS", 64 if sys.maxsize > 2**31 else 32)
