# tools/mipindex.py - a mip package index holding net, in micropython-lib's layout.
# MIT licence, see LICENSE.
#
#   python tools/mipindex.py [--out build/index] [--hash-prefix 8]      (`make index`)
#
# Writes what micropython-lib's tools/build.py writes for one package, so that `mip` on a
# board and `mpremote mip` install net from it as from micropython.org/pi/v2:
#   index.json                             {"v": 2, "updated": ..., "packages": [{"name": "net", ...}]}
#   package/<mpy>/net/<version>.json       {"v": 1, "hashes": [["net/_rt.mpy", "1a2b3c4d"], ...], "version": ...}
#   package/<mpy>/net/latest.json          the same
#   package/py/net/<version>.json, latest.json     the sources, for `--no-mpy`
#   file/<hash[:2]>/<hash>                 every file, named by its sha256's first 8 hex digits
# <mpy> is the .mpy version mpy-cross emits (6: MicroPython 1.20 and later), which is what
# mip asks for (sys.implementation._mpy & 0xff); the .mpy files are the build/mpy ones, the
# bytecode the micropython-mpy test target runs. The folder is rebuilt from scratch.
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mpybuild  # noqa: E402

ROOT = mpybuild.ROOT
NAME = "net"
DESCRIPTION = "Event-driven TCP/UDP networking for MicroPython boards: NodeMCU's net API with Node's net.Server semantics"


def mpy_version(exe=None):
    # The major .mpy version mpy-cross emits ("mpy-cross emitting mpy v6.3" -> "6").
    out = subprocess.run([exe or mpybuild.mpy_cross_exe(), "--version"], capture_output=True, text=True).stdout
    m = re.search(r"mpy v(\d+)\.\d+", out)
    if not m:
        raise RuntimeError("mpy-cross --version does not name its .mpy version: %r" % out)
    return m.group(1)


def firmware_mpy_version(exe):
    # The .mpy version a MicroPython binary loads (what its mip asks the index for).
    p = subprocess.run([exe, "-c", "import sys; print(sys.implementation._mpy & 0xff)"], capture_output=True, text=True, cwd="/")
    return p.stdout.strip()


def _put(out, data, prefix_len):
    # Store data under file/<h[:2]>/<h> (h: its sha256's first prefix_len hex digits).
    h = hashlib.sha256(data).hexdigest()[:prefix_len]
    path = os.path.join(out, "file", h[:2], h)
    if os.path.exists(path):
        with open(path, "rb") as f:
            if f.read() != data:
                raise RuntimeError("hash collision on %s: give a longer --hash-prefix" % h)
    else:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return h


def _write_json(obj, path, minify):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=None if minify else 2, separators=(",", ":") if minify else None)
        f.write("\n")


def build(out, prefix_len=8):
    # Build the index into out (emptied first); returns (mpy version, {target path: hash}).
    if prefix_len < 4:
        raise ValueError("hash prefix must be at least 4 hex digits (micropython-lib's minimum), got %d" % prefix_len)
    version = mpybuild.net_version()
    mpyv = mpy_version()
    mpy_dir = mpybuild.default_out()
    mpybuild.build(mpy_dir)
    shutil.rmtree(out, ignore_errors=True)
    hashes = {"py": [], mpyv: []}
    for mod in mpybuild.modules():
        with open(os.path.join(ROOT, mod), "rb") as f:
            hashes["py"].append([mod, _put(out, f.read(), prefix_len)])
        target = mod[:-3] + ".mpy"
        with open(os.path.join(mpy_dir, target), "rb") as f:
            hashes[mpyv].append([target, _put(out, f.read(), prefix_len)])
    for v, files in hashes.items():
        pkg = {"v": 1, "hashes": files, "version": version}
        for name in ("latest", version):
            _write_json(pkg, os.path.join(out, "package", v, NAME, name + ".json"), minify=True)
    index = {
        "v": 2,
        "updated": int(time.time()),
        "packages": [{
            "name": NAME, "version": version, "author": "", "description": DESCRIPTION,
            "license": "MIT", "versions": {"py": [version], mpyv: [version]}, "path": NAME,
        }],
    }
    _write_json(index, os.path.join(out, "index.json"), minify=False)
    return mpyv, dict(hashes[mpyv])


def main(argv):
    import argparse

    ap = argparse.ArgumentParser(description="build a mip package index holding net (micropython-lib's layout)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "index"), help="output folder (default build/index; emptied first)")
    ap.add_argument("--hash-prefix", type=int, default=8, help="hex digits of a file's sha256 in its name (default 8, as micropython-lib)")
    a = ap.parse_args(argv)
    mpyv, files = build(a.out, a.hash_prefix)
    print("index: %s: net %s, %d modules as .mpy v%s and as .py" % (os.path.relpath(a.out), mpybuild.net_version(), len(files), mpyv))
    # Warn when the firmware at hand would ask for another .mpy version.
    for exe in (os.path.join(ROOT, "build", "firmware", "unix"), os.path.join(os.path.dirname(sys.executable), "micropython")):
        if os.path.exists(exe):
            fv = firmware_mpy_version(exe)
            if fv != mpyv:
                print("index: warning: %s loads .mpy v%s, not v%s" % (os.path.relpath(exe), fv, mpyv), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
