# Heap cost of net.dns on MicroPython: the import, one lookup in flight, a cache entry.
# MIT licence, see LICENSE. argv: DNS server ip (answering a.test and b.test, slowly; others may fail).
# Prints "IMPORT-NET n", "IMPORT-DNS n", "PENDING n" (one lookup in flight), "PENDING4 n"
# (four), "CACHED n" (one answer kept), "IDLE n" (after the lookups, no cache), "ANSWER ip".
import gc
from scen import say, arg

gc.collect()
m0 = gc.mem_alloc()
import net
from net._loop import loop

gc.collect()
m1 = gc.mem_alloc()
from net import dns

gc.collect()
m2 = gc.mem_alloc()
say("IMPORT-NET", m1 - m0)
say("IMPORT-DNS", m2 - m1)

got = [None, 0]  # the last answer and how many came (nothing that grows with each answer)


def cb(_, ip):
    got[0] = ip
    got[1] += 1


def grown(label):
    # What the heap holds above `base`, garbage collected first.
    gc.collect()
    say(label, gc.mem_alloc() - base)


dns.setdnsserver(arg(0))
dns.CACHE_SIZE = 0
dns.resolve("a.test", cb)  # warm-up: the first use imports network, allocates ipoll's tuple
loop.run()
gc.collect()
base = gc.mem_alloc()
dns.resolve("b.test", cb)
loop.poll(0)
grown("PENDING")
loop.run()
grown("IDLE")
for n in ("b.test", "c.test", "d.test", "e.test"):
    dns.resolve(n, cb)
loop.poll(0)
grown("PENDING4")
loop.run()
grown("IDLE")
dns.CACHE_SIZE = 8
dns.resolve("b.test", cb)
loop.run()
grown("CACHED")
say("ANSWER", got[0], got[1])
