/**
 * The walk of the source tree, depth first, directory by directory (each sorted by bytes,
 * as rsync sorts): memory holds the listings of the directories on the current path, never
 * the whole tree. A directory is made (or checked) in the destination before anything in it
 * is copied, and gets its time (and, if new, its permission bits) after its contents, as
 * rsync sets them.
 *
 * A directory this copy makes is made under a temporary name (temp-files.ts), filled, and
 * renamed onto its final name when it is complete: what is in it then needs no temporary name
 * and rename of its own (copy-file.ts), one rename instead of one per entry (on tmpfs, 20,000
 * files of 1 KiB: a quarter of the copy's time). Only the outermost new directory has such a
 * name; those in it are made under their own. What a final path shows is thus always whole; a
 * new directory appears with its contents at once (rsync shows it while it fills). A copy that
 * stops (an error, a cancel) puts it in place with what it holds so far, as rsync leaves what
 * it copied; after a kill the next run removes it (leftovers.ts) and copies it again.
 *
 * The work is synchronous calls (see copy-file.ts); every few milliseconds
 * the walk gives the event loop a turn, so that a cancel, a timeout and progress lines are
 * seen.
 */
import type { Dirent, Stats } from 'node:fs';
import { chmodSync, lstatSync, readdirSync, renameSync, rmdirSync, utimesSync } from 'node:fs';
import { fsTime } from '../../util/times.js';
import type { PathFilter } from '../path-filter.js';
import { type FsPath, joinBytes } from './paths.js';
import { isSourceError, type Problems } from './problems.js';
import { liveDirs } from './temp-files.js';

export interface DirNode {
  src: FsPath;
  /** Where it is written now: its final path, or a temporary name (then `landing` is set). */
  dst: FsPath;
  /** The final path, when `dst` is a temporary name to be renamed onto it once complete. */
  landing?: FsPath;
  /** It or a directory above it is under a temporary name: entries go under their own names. */
  unseen: boolean;
  /** Relative path as a byte string ('' for the root). */
  rel: string;
  /** Made by this copy (or, in a dry run, would be): nothing in it needs a look. */
  fresh: boolean;
  /** The permission bits to give a new directory when it is finished. */
  mode?: number;
  /** Its times, as fs.utimes takes them (util/times.ts: before 1970 too). */
  atime: number | Date;
  mtime: number | Date;
  /** Something not a directory was selected in it or below (what --prune-empty-dirs keeps). */
  kept: boolean;
}

/** One non-directory entry to copy. */
export interface Item {
  dir: DirNode;
  /** A byte string (readdir's latin1). */
  name: string;
  rel: string;
  /** Listed as a regular file (its type from the directory listing, not yet looked at). */
  regular: boolean;
}

export interface WalkHooks {
  filter: PathFilter;
  dryRun: boolean;
  problems: Problems;
  /** Make or check the destination directory; undefined: not entered. */
  enterDir(rel: string, dst: FsPath, st: Stats, parent: DirNode): DirMade | undefined;
  /** Copy one entry (a promise only when it has to wait: a large file, a FIFO). */
  entry(item: Item): Promise<void> | undefined;
  /** A promise when it is time to give the event loop a turn (it throws if cancelled). */
  breathe(): Promise<void> | undefined;
}

export interface DirMade {
  fresh: boolean;
  mode?: number;
  /** Made in a directory under a temporary name, or under one itself (`at`). */
  unseen?: boolean;
  /** The temporary name it was made under, to be renamed onto its path when complete. */
  at?: FsPath;
}

/** Byte order: names are byte strings, one char per byte. */
function byBytes(a: Dirent<string>, b: Dirent<string>): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function dirNode(src: FsPath, dst: FsPath, rel: string, st: Stats, made: DirMade): DirNode {
  return {
    src,
    dst: made.at ?? dst,
    ...(made.at ? { landing: dst } : {}),
    unseen: made.unseen ?? false,
    rel,
    fresh: made.fresh,
    mode: made.mode,
    atime: fsTime(st.atimeMs),
    mtime: fsTime(st.mtimeMs),
    kept: false,
  };
}

/** Copy what is in `dir` (and below), then give `dir` its bits and times. */
export async function walk(dir: DirNode, hooks: WalkHooks): Promise<void> {
  try {
    await walkEntries(dir, hooks);
  } catch (e) {
    // Stopped: what it holds is whole (copy-file.ts), so it goes in place as it is.
    if (dir.landing) {
      try {
        land(dir.dst, dir.landing);
      } catch {}
    }
    throw e;
  }
  if (hooks.filter.pruneEmptyDirs && !dir.kept && dir.rel !== '') {
    // rsync -m: a directory with nothing but (pruned) directories in it is not in the
    // transfer at all: one made for it is removed, one already there is left as it is.
    if (dir.fresh && !hooks.dryRun) {
      rmdirSync(dir.dst);
      liveDirs.delete(dir.dst);
    }
    return;
  }
  if (!hooks.dryRun) {
    const at = dir.landing ?? dir.dst;
    if (dir.landing) land(dir.dst, dir.landing);
    // A new directory was made writable for this copy (modes.ts): now its own bits.
    if (dir.mode !== undefined && (dir.mode & 0o700) !== 0o700) chmodSync(at, dir.mode);
    utimesSync(at, dir.atime, dir.mtime);
  }
}

/** Rename a complete directory from its temporary name onto its final path. */
function land(tmp: FsPath, final: FsPath): void {
  renameSync(tmp, final);
  liveDirs.delete(tmp);
}

async function walkEntries(dir: DirNode, hooks: WalkHooks): Promise<void> {
  let entries: Dirent<string>[] = [];
  try {
    // latin1: each name as a byte string, byte for byte (paths.ts), with no Buffer per name.
    entries = readdirSync(dir.src, { withFileTypes: true, encoding: 'latin1' });
  } catch (e) {
    if (!isSourceError(e)) throw e;
    hooks.problems.source('opendir', dir.src, e);
  }
  entries.sort(byBytes);
  for (const entry of entries) {
    const pause = hooks.breathe();
    if (pause) await pause;
    const name = entry.name;
    const rel = dir.rel ? `${dir.rel}/${name}` : name;
    let st: Stats | undefined;
    let isDir = entry.isDirectory();
    if (!isDir && !entry.isFile() && !entry.isSymbolicLink()) {
      // A file system that gives no types (DT_UNKNOWN), or a special file: look.
      st = lstatSync(joinBytes(dir.src, name), { throwIfNoEntry: false });
      isDir = st?.isDirectory() ?? false;
    }
    if (hooks.filter.excludes(rel, isDir)) continue;
    if (!isDir) {
      dir.kept = true;
      const copying = hooks.entry({ dir, name, rel, regular: entry.isFile() });
      if (copying) await copying;
      continue;
    }
    const child = enter(dir, name, rel, st, hooks);
    if (child) {
      await walk(child, hooks);
      if (child.kept) dir.kept = true;
    }
  }
}

function enter(
  parent: DirNode,
  name: string,
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
