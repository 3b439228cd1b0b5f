/**
 * One regular file, copied consistently: written, then under its final name only when the
 * source did not change while it was read (same size, mtime, ctime and inode before and
 * after). A file that keeps changing is tried ATTEMPTS times and then reported, never left
 * torn under its final name; the bytes counted are those written.
 *
 * A file up to BUFFERED_UP_TO is read through its open descriptor (copyBuffered): the check
 * after the read is an fstat of that descriptor, not a second lstat by path. That is the same
 * guarantee: the bytes written are the ones that descriptor read, so it is that file's
 * version that must be unchanged (a write through any name changes its size, mtime or ctime);
 * another file renamed onto the path meanwhile is the next run's business, as with rsync, which
 * also reads through the descriptor it opened. It is written under a temporary name and
 * renamed, or, in a directory that is itself under a temporary name (walk.ts), under its own
 * name: nothing is under its final path before the directory is renamed onto it, and that
 * happens after the file was checked (or removed). Measured on tmpfs (20,000 files of 1 KiB,
 * Node 24): 9 system calls a file instead of copyFile's 12 and a utimes, an lstat and a rename
 * by path.
 *
 * Those calls are synchronous: on a local disk each is a few µs, where the asynchronous ones
 * cost several times that in main-thread time (measured on tmpfs: the whole copier took 2.3×
 * longer with fs/promises at 16 at once). A larger file goes by copyFile (the kernel's
 * copy_file_range, or a reflink) to a temporary name; from PIECEWISE_FROM on, piece by piece,
 * asynchronously, with a look at the cancel between pieces.
 */
import type { Hash } from 'node:crypto';
import type { Stats } from 'node:fs';
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fstatSync,
  futimesSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { copyFile, open, rm } from 'node:fs/promises';
import { QQError } from '../../domain/errors.js';
import { fsTime } from '../../util/times.js';
import type { FsPath } from './paths.js';
import { liveTemps, tempName } from './temp-files.js';

/** Tries for a file that changes while it is read (rsync also gives a file a second go). */
export const ATTEMPTS = 3;

/** Up to this size, read through the descriptor into one buffer (copyBuffered). */
export const BUFFERED_UP_TO = 128 * 1024;

/** From this size on, piece by piece (a copyFile cannot be interrupted by a cancel). */
export const PIECEWISE_FROM = 16 * 1024 * 1024;
const PIECE = 2 * 1024 * 1024;

/**
 * A source file is opened never through a symlink (one that took the file's place since it
 * was listed fails with ELOOP) and without waiting (a FIFO that took its place would block the
 * open; a regular file ignores O_NONBLOCK).
 */
const SOURCE_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** A target is always a new name: nothing there is written through (not even a symlink). */
const TARGET_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

export type FileCopy =
  | { ok: true; written: number; st: Stats; sha256?: string }
  | { ok: false; why: 'changed' | 'vanished' };

/** A source file open for reading, and what fstat saw of it. */
export interface OpenSource {
  fd: number;
  st: Stats;
}

/** Open `src` for copyBuffered (it throws what open throws: ELOOP for a symlink). */
export function openSource(src: FsPath): OpenSource {
  const fd = openSync(src, SOURCE_FLAGS);
  try {
    return { fd, st: fstatSync(fd) };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/**
 * `src`, a regular file when it was looked at, open for copyBuffered; 'vanished' when it is
 * something else now (a symlink or FIFO took its place). Other errors are thrown.
 */
export function openRegularOrVanished(src: FsPath): OpenSource | 'vanished' {
  let from: OpenSource;
  try {
    from = openSource(src);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') return 'vanished';
    throw e;
  }
  if (from.st.isFile()) return from;
  closeSync(from.fd);
  return 'vanished';
}

/** `src` open for reading when it is a regular file now and can be opened; else undefined. */
export function openIfRegular(src: FsPath): OpenSource | undefined {
  try {
    const from = openRegularOrVanished(src);
    return from === 'vanished' ? undefined : from;
  } catch {
    return undefined;
  }
}

/** Whether `a` and `b` are the same version of a file (any write changes ctime). */
function sameVersion(a: Stats, b: Stats): boolean {
  return (
    b.isFile() &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs &&
    a.ino === b.ino
  );
}

/** After a copy into `tmp`: rename it onto `dst` if the source is unchanged; else what next. */
function settle(src: FsPath, tmp: FsPath, dst: FsPath, seen: Stats): Stats | 'renamed' | FileCopy {
  const after = lstatSync(src, { throwIfNoEntry: false });
  if (after && sameVersion(seen, after)) {
    // rename replaces a symlink at `dst` itself: nothing is written through it.
    renameSync(tmp, dst);
    return 'renamed';
  }
  rmSync(tmp, { force: true });
  return after?.isFile() ? after : { ok: false, why: 'vanished' };
}

/** Read up to `size` bytes of `from` into `to`, through `buf`; the bytes copied. */
function copyChunks(from: number, to: number, size: number, buf: Buffer): number {
  let pos = 0;
  while (pos < size) {
    const n = readSync(from, buf, 0, Math.min(buf.length, size - pos), pos);
    if (n === 0) break; // shrunk meanwhile: the check after sees it
    for (let done = 0; done < n; ) done += writeSync(to, buf, done, n - done, pos + done);
    pos += n;
  }
  return pos;
}

let buffer: Buffer | undefined;

/**
 * Copy the open source `from` (closed here) onto `dst` with bits `mode` (made under `umask`)
 * and the source's times. `direct`: `dst` is in a directory under a temporary name, so it is
 * written under its own name (and removed if the read was not consistent).
 */
export function copyBuffered(
  from: OpenSource,
  dst: FsPath,
  mode: number,
  umask: number,
  direct: boolean,
): FileCopy {
  buffer ??= Buffer.allocUnsafe(BUFFERED_UP_TO);
  const buf = buffer;
  let seen = from.st;
  try {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const target = direct ? dst : tempName(dst);
      const to = openSync(target, TARGET_FLAGS, mode);
      let written: number;
      try {
        // open's bits are masked by the umask; a replaced file keeps its own bits whatever it is.
        if ((mode & umask) !== 0) fchmodSync(to, mode);
        written = copyChunks(from.fd, to, seen.size, buf);
        futimesSync(to, fsTime(seen.atimeMs), fsTime(seen.mtimeMs));
        closeSync(to);
      } catch (e) {
        try {
          closeSync(to);
        } catch {}
        rmSync(target, { force: true });
        throw e;
      }
      const after = fstatSync(from.fd);
      if (written === seen.size && sameVersion(seen, after)) {
        if (!direct) renameOrRemove(target, dst);
        return { ok: true, written, st: seen };
      }
      unlinkSync(target);
      seen = after;
    }
    return { ok: false, why: 'changed' };
  } finally {
    closeSync(from.fd);
  }
}

/** rename, or remove `tmp` when it fails. */
function renameOrRemove(tmp: FsPath, dst: FsPath): void {
  try {
    // rename replaces a symlink at `dst` itself: nothing is written through it.
    renameSync(tmp, dst);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Copy a file `src` (seen as `st`) by copyFile onto `dst` with bits `mode` and the source's
 * times (a file larger than BUFFERED_UP_TO: the kernel copies it without passing it through
 * this process).
 */
export function copyByKernel(src: FsPath, dst: FsPath, st: Stats, mode: number): FileCopy {
  let seen = st;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const tmp = tempName(dst);
    try {
      copyFileSync(src, tmp, constants.COPYFILE_FICLONE);
      // copyFile gives the source's bits, whatever the umask: rsync's are wanted.
      if (mode !== (seen.mode & 0o7777)) chmodSync(tmp, mode);
      utimesSync(tmp, fsTime(seen.atimeMs), fsTime(seen.mtimeMs));
      const next = settle(src, tmp, dst, seen);
      if (next === 'renamed') return { ok: true, written: seen.size, st: seen };
      if ('ok' in next) return next;
      seen = next;
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }
  return { ok: false, why: 'changed' };
}

/**
 * Copy at most `size` bytes piece by piece; the bytes written. With `hash`, each piece is
 * hashed as it passes (the manifest's checksum from the one read).
 */
async function copyPieces(
  src: FsPath,
  tmp: FsPath,
  size: number,
  signal?: AbortSignal,
  hash?: Hash,
) {
  // A reflink (btrfs, XFS) is instant: no pieces needed (unless they are hashed). Elsewhere it
  // fails at once.
  const cloned =
    !hash &&
    (await copyFile(src, tmp, constants.COPYFILE_FICLONE_FORCE).then(
      () => true,
      () => false,
    ));
  if (cloned) return size;
  const from = await open(src, 'r');
  let pos = 0;
  try {
    const to = await open(tmp, 'wx', 0o600);
    try {
      const buf = Buffer.allocUnsafe(PIECE);
      // Up to the size seen before: a file that grows meanwhile is caught by the check after.
      while (pos < size) {
        if (signal?.aborted) throw new QQError('aborted');
        const { bytesRead } = await from.read(buf, 0, Math.min(PIECE, size - pos), pos);
        if (bytesRead === 0) break; // shrunk meanwhile: the check after sees it
        hash?.update(buf.subarray(0, bytesRead));
        for (let done = 0; done < bytesRead; ) {
          done += (await to.write(buf, done, bytesRead - done, pos + done)).bytesWritten;
        }
        pos += bytesRead;
      }
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
  return pos;
}

/**
 * Copy a large file as copyByKernel does, piece by piece; with `sha256`, also the SHA-256 of what
 * was written (any file: the manifest's checksums cost no second read).
 */
export async function copyLarge(
  src: FsPath,
  dst: FsPath,
  st: Stats,
  mode: number,
  signal?: AbortSignal,
  sha256?: boolean,
): Promise<FileCopy> {
  let seen = st;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const tmp = tempName(dst);
    // node:crypto on first use: a run without checksums never loads it.
    const hash = sha256 ? process.getBuiltinModule('node:crypto').createHash('sha256') : undefined;
    // A cancelled run that cannot wait for this copy to end removes it on its way out.
    liveTemps.add(tmp);
    try {
      const written = await copyPieces(src, tmp, seen.size, signal, hash);
      chmodSync(tmp, mode);
      utimesSync(tmp, fsTime(seen.atimeMs), fsTime(seen.mtimeMs));
      const next = settle(src, tmp, dst, seen);
      if (next === 'renamed') {
        return { ok: true, written, st: seen, ...(hash ? { sha256: hash.digest('hex') } : {}) };
      }
      if ('ok' in next) return next;
      seen = next;
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    } finally {
      liveTemps.delete(tmp);
    }
  }
  return { ok: false, why: 'changed' };
}
