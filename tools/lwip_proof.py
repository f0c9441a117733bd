# tools/lwip_proof.py - check an lwip-* firmware over a real link: a network namespace with a
# TAP device (192.0.2.1/24 on the kernel's side), the firmware attached to it at 192.0.2.2.
# MIT licence, see LICENSE.
#
#   sudo python3 tools/lwip_proof.py build/firmware/lwip-esp8266 [build/firmware/lwip-rp2 ...]
#
# Per firmware: a net HTTP hello server (38K heap) answers N curl requests from the namespace
# (figures: answered, median/max time per request, and how many took under 5 ms); a net UDP
# echo answers a datagram; a net client connects from lwIP to a TCP server at 192.0.2.1. The
# namespace and the device are made here and removed at the end, whatever happens. Needs root
# (or CAP_NET_ADMIN and CAP_SYS_ADMIN), ip (iproute2) and curl.
import os
import statistics
import subprocess
import sys
import tempfile
import time

NS = "net-lwip-proof-%d" % os.getpid()
TAP = "nlp%d" % (os.getpid() % 100000)
HOST, BOARD = "192.0.2.1", "192.0.2.2"

HELLO = """import net
srv = net.createServer(net.TCP, 30)
srv.listen(80, lambda c: c.on("receive", lambda s, d: s.send(b"HTTP/1.0 200 OK\\r\\n\\r\\nhello", lambda s: s.close())))
print("ready")
net.run()
"""
UDP_ECHO = """import net
u = net.createUDPSocket()
u.on("receive", lambda s, d, port, ip: s.send(port, ip, d))
u.listen(7)
print("ready")
net.run()
"""
CLIENT = """import net
c = net.createConnection(net.TCP, 0)
c.on("connection", lambda s: s.send(b"ping"))
c.on("receive", lambda s, d: (print("got", d), s.close()))
c.on("disconnection", lambda s, e: net.stop())
c.connect(8000, "%s")
net.run()
""" % HOST


def ns(*cmd, **kw):
    return subprocess.run(["ip", "netns", "exec", NS] + list(cmd), **kw)


def start(fw, script, tmp):
    path = os.path.join(tmp, "main.py")
    with open(path, "w") as f:
        f.write(script)
    env = dict(os.environ, NET_TAP=TAP)
    p = subprocess.Popen(["ip", "netns", "exec", NS, fw, "-X", "heapsize=38K", path], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp)
    line = p.stdout.readline()
    if "ready" not in line:
        p.kill()
        raise SystemExit("%s did not start: %r" % (fw, line + p.stdout.read()))
    return p


def stop(p):
    p.kill()
    p.wait()


def http(fw, tmp, n):
    p = start(fw, HELLO, tmp)
    try:
        times, ok = [], 0
        for _ in range(n):
            r = ns("curl", "-s", "-o", "/dev/null", "--max-time", "5", "-w", "%{http_code} %{time_total}",
                   "http://%s/" % BOARD, capture_output=True, text=True)
            code, t = (r.stdout.split() + ["0", "5"])[:2]
            ok += code == "200"
            times.append(float(t) * 1000)
    finally:
        stop(p)
    fast = sum(t < 5 for t in times)
    print("  http: %d/%d answered; per request median %.2f ms, max %.1f ms; %d/%d under 5 ms"
          % (ok, n, statistics.median(times), max(times), fast, n))
    return ok == n


def udp(fw, tmp):
    p = start(fw, UDP_ECHO, tmp)
    try:
        code = ("import socket,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(2);"
                "t=time.perf_counter(); s.sendto(b'echo me',('%s',7)); d,a=s.recvfrom(100);"
                "print(d.decode(), a[0], '%%.2f ms' %% ((time.perf_counter()-t)*1000))" % BOARD)
        r = ns(sys.executable, "-c", code, capture_output=True, text=True)
    finally:
        stop(p)
    print("  udp echo: %s" % (r.stdout.strip() or r.stderr.strip().splitlines()[-1]))
    return r.returncode == 0 and "echo me" in r.stdout


def client(fw, tmp):
    code = ("import socket; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);"
            "s.bind(('%s',8000)); s.listen(1); s.settimeout(5); c,a=s.accept(); c.settimeout(5);"
            "d=c.recv(100); c.sendall(b'pong'); print('server got', d.decode(), 'from', a[0]); c.close()" % HOST)
    srv = subprocess.Popen(["ip", "netns", "exec", NS, sys.executable, "-c", code],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(0.3)
    env = dict(os.environ, NET_TAP=TAP)
    path = os.path.join(tmp, "client.py")
    with open(path, "w") as f:
        f.write(CLIENT)
    r = subprocess.run(["ip", "netns", "exec", NS, fw, "-X", "heapsize=38K", path], env=env,
                       capture_output=True, text=True, timeout=20, cwd=tmp)
    out = srv.communicate(timeout=10)[0]
    print("  client connect: %s; %s" % (out.strip(), r.stdout.strip() or r.stderr.strip()))
    return "pong" in r.stdout and "ping" in out


def main(argv):
    n = 50
    fws = [os.path.abspath(a) for a in argv]
    if not fws:
        raise SystemExit("usage: tools/lwip_proof.py FIRMWARE...")
    subprocess.run(["ip", "netns", "add", NS], check=True)
    try:
        for c in (["ip", "tuntap", "add", "dev", TAP, "mode", "tap"], ["ip", "addr", "add", HOST + "/24", "dev", TAP],
                  ["ip", "link", "set", TAP, "up"], ["ip", "link", "set", "lo", "up"]):
            ns(*c, check=True)
        good = True
        with tempfile.TemporaryDirectory() as tmp:
            for fw in fws:
                print("%s (namespace %s, %s on %s)" % (fw, NS, BOARD, TAP), flush=True)
                good &= http(fw, tmp, n)
                good &= udp(fw, tmp)
                good &= client(fw, tmp)
        return 0 if good else 1
    finally:
        subprocess.run(["ip", "netns", "del", NS])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
