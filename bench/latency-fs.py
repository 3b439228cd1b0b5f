#!/usr/bin/python3
"""A FUSE passthrough that sleeps before every metadata operation: a stand-in for Lustre,
GPFS or NFS as a login node sees them, where each lookup, stat, open or directory read is a
round trip to a server. Data reads and writes are not delayed. Multithreaded, as those
clients are: operations in flight at once overlap their waits.

Usage: latency-fs.py <root> <mountpoint> <delay-ms>   (needs /dev/fuse and root; Debian's
python3-fusepy). Runs in the foreground until unmounted (fusermount -u <mountpoint>).
"""
import errno
import os
import sys
import time

from fusepy import FUSE, FuseOSError, Operations


class LatencyPassthrough(Operations):
    def __init__(self, root, delay_s):
        self.root = root
        self.delay = delay_s

    def _full(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def _wait(self):
        time.sleep(self.delay)

    # Metadata: each is one round trip.
    def access(self, path, mode):
        self._wait()
        if not os.access(self._full(path), mode):
            raise FuseOSError(errno.EACCES)

    def getattr(self, path, fh=None):
        self._wait()
        st = os.lstat(self._full(path))
        keys = ("st_atime", "st_ctime", "st_gid", "st_mode", "st_mtime", "st_nlink", "st_size", "st_uid")
        out = {k: getattr(st, k) for k in keys}
        out["st_mtime"] = st.st_mtime_ns / 1e9
        out["st_atime"] = st.st_atime_ns / 1e9
        return out

    def readdir(self, path, fh):
        # One round trip for the listing, with each entry's type (d_type), as Lustre, GPFS and
        # NFS (READDIRPLUS) give it: a walk can tell directories from files without a stat.
        self._wait()
        out = [".", ".."]
        with os.scandir(self._full(path)) as it:
            for e in it:
                out.append((e.name, {"st_mode": e.stat(follow_symlinks=False).st_mode}, 0))
        return out

    def readlink(self, path):
        self._wait()
        return os.readlink(self._full(path))

    def statfs(self, path):
        self._wait()
        sv = os.statvfs(self._full(path))
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree", "f_files", "f_flag", "f_frsize", "f_namemax")
        return {k: getattr(sv, k) for k in keys}

    def open(self, path, flags):
        self._wait()
        return os.open(self._full(path), flags)

    def release(self, path, fh):
        return os.close(fh)

    # Data: as fast as the disk below.
    def read(self, path, size, offset, fh):
        return os.pread(fh, size, offset)


if __name__ == "__main__":
    root, mountpoint, delay_ms = sys.argv[1], sys.argv[2], float(sys.argv[3])
    FUSE(
        LatencyPassthrough(root, delay_ms / 1000),
        mountpoint,
        foreground=True,
        nothreads=False,
        ro=True,
        allow_other=True,
        # The kernel keeps names and attributes for 1 s (FUSE's default), as a Lustre or NFS
        # client keeps them for a while: a second look at a file soon after is no round trip.
    )
