/**
 * One regular file, copied consistently: to a temporary name, then renamed onto its target,
 * but only when the source did not change while it was read (same size, mtime, ctime and
 * inode before and after). A file that keeps changing is tried ATTEMPTS times and then
 * reported, never left torn under its final name; the bytes counted are those written.
 *
 * A small file is copied with synchronous calls: on a local disk each is a few µs, where
 * the asynchronous ones cost several times that in main-thread time (measured on tmpfs: the
 * whole copier took 2.3× longer with fs/promises at 16 at once). A large file is copied piece
 * by piece, asynchronously, with a look at the cancel between pieces.
 */
import type { Hash } from 'node:crypto';
import type { Stats } from 'node:fs';
import {
  chmodSync,
  constants,
  copyFileSync,
  lstatSync,
  renameSync,
  rmSync,
  utimesSync,
} from 'node:fs';
import { copyFile, open, rm } from 'node:fs/promises';
import { QQError } from '../../domain/errors.js';
import { liveTemps, tempName } from './temp-files.js';

/** Tries for a file that changes while it is read (rsync also gives a file a second go). */
export const ATTEMPTS = 3;

/** From this size on, piece by piece (a copyFile cannot be interrupted by a cancel). */
export const PIECEWISE_FROM = 16 * 1024 * 1024;
const PIECE = 2 * 1024 * 1024;

export type FileCopy =
  | { ok: true; written: number; st: Stats; sha256?: string }
  | { ok: false; why: 'changed' | 'vanished' };

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
function settle(src: Buffer, tmp: Buffer, dst: Buffer, seen: Stats): Stats | 'renamed' | FileCopy {
  const after = lstatSync(src, { throwIfNoEntry: false });
  if (after && sameVersion(seen, after)) {
    // rename replaces a symlink at `dst` itself: nothing is written through it.
    renameSync(tmp, dst);
    return 'renamed';
  }
  rmSync(tmp, { force: true });
  return after?.isFile() ? after : { ok: false, why: 'vanished' };
}

/** Copy a small file `src` (seen as `st`) onto `dst` with bits `mode` and the source's times. */
export function copySmall(src: Buffer, dst: Buffer, st: Stats, mode: number): FileCopy {
  let seen = st;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const tmp = tempName(dst);
    try {
      copyFileSync(src, tmp, constants.COPYFILE_FICLONE);
      // copyFile gives the source's bits, whatever the umask: rsync's are wanted.
      if (mode !== (seen.mode & 0o7777)) chmodSync(tmp, mode);
      utimesSync(tmp, seen.atimeMs / 1000, seen.mtimeMs / 1000);
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
  src: Buffer,
  tmp: Buffer,
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
 * Copy a large file as copySmall does, piece by piece; with `sha256`, also the SHA-256 of what
 * was written (any file: the manifest's checksums cost no second read).
 */
export async function copyLarge(
  src: Buffer,
  dst: Buffer,
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
      utimesSync(tmp, seen.atimeMs / 1000, seen.mtimeMs / 1000);
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
