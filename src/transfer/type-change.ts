/**
 * A name that changes type: the destination has a file (or symlink) where the job now has a
 * directory. rsync -rltD (with or without --update) deletes the file to make room; qq-sync
 * keeps a destination file that is newer than the job's directory (overwrite: newer) and
 * refuses that one entry, fetching the rest, then failing the job with what to do.
 *
 * The built-in copier decides this as it walks. rsync is run with `--backup
 * --backup-dir=<DISPLACED_DIR>` (only for overwrite: newer): an entry rsync replaces or
 * deletes to make room is then moved there (a rename within the destination) instead of
 * being unlinked. After the run, `settleDisplaced` looks at what was moved (nothing, on a
 * re-sync with nothing new: the directory is made only when needed): an older version of a
 * file rsync updated is removed (what rsync does without --backup); a file or symlink that
 * made room for a directory is put back when it is newer than the directory (or when the run
 * failed, since the directory's time is then not the job's), the directory that this run
 * made in its place removed — and reported.
 */
import type { Stats } from 'node:fs';
import { lstat, readdir, rename, rm, rmdir } from 'node:fs/promises';
import * as path from 'node:path';
import { displayPath } from './path-filter.js';

/** Where rsync moves what it replaces, relative to the destination. */
export const DISPLACED_DIR = '.qq-sync-displaced';

/** rsync's extra arguments: only where something could be refused. */
export function displacedArgs(overwrite: 'newer' | 'always', dryRun: boolean): string[] {
  return overwrite === 'newer' && !dryRun ? ['--backup', `--backup-dir=${DISPLACED_DIR}`] : [];
}

/** Whole seconds, as rsync compares modification times. */
export function mtimeSec(st: Stats): number {
  return Math.floor(st.mtimeMs / 1000);
}

/** Whether a destination entry `dst` is newer than the job's directory `srcDir`. */
export function keptOverDirectory(dst: Stats, srcDir: Stats): boolean {
  return mtimeSec(dst) > mtimeSec(srcDir);
}

/** The message for one refused entry (rel: a byte string). */
export function refusedLine(rel: string, dst: Stats): string {
  const kind = dst.isSymbolicLink() ? 'symlink' : 'file';
  return `'${displayPath(rel)}' in the destination is a ${kind} newer than the job's directory '${displayPath(rel)}/': kept, and that directory not fetched (rename or remove the ${kind} to fetch it, or use overwrite: always)`;
}

/**
 * Settle what rsync moved into DISPLACED_DIR (see above); the refused entries' lines. Names
 * are Buffers throughout: a non-UTF-8 name is put back exactly. Also after an overwrite:
 * always run (`refuse` false: the job's copy wins), for what a killed run left there. Where
 * nothing was moved aside this is one failed readdir.
 */
export async function settleDisplaced(
  destination: string,
  how: { runFailed: boolean; refuse: boolean },
): Promise<string[]> {
  const { runFailed, refuse } = how;
  const root = Buffer.from(path.join(destination, DISPLACED_DIR));
  const refused: string[] = [];
  const visit = async (rel: Buffer): Promise<void> => {
    const here = rel.length ? Buffer.concat([root, Buffer.from('/'), rel]) : root;
    let names: Buffer[];
    try {
      names = await readdir(here, { encoding: 'buffer' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const name of names) {
      const r = rel.length ? Buffer.concat([rel, Buffer.from('/'), name]) : name;
      const moved = Buffer.concat([root, Buffer.from('/'), r]);
      const st = await lstat(moved);
      if (st.isDirectory()) {
        await visit(r);
        continue;
      }
      const original = Buffer.concat([Buffer.from(`${destination}/`), r]);
      const now = await lstat(original).catch(() => undefined);
      if (!now) {
        await rename(moved, original); // rsync stopped between the move and its replacement
      } else if (now.isDirectory() && refuse && (runFailed || keptOverDirectory(st, now))) {
        // The directory was made by this run in the file's place: only the job's files are in it.
        await rm(original, { recursive: true, force: true });
        await rename(moved, original);
        if (!runFailed) refused.push(refusedLine(r.toString('latin1'), st));
      } else {
        await rm(moved, { force: true }); // replaced, as rsync replaces it without --backup
      }
    }
    await rmdir(here);
  };
  await visit(Buffer.alloc(0));
  return refused;
}
