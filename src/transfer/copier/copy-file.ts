/**
 * One regular file, copied consistently: to a temporary name, then renamed onto its target,
 * but only when the source did not change while it was read (same size, mtime, ctime and
 * inode before and after). A file that keeps changing is tried ATTEMPTS times and then
 * reported, never left torn under its final name; the bytes counted are those written.
 */
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { chmod, copyFile, lstat, open, rename, rm, utimes } from 'node:fs/promises';
import { QQError } from '../../domain/errors.js';
import { liveTemps, tempName } from './temp-files.js';

/** Tries for a file that changes while it is read (rsync also gives a file a second go). */
export const ATTEMPTS = 3;

/**
 * Files this large are copied piece by piece, with a look at the cancel between pieces: a
 * copyFile runs in the thread pool and cannot be interrupted — nor can the process exit
 * before it ends, which for a large file is longer than the runner waits after a cancel.
 */
const PIECEWISE_FROM = 16 * 1024 * 1024;
const PIECE = 2 * 1024 * 1024;

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

/** Copy at most `size` bytes piece by piece; the bytes written. */
async function copyPiecewise(src: Buffer, tmp: Buffer, size: number, signal?: AbortSignal) {
  // A reflink (btrfs, XFS) is instant: no pieces needed. Elsewhere it fails at once.
  if (
    await copyFile(src, tmp, constants.COPYFILE_FICLONE_FORCE).then(
      () => true,
      () => false,
    )
  ) {
    return size;
  }
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

export type FileCopy =
  | { ok: true; written: number; st: Stats }
  | { ok: false; why: 'changed' | 'vanished' };

/**
 * Copy `src` (seen as `st`) onto `dst` with permission bits `mode` and the source's times.
 * Errors of the file system (no space, permission denied) are thrown as they are.
 */
export async function copyConsistent(
  src: Buffer,
  dst: Buffer,
  st: Stats,
  mode: number,
  signal?: AbortSignal,
): Promise<FileCopy> {
  let seen = st;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const tmp = tempName(dst);
    liveTemps.add(tmp);
    try {
      let written: number;
      if (seen.size >= PIECEWISE_FROM) {
        written = await copyPiecewise(src, tmp, seen.size, signal);
        await chmod(tmp, mode);
      } else {
        await copyFile(src, tmp, constants.COPYFILE_FICLONE);
        written = seen.size;
        // copyFile gives the source's bits, whatever the umask: rsync's are wanted.
        if (mode !== (seen.mode & 0o7777)) await chmod(tmp, mode);
      }
      await utimes(tmp, seen.atimeMs / 1000, seen.mtimeMs / 1000);
      const after = await lstat(src).catch(() => undefined);
      if (!after) {
        await rm(tmp, { force: true });
        return { ok: false, why: 'vanished' };
      }
      if (sameVersion(seen, after)) {
        // rename replaces a symlink at `dst` itself: nothing is written through it.
        await rename(tmp, dst);
        return { ok: true, written, st: seen };
      }
      await rm(tmp, { force: true });
      if (!after.isFile()) return { ok: false, why: 'vanished' };
      seen = after;
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    } finally {
      liveTemps.delete(tmp);
    }
  }
  return { ok: false, why: 'changed' };
}
