/**
 * Temporary names: each entry is written under `.<name>.<random>.qqsync` next to its target
 * and renamed onto it, so no half-written file ever stands under a final name (rsync's
 * `.<name>.XXXXXX`). A directory that this copy makes is made under such a name too, filled,
 * and renamed onto its final name when it is complete (walk.ts): one rename for the directory
 * instead of one per file in it. The live ones are known, so that a cancelled run can remove
 * the files and put the directories in place.
 */
import { renameSync, rmSync } from 'node:fs';
import type { FsPath } from './paths.js';

/** Longest file name (bytes) on Linux file systems. */
const NAME_MAX = 255;
const SLASH = 0x2f;
const DOT = Buffer.from('.');

/** Random per process, then counted: unique without a random draw per file. */
let nextId: number | undefined;

/** The temporary name for `target` (bytes): the stem is cut so that the whole fits NAME_MAX. */
export function tempName(target: FsPath): FsPath {
  // node:crypto on first use: it is some 50 internal modules that a run without a copy skips.
  nextId ??= process.getBuiltinModule('node:crypto').randomBytes(4).readUInt32BE(0);
  nextId = (nextId + 1) >>> 0;
  const suffix = `.${nextId.toString(16).padStart(8, '0')}.qqsync`;
  const room = NAME_MAX - 1 - suffix.length;
  if (typeof target === 'string') {
    // ASCII (paths.ts): a char is a byte.
    const cut = target.lastIndexOf('/');
    return `${target.slice(0, cut + 1)}.${target.slice(cut + 1, cut + 1 + room)}${suffix}`;
  }
  const cut = target.lastIndexOf(SLASH);
  const stem = target.subarray(cut + 1, cut + 1 + room);
  return Buffer.concat([target.subarray(0, cut + 1), DOT, stem, Buffer.from(suffix)]);
}

/**
 * The temporary files being written now. A cancelled run that cannot wait for a copy to end
 * (a large file, in the thread pool, cannot be interrupted) removes them on its way out.
 */
export const liveTemps = new Set<FsPath>();

/**
 * The directories being filled under a temporary name now, each with its final name. What is
 * in them is whole (a file is written in them only by a synchronous copy, which a cancel
 * cannot cut, or under a temporary name of its own, in `liveTemps`).
 */
export const liveDirs = new Map<FsPath, FsPath>();

/**
 * Remove the temporary files of the copies still running, then put the directories being
 * filled onto their final names, with what they hold (synchronously: the process exits next).
 * The files removed.
 */
export function removeTempFilesNow(): number {
  let removed = 0;
  for (const tmp of liveTemps) {
    try {
      rmSync(tmp, { force: true });
      removed++;
    } catch {}
  }
  liveTemps.clear();
  // Innermost first (the map is in the order they were made): an outer one is renamed with
  // whatever is inside it, so the inner ones must be in place in it before.
  for (const [tmp, final] of [...liveDirs].reverse()) {
    try {
      renameSync(tmp, final);
    } catch {}
  }
  liveDirs.clear();
  return removed;
}
