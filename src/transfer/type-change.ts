/**
 * A name that changes type: the destination has a file (or symlink) where the job now has a
 * directory. rsync -rltD (with or without --update) deletes the file to make room; qq-sync
 * keeps a destination file that is newer than the job's directory (overwrite: newer) and
 * refuses that one entry, fetching the rest, then failing the job with what to do.
 *
 * The built-in copier decides this as it walks. rsync is run with `--backup
 * --backup-dir=.qq-sync-displaced.<token>` (only for overwrite: newer): an entry rsync replaces
 * or deletes to make room is then moved there (a rename within the destination) instead of
 * being unlinked. After the run, `settleDisplaced` looks at what was moved: an older version
 * of a file rsync updated is removed (what rsync does without --backup); a file or symlink
 * that made room for a directory is put back when it is newer than the directory (or when the
 * run failed, since the directory's time is then not the job's), the directory that this run
 * made in its place removed — and reported.
 *
 * The backup directory is the action's own, in a namespace that is not (issue 26): its name
 * carries the lock's random token (no tree can hold or predict it), it is made by this run
 * alone (`mkdir`, never reused), it is excluded from every transfer, and only a directory whose
 * name came from a lock is ever settled — a `.qq-sync-displaced` of the job or the user is a
 * name like any other. Settling never follows a symlink: the backup directory must be the one
 * made (same device and inode), and every directory above a path it moves to or removes is
 * looked at with lstat and must be a real directory. Where that fails, nothing is moved: the
 * entry stays in the backup directory, which is renamed to a visible name and named in the
 * job's failure.
 */
import type { BigIntStats, Stats } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, rmdir, utimes } from 'node:fs/promises';
import { displayPath } from './path-filter.js';

/** The prefix of a run's backup directory; the lock's token follows. */
export const DISPLACED_PREFIX = '.qq-sync-displaced.';
/** A backup directory that could not be put back whole is renamed to this, token after. */
export const KEPT_PREFIX = 'qq-sync-kept-';

/** The backup directory of the run holding the lock with `token`, relative to the destination. */
export function displacedName(token: string): string {
  return `${DISPLACED_PREFIX}${token}`;
}

/** A run's backup directory: its name, and its identity when it was made (if known). */
export interface DisplacedDir {
  name: string;
  dev?: string;
  ino?: string;
}

/** rsync's extra arguments: the backup into `name` (made by makeDisplacedDir). */
export function displacedArgs(name: string | undefined): string[] {
  return name ? ['--backup', `--backup-dir=${name}`] : [];
}

/** rsync's rule that leaves the run's own directory out of the transfer. */
export function reservedExclude(name: string): string {
  return `--exclude=/${name}`;
}

/**
 * Make the backup directory, exclusively (an existing entry of that name is an error, never
 * reused); its identity, to be recognised when settled.
 */
export async function makeDisplacedDir(
  destination: string,
  name: string,
): Promise<{ dir: DisplacedDir; st: BigIntStats }> {
  const full = Buffer.concat([Buffer.from(destination), Buffer.from(`/${name}`)]);
  await mkdir(full, { mode: 0o700 });
  const st = await lstat(full, { bigint: true });
  return { dir: { name, dev: String(st.dev), ino: String(st.ino) }, st };
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

/** What settling did. */
export interface Settled {
  /** One line per refused entry (refusedLine). */
  refused: string[];
  /** Directories of the job removed to put a refused entry back, with the regular files in them. */
  removed: { rel: string; files: number; bytes: number }[];
  /** Moved entries that could not be put back safely (byte strings), left in `kept`. */
  unsafe: string[];
  /** The backup directory's new name, when something was left in it. */
  kept?: string;
  /** The backup directory was not the one made: left as it is. */
  notOurs?: string;
}

const SLASH = Buffer.from('/');
const join = (a: Buffer, b: Buffer) => (a.length ? Buffer.concat([a, SLASH, b]) : b);
const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** lstat, undefined when nothing is there (ENOENT, ENOTDIR: a component is not a directory). */
async function lstatOrNone(p: Buffer): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch (e) {
    if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') return undefined;
    throw e;
  }
}

/**
 * Whether every directory of `rel` below `dest` (not the last name) is a real directory now:
 * looked at with lstat, a symlink or anything else (or nothing) fails.
 */
async function realParents(dest: Buffer, rel: Buffer): Promise<boolean> {
  let at = dest;
  let from = 0;
  for (;;) {
    const slash = rel.indexOf(SLASH, from);
    if (slash < 0) return true;
    at = Buffer.concat([dest, SLASH, rel.subarray(0, slash)]);
    const st = await lstatOrNone(at);
    if (!st?.isDirectory()) return false;
    from = slash + 1;
  }
}

/** Regular files under a real directory and their bytes (lstat: symlinks are not followed). */
async function filesIn(dir: Buffer): Promise<{ files: number; bytes: number }> {
  const n = { files: 0, bytes: 0 };
  for (const name of await readdir(dir, { encoding: 'buffer' })) {
    const p = join(dir, name);
    const st = await lstat(p);
    if (st.isDirectory()) {
      const sub = await filesIn(p);
      n.files += sub.files;
      n.bytes += sub.bytes;
    } else if (st.isFile()) {
      n.files++;
      n.bytes += st.size;
    }
  }
  return n;
}

/**
 * Settle what rsync moved into the run's backup directory `dir` (see above). Names are Buffers
 * throughout: a non-UTF-8 name is put back exactly. Where the directory is not there (a dry
 * run, a killed run that had not made it) this is one lstat.
 */
export async function settleDisplaced(
  destination: string,
  dir: DisplacedDir,
  how: { runFailed: boolean; refuse: boolean },
): Promise<Settled> {
  const { runFailed, refuse } = how;
  const out: Settled = { refused: [], removed: [], unsafe: [] };
  const dest = Buffer.from(destination.replace(/\/+$/, '') || '/');
  const root = join(dest, Buffer.from(dir.name));
  const rootSt = await lstat(root, { bigint: true }).catch((e) => {
    if (errCode(e) === 'ENOENT') return undefined;
    throw e;
  });
  if (!rootSt) return out;
  const made =
    dir.ino === undefined || (String(rootSt.ino) === dir.ino && String(rootSt.dev) === dir.dev);
  if (!rootSt.isDirectory() || !made) {
    // Not the directory made (only someone with the user's rights could have swapped it):
    // nothing in it is trusted, nothing is moved.
    out.notOurs = dir.name;
    return out;
  }

  const putBack = async (r: Buffer, moved: Buffer, st: Stats): Promise<boolean> => {
    if (!(await realParents(dest, r))) return false;
    const original = join(dest, r);
    const now = await lstatOrNone(original);
    if (!now) {
      await rename(moved, original); // rsync stopped between the move and its replacement
    } else if (now.isDirectory() && refuse && (runFailed || keptOverDirectory(st, now))) {
      // The directory was made by this run in the file's place: only the job's files are in
      // it. fs.rm removes a symlink in it as a link, never what it points to.
      const counted = await filesIn(original);
      await rm(original, { recursive: true, force: true });
      await rename(moved, original);
      const rel = r.toString('latin1');
      out.removed.push({ rel, ...counted });
      if (!runFailed) out.refused.push(refusedLine(rel, st));
    } else {
      await rm(moved, { force: true }); // replaced, as rsync replaces it without --backup
    }
    return true;
  };

  /** True when `rel` (under the backup) is empty now and removed. */
  const visit = async (rel: Buffer): Promise<boolean> => {
    const here = rel.length ? join(root, rel) : root;
    let left = false;
    for (const name of await readdir(here, { encoding: 'buffer' })) {
      const r = join(rel, name);
      const moved = join(root, r);
      const st = await lstat(moved);
      const done = st.isDirectory() ? await visit(r) : await putBack(r, moved, st);
      if (!done) {
        left = true;
        if (!st.isDirectory()) out.unsafe.push(r.toString('latin1'));
      }
    }
    if (!left && rel.length) await rmdir(here);
    return !left;
  };

  // The destination's own time, as rsync set it: removing the backup directory changes it.
  const before = await lstat(dest);
  if (await visit(Buffer.alloc(0))) {
    await rmdir(root);
  } else {
    out.kept = await keepDisplaced(destination, dir.name);
  }
  await utimes(dest, before.atimeMs / 1000, before.mtimeMs / 1000).catch(() => {});
  return out;
}

/**
 * Rename the backup directory `name` to a visible name that says what it is (if that name is
 * free); the name it has now.
 */
export async function keepDisplaced(destination: string, name: string): Promise<string> {
  const dest = Buffer.from(destination.replace(/\/+$/, '') || '/');
  const kept = `${KEPT_PREFIX}${name.slice(DISPLACED_PREFIX.length)}`;
  const target = join(dest, Buffer.from(kept));
  if (await lstatOrNone(target)) return name;
  try {
    await rename(join(dest, Buffer.from(name)), target);
    return kept;
  } catch {
    return name;
  }
}

/** The job's error for what could not be settled safely, or '' when everything was. */
export function settledProblems(s: Settled): string {
  if (s.notOurs) {
    return `'${s.notOurs}' in the destination is not the directory this sync made for what rsync moved aside: left as it is, nothing in it put back.`;
  }
  if (s.unsafe.length === 0) return '';
  const shown = s.unsafe.slice(0, 10).map((r) => `'${displayPath(r)}'`);
  return `${s.unsafe.length} entr${s.unsafe.length === 1 ? 'y' : 'ies'} that rsync moved aside could not be put back safely (a directory on the way is now a symlink, a file or gone): ${shown.join(', ')}${s.unsafe.length > 10 ? ', …' : ''}. Nothing was moved or deleted; they are kept in '${s.kept}' in the destination.`;
}
