# board/vboard/_vbfs.py - the virtual board's filesystem: its flash folder as "/", and its
# firmware's modules read-only under "/rom". MIT licence, see LICENSE.
#
# tools/vboard.py starts every interpreter with boot(flash, rom), as a board's frozen _boot.py
# mounts its flash. The unix port mounts the host's "/" at "/"; boot() replaces that mount
# with Flash, which resolves every path itself (".." stops at "/", as on a board) and hands
# the host only paths inside the flash folder or, for reading, inside a rom folder. Relative
# paths go through the same resolution, against Flash's own working directory.
import vfs

_DIR = 0x4000  # S_IFDIR


class Flash:
    def __init__(self, flash, rom):
        self._f = vfs.VfsPosix(flash)
        self._rom = [vfs.VfsPosix(d) for d in rom]  # searched in order, as sys.path would be
        self._cwd = "/"

    def __repr__(self):
        return "<VfsFlash>"

    def _abs(self, path):
        # path -> "/a/b" with "." and ".." resolved; ".." at "/" stays at "/".
        if path[:1] != "/":
            path = self._cwd + "/" + path
        parts = []
        for p in path.split("/"):
            if p == "..":
                if parts:
                    parts.pop()
            elif p and p != ".":
                parts.append(p)
        return "/" + "/".join(parts)

    def _at(self, path, write=False):
        # -> (the VfsPosix that holds path, its path there). /rom is read-only.
        p = self._abs(path)
        if p != "/rom" and p[:5] != "/rom/":
            return self._f, p
        if write:
            raise OSError(30)  # EROFS
        sub = p[4:] or "/"
        for v in self._rom:
            try:
                v.stat(sub)
                return v, sub
            except OSError:
                pass
        raise OSError(2)  # ENOENT

    # The VFS protocol (MicroPython's vfs module: mount, open, ilistdir, ...).
    def mount(self, readonly, mkfs):
        pass

    def umount(self):
        pass

    def open(self, path, mode):
        v, p = self._at(path, "w" in mode or "a" in mode or "+" in mode)
        return v.open(p, mode)

    def ilistdir(self, path):
        p = self._abs(path)
        if p == "/rom":
            seen = set()
            for v in self._rom:
                for e in v.ilistdir("/"):
                    if e[0] not in seen and e[0] != "__pycache__":
                        seen.add(e[0])
                        yield e
            return
        v, p = self._at(p)
        for e in v.ilistdir(p):
            # The size, as a board's filesystem gives it (mpremote fs ls shows it).
            yield (e[0], e[1], e[2], v.stat(p + "/" + e[0])[6] if e[1] != _DIR else 0)

    def chdir(self, path):
        p = self._abs(path)
        if not self.stat(p)[0] & _DIR:
            raise OSError(20)  # ENOTDIR
        self._cwd = p

    def getcwd(self):
        return self._cwd

    def stat(self, path):
        v, p = self._at(path)
        return v.stat(p)

    def statvfs(self, path):
        return self._f.statvfs("/")

    def mkdir(self, path):
        v, p = self._at(path, True)
        v.mkdir(p)

    def rmdir(self, path):
        v, p = self._at(path, True)
        v.rmdir(p)

    def remove(self, path):
        v, p = self._at(path, True)
        v.remove(p)

    def rename(self, old, new):
        v, o = self._at(old, True)
        v.rename(o, self._at(new, True)[1])


def boot(flash, rom):
    # Mount Flash as "/", make it the current folder, and give sys.path and sys.argv a
    # board's shape: the current folder, the firmware's modules, the frozen ones, /lib.
    import sys

    vfs.umount("/")
    vfs.mount(Flash(flash, rom), "/")
    import os

    os.chdir("/")
    sys.path.clear()
    sys.path.extend(("", "/rom", ".frozen", "/lib"))
    sys.argv.clear()  # a board has no command line (the unix port's -c left ['-c'])
