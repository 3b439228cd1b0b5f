/**
 * The temporary files of a killed run, removed by the next run into the same destination —
 * only by the run that took over the killed run's lock (take-over.ts): then it is known that a run
 * died mid-transfer, when it started, and when it was found dead.
 *
 * What is removed, and nothing else: regular files (not symlinks, not directories) whose name
 * is exactly rsync's temporary name `.<name>.XXXXXX` (mkstemp's 6 letters or digits, with at
 * least one capital or digit: an all-lower-case suffix is more likely a real extension such as
 * `.sqlite`, and such a leftover is only left), or the copier's `.<name>.<8 hex digits>.qqsync`,
 * and whose ctime lies between the killed run's start and the takeover; and directories of the
 * copier's form in that window, with what is in them (a new directory that the copier fills
 * under a temporary name, copier/walk.ts). Nothing but the killed
 * run wrote into the destination in that window (it held the lock), and ctime cannot be set
 * back: a user's file of such a name from before is kept, and so is anything a later run
 * writes, even while this one looks. The transfer that follows fetches the job's files again,
 * so a file of the job with such a name that the killed run had written whole is fetched anew.
 * A name like `.qq-sync.lock` is the job's or the user's: the lock lives outside (index.ts).
 *
 * Names are byte strings (latin1), so non-UTF-8 names are matched and removed exactly.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, rm, unlink } from 'node:fs/promises';
import { displayPath } from '../path-filter.js';

/** rsync's temporary name for `<name>`: `.<name>.XXXXXX` (mkstemp's 6 letters or digits). */
const RSYNC_TEMP = /^\.(.+)\.([A-Za-z0-9]{6})$/s;
const COPIER_TEMP = /^\.[^/]+\.[0-9a-f]{8}\.qqsync$/s;

/** The final name whose rsync temporary file `name` has the form of, or undefined. */
export function rsyncTempTarget(name: string): string | undefined {
  return RSYNC_TEMP.exec(name)?.[1];
}

/**
 * True for a name of a temporary file of rsync (with a capital or digit in its suffix: see
 * above) or of the copier.
 */
export function isTempName(name: string): boolean {
  const suffix = RSYNC_TEMP.exec(name)?.[2];
  return (suffix !== undefined && /[A-Z0-9]/.test(suffix)) || COPIER_TEMP.test(name);
}

const bytes = (p: string) => Buffer.from(p, 'latin1');

function within(ms: number, window: { since: number; until: number }): boolean {
  return ms >= window.since && ms <= window.until;
}

/** A directory (not a symlink to one) whose ctime lies in `window`. */
async function changedWithin(dir: string, window: { since: number; until: number }) {
  const st = await lstat(bytes(dir)).catch(() => undefined);
  return st?.isDirectory() === true && within(st.ctimeMs, window);
}

/**
 * Remove the leftovers under `destination` changed from `since` to `until` (ms since the
 * epoch); tell `onMessage` what was removed. Never throws: what cannot be read or removed is left.
 */
export async function removeLeftovers(
  destination: string,
  window: { since: number; until: number },
  onMessage?: (text: string) => void,
  /** A top-level directory left out (the killed run's backup, kept: type-change.ts). */
  skip?: string,
): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries: Dirent<Buffer>[];
    try {
      entries = await readdir(bytes(dir), { withFileTypes: true, encoding: 'buffer' });
    } catch {
      return;
    }
    for (const e of entries) {
      const name = e.name.toString('latin1');
      const full = `${dir}/${name}`;
      const relName = rel ? `${rel}/${name}` : name;
      if (e.isDirectory()) {
        if (rel === '' && name === skip) {
          // What rsync moved there has ctimes of the killed run: not temporaries.
        } else if (COPIER_TEMP.test(name) && (await changedWithin(full, window))) {
          try {
            await rm(bytes(full), { recursive: true });
            removed.push(relName);
          } catch {}
        } else {
          await walk(full, relName);
        }
        continue;
      }
      if (!e.isFile() || !isTempName(name)) continue;
      const st = await lstat(bytes(full)).catch(() => undefined);
      if (!st?.isFile() || !within(st.ctimeMs, window)) continue;
      try {
        await unlink(bytes(full));
        removed.push(relName);
      } catch {}
    }
  };
  await walk(Buffer.from(destination).toString('latin1'), '');
  if (removed.length > 0) {
    const shown = removed.slice(0, 10).map(displayPath).join(', ');
    onMessage?.(
      `Removed ${removed.length} temporary file(s) a killed run left in the destination: ${shown}${removed.length > 10 ? ', …' : ''}.`,
    );
  }
  return removed;
}
