/**
 * The walk of the source tree, depth first, directory by directory (each sorted by bytes,
 * as rsync sorts): memory holds the listings of the directories on the current path, never
 * the whole tree. A directory is made (or checked) in the destination before anything in it
 * is copied, and gets its time (and, if new, its permission bits) after its contents, as
 * rsync sets them. The work is synchronous calls (see copy-file.ts); every few milliseconds
 * the walk gives the event loop a turn, so that a cancel, a timeout and progress lines are
 * seen.
 */
import type { Dirent, Stats } from 'node:fs';
import { chmodSync, lstatSync, readdirSync, utimesSync } from 'node:fs';
import type { PathFilter } from '../path-filter.js';
import { joinBytes } from './paths.js';
import { isSourceError, type Problems } from './problems.js';

export interface DirNode {
  src: Buffer;
  dst: Buffer;
  /** Relative path as a byte string ('' for the root). */
  rel: string;
  /** Made by this copy (or, in a dry run, would be): nothing in it needs a look. */
  fresh: boolean;
  /** The permission bits to give a new directory when it is finished. */
  mode?: number;
  atimeSec: number;
  mtimeSec: number;
}

/** One non-directory entry to copy. */
export interface Item {
  dir: DirNode;
  name: Buffer;
  rel: string;
}

export interface WalkHooks {
  filter: PathFilter;
  dryRun: boolean;
  problems: Problems;
  /** Make or check the destination directory; undefined: not entered. */
  enterDir(rel: string, dst: Buffer, st: Stats, parent: DirNode): DirMade | undefined;
  /** Copy one entry (a promise only when it has to wait: a large file, a FIFO). */
  entry(item: Item): Promise<void> | undefined;
  /** A promise when it is time to give the event loop a turn (it throws if cancelled). */
  breathe(): Promise<void> | undefined;
}

export interface DirMade {
  fresh: boolean;
  mode?: number;
}

function byBytes(a: Dirent<Buffer>, b: Dirent<Buffer>): number {
  return Buffer.compare(a.name, b.name);
}

export function dirNode(src: Buffer, dst: Buffer, rel: string, st: Stats, made: DirMade): DirNode {
  return {
    src,
    dst,
    rel,
    fresh: made.fresh,
    mode: made.mode,
    atimeSec: st.atimeMs / 1000,
    mtimeSec: st.mtimeMs / 1000,
  };
}

/** Copy what is in `dir` (and below), then give `dir` its bits and times. */
export async function walk(dir: DirNode, hooks: WalkHooks): Promise<void> {
  let entries: Dirent<Buffer>[] = [];
  try {
    entries = readdirSync(dir.src, { withFileTypes: true, encoding: 'buffer' });
  } catch (e) {
    if (!isSourceError(e)) throw e;
    hooks.problems.source('opendir', dir.src, e);
  }
  entries.sort(byBytes);
  for (const entry of entries) {
    const pause = hooks.breathe();
    if (pause) await pause;
    const name = entry.name;
    const rel = dir.rel ? `${dir.rel}/${name.toString('latin1')}` : name.toString('latin1');
    let st: Stats | undefined;
    let isDir = entry.isDirectory();
    if (!isDir && !entry.isFile() && !entry.isSymbolicLink()) {
      // A file system that gives no types (DT_UNKNOWN), or a special file: look.
      st = lstatSync(joinBytes(dir.src, name), { throwIfNoEntry: false });
      isDir = st?.isDirectory() ?? false;
    }
    if (hooks.filter.excludes(rel, isDir)) continue;
    if (!isDir) {
      const copying = hooks.entry({ dir, name, rel });
      if (copying) await copying;
      continue;
    }
    const child = enter(dir, name, rel, st, hooks);
    if (child) await walk(child, hooks);
  }
  if (!hooks.dryRun) {
    // A new directory was made writable for this copy (modes.ts): now its own bits.
    if (dir.mode !== undefined && (dir.mode & 0o700) !== 0o700) chmodSync(dir.dst, dir.mode);
    utimesSync(dir.dst, dir.atimeSec, dir.mtimeSec);
  }
}

function enter(
  parent: DirNode,
  name: Buffer,
  rel: string,
  known: Stats | undefined,
  hooks: WalkHooks,
) {
  const src = joinBytes(parent.src, name);
  let st = known;
  try {
    st ??= lstatSync(src);
  } catch (e) {
    if (!isSourceError(e)) throw e;
    hooks.problems.source('lstat', src, e);
    return undefined;
  }
  const dst = joinBytes(parent.dst, name);
  const made = hooks.enterDir(rel, dst, st, parent);
  return made ? dirNode(src, dst, rel, st, made) : undefined;
}
