# Parse a corpus of DNS replies (one hex message a line) with net.dns's parser, printing each
# result's repr, then "DONE count". argv: corpus path, the name the query asked.
# MIT licence, see LICENSE.
import gc
from scen import say, arg
from net import dns
from binascii import unhexlify

q = dns._Query(arg(1), ["127.0.0.1"])._query_bytes
n = 0
with open(arg(0)) as f:
    for line in f:
        line = line.strip()
        r = dns._parse(unhexlify(line), q)
        # repr of a tuple with a str is the same on both runtimes: ('10.0.0.1', 300)
        say(repr(r))
        n += 1
        if n % 50 == 0:
            gc.collect()
say("DONE", n)
