# tools/bench/frames.py - the frame size of every function in a .mpy file, and which ones the
# VM puts on the heap. MIT licence, see LICENSE.
#
# MicroPython without pystack (every port net runs on) gives a Python function's frame a place
# on the C stack only while it takes at most 11 machine words (py/objfun.c,
# VM_MAX_STATE_ON_STACK); a larger frame is allocated on the heap and freed again on every call:
# about 740 instructions more per call on the unix port (valgrind), and garbage that moves the
# allocator's search back. The words are n_state (locals and the value stack) plus three per
# level of `try` (mp_exc_stack_t: handler, value stack pointer, saved exception). Both numbers
# are in each function's prelude in the .mpy, which this reads (.mpy version 6, MicroPython
# 1.19 and later). tests/test_bench.py holds net's per-message and per-connection functions to
# the limit with it.
#
#   python tools/bench/frames.py FILE.mpy [NAME ...]    every function (or those NAMEs)
import os
import subprocess
import sys
import tempfile

LIMIT = 11  # words: VM_MAX_STATE_ON_STACK
EXC_WORDS = 3  # words per exception-stack entry


def _reader(b, pos):
    p = [pos]

    def uint():
        v = 0
        while True:
            c = b[p[0]]
            p[0] += 1
            v = (v << 7) | (c & 0x7F)
            if not c & 0x80:
                return v

    return p, uint


def frames(path):
    # [(depth, name, n_state, n_exc_stack, words)] for every function and class body in the
    # file, in file order. Names that are static qstrs (common words such as "send") come out
    # as "<static N>": see label().
    with open(path, "rb") as f:
        b = f.read()
    if b[:2] != b"M\x06":
        raise ValueError("%s: not a version 6 .mpy file" % path)
    p, uint = _reader(b, 4)
    n_qstr, n_obj = uint(), uint()
    qstrs = []
    for _ in range(n_qstr):
        ln = uint()
        if ln & 1:
            qstrs.append("<static %d>" % (ln >> 1))
        else:
            qstrs.append(b[p[0]:p[0] + (ln >> 1)].decode())
            p[0] += (ln >> 1) + 1

    def skip_obj():
        t = b[p[0]]
        p[0] += 1
        if t in (5, 6, 7, 8, 9):  # str, bytes, int, float, complex: length, data (+ NUL)
            ln = uint()
            p[0] += ln + (1 if t in (5, 6) else 0)
        elif t == 10:  # tuple
            for _ in range(uint()):
                skip_obj()

    for _ in range(n_obj):
        skip_obj()
    out = []

    def raw_code(depth):
        kind_len = uint()
        has_children = (kind_len >> 2) & 1
        n = kind_len >> 3
        start = ip = p[0]
        # The signature (MP_BC_PRELUDE_SIG_DECODE): xSSSSEAA, then xFSSKAED while bit 7 is set.
        z = b[ip]
        ip += 1
        S = (z >> 3) & 0xF
        E = (z >> 2) & 1
        k = 0
        while z & 0x80:
            z = b[ip]
            ip += 1
            S |= (z & 0x30) << (2 * k)
            E |= (z & 0x02) << k
            k += 1
        S += 1
        while b[ip] & 0x80:  # the prelude's size info
            ip += 1
        ip += 1
        v = 0  # the function's name: a qstr index
        while True:
            c = b[ip]
            ip += 1
            v = (v << 7) | (c & 0x7F)
            if not c & 0x80:
                break
        out.append((depth, qstrs[v] if v < len(qstrs) else "?%d" % v, S, E, S + EXC_WORDS * E))
        p[0] = start + n
        if has_children:
            for _ in range(uint()):
                raw_code(depth + 1)

    raw_code(0)
    return out


def label(name, mpy_cross="mpy-cross"):
    # How frames() names a function called `name`: the name itself, or "<static N>" when
    # mpy-cross stores it as one of MicroPython's static qstrs.
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "probe.py")
        with open(src, "w") as f:
            f.write("def %s():\n    pass\n" % name)
        subprocess.run([mpy_cross, src], check=True, capture_output=True)
        return frames(os.path.join(d, "probe.mpy"))[1][1]


def main(argv):
    only = set(argv[1:])
    for depth, name, s, e, w in frames(argv[0]):
        if only and name not in only:
            continue
        print("%s%-24s n_state=%2d exc=%d words=%2d %s" % ("  " * depth, name, s, e, w, "HEAP" if w > LIMIT else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
