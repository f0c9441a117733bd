# Lookups through net.dns, step by step as the command line says. MIT licence, see LICENSE.
# Each argument is one step, run in order:
#   server0=IP  server1=IP      net.dns.setdnsserver(IP, 0 / 1)
#   timeout=MS  tries=N  cache=N   the module's tunables
#   NAME                        resolve NAME and run the loop until the answer:
#                               "CALLED NAME" when resolve() returned, then "ANSWER NAME IP MS"
#                               (IP "None" on failure, MS the time it took)
#   par:A,B,C                   resolve A, B and C at once, one "ANSWER" line each, in the
#                               order the callbacks ran
#   par A B C /par              the same, for long lists (the unix port dies on a command-line
#                               argument over 255 bytes: "FATAL: uncaught NLR")
#   sleep:MS                    wait (the loop has nothing to do)
#   sync                        print "SYNC" and wait for a line on stdin (the test checks the
#                               server side meanwhile)
#   servers                     print "SERVERS s0 s1" (getdnsserver(0), getdnsserver(1))
#   leaks                       print "LEAKS pending sockets alive" (all 0 when nothing leaked)
#   mem                         print "MEM bytes" (heap in use after a collection; MicroPython)
# At the end: "DONE".
import sys
import time
import gc
from scen import say
import net
from net._rt import ticks_ms, ticks_diff
from net._loop import loop

dns = net.dns


def got(name, ip):
    say("ANSWER", name, ip, ticks_diff(ticks_ms(), t0))


def lookup(names):
    global t0
    t0 = ticks_ms()
    for n in names:
        dns.resolve(n, got, n)
        say("CALLED", n)
    loop.run()  # returns once no query, socket or timer is left


group = None
for step in sys.argv[1:]:
    if group is not None:
        if step == "/par":
            lookup(group)
            group = None
        else:
            group.append(step)
    elif step == "par":
        group = []
    elif "=" in step:
        k, v = step.split("=", 1)
        if k == "server0":
            dns.setdnsserver(v, 0)
        elif k == "server1":
            dns.setdnsserver(v, 1)
        elif k == "timeout":
            dns.TIMEOUT = int(v)
        elif k == "tries":
            dns.TRIES = int(v)
        elif k == "cache":
            dns.CACHE_SIZE = int(v)
        else:
            raise ValueError(step)
    elif step.startswith("par:"):
        lookup(step[4:].split(","))
    elif step.startswith("sleep:"):
        time.sleep(int(step[6:]) / 1000)
    elif step == "sync":
        say("SYNC")
        sys.stdin.readline()
    elif step == "servers":
        say("SERVERS", dns.getdnsserver(0), dns.getdnsserver(1))
    elif step == "leaks":
        say("LEAKS", len(dns._pending), len(loop._owners), int(loop.alive()))
    elif step == "mem":
        gc.collect()
        say("MEM", gc.mem_alloc() if hasattr(gc, "mem_alloc") else 0)
    else:
        lookup([step])
say("DONE")
