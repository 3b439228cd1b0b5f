/**
 * Temporary names: each entry is written under `.<name>.<random>.qqsync` next to its target
 * and renamed onto it, so no half-written file ever stands under a final name (rsync's
 * `.<name>.XXXXXX`). The live ones are known, so that a cancelled run can remove them.
 */
import { rmSync } from 'node:fs';

/** Longest file name (bytes) on Linux file systems. */
const NAME_MAX = 255;
const SLASH = 0x2f;

/** The temporary name for `target` (bytes): the stem is cut so that the whole fits NAME_MAX. */
export function tempName(target: Buffer): Buffer {
  const cut = target.lastIndexOf(SLASH);
  const dir = target.subarray(0, cut + 1);
  // node:crypto on first use: it is some 50 internal modules that a run without a copy skips.
  const hex = process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex');
  const suffix = Buffer.from(`.${hex}.qqsync`);
  const room = NAME_MAX - 1 - suffix.length;
  const stem = target.subarray(cut + 1, cut + 1 + room);
  return Buffer.concat([dir, Buffer.from('.'), stem, suffix]);
}

/**
 * The temporary files being written now. A cancelled run that cannot wait for a copy to end
 * (a large file, in the thread pool, cannot be interrupted) removes them on its way out.
 */
export const liveTemps = new Set<Buffer>();

/** Remove the temporary files of the copies still running (synchronously: the process exits next). */
export function removeTempFilesNow(): number {
  let removed = 0;
  for (const tmp of liveTemps) {
    try {
      rmSync(tmp, { force: true });
      removed++;
    } catch {}
  }
  liveTemps.clear();
  return removed;
}
