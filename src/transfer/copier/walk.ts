/**
 * The walk of the source tree, as a stream: directories are read one at a time (each sorted
 * by bytes, as rsync sorts), and their entries handed out one by one (`items()`, shared by
 * the workers), so that memory holds the listings of the directories being walked, never the
 * whole tree. A directory is made (or checked) in the destination before anything in it is
 * handed out, and gets its time (and, if new, its permission bits) once everything in it is
 * done: each directory counts what of it is still pending.
 */
import type { Dirent, Stats } from 'node:fs';
import { chmod, lstat, readdir, utimes } from 'node:fs/promises';
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
  atimeSec: number;
  mtimeSec: number;
  /** The permission bits to give a new directory when it is finished. */
  mode?: number;
  /** Entries handed out and subdirectories not yet finished. */
  pending: number;
  listed: boolean;
  parent?: DirNode;
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
  /** Make or check the destination directory; undefined: not entered. */
  enterDir(
    parent: DirNode,
    rel: string,
    dst: Buffer,
    st: Stats,
  ): Promise<{ fresh: boolean; mode?: number } | undefined>;
  problems(): Problems;
}

function byBytes(a: Dirent<Buffer>, b: Dirent<Buffer>): number {
  return Buffer.compare(a.name, b.name);
}

export class Walk {
  private stopped = false;
  private readonly root: DirNode;

  constructor(
    srcRoot: Buffer,
    dstRoot: Buffer,
    rootStat: Stats,
    madeRoot: boolean,
    private readonly hooks: WalkHooks,
  ) {
    this.root = {
      src: srcRoot,
      dst: dstRoot,
      rel: '',
      fresh: madeRoot,
      atimeSec: rootStat.atimeMs / 1000,
      mtimeSec: rootStat.mtimeMs / 1000,
      pending: 0,
      listed: false,
    };
  }

  /** No more entries (a fatal error): the workers end with what they have. */
  stop(): void {
    this.stopped = true;
  }

  items(): AsyncGenerator<Item> {
    return this.walk(this.root);
  }

  private async *walk(dir: DirNode): AsyncGenerator<Item> {
    let entries: Dirent<Buffer>[] = [];
    try {
      entries = await readdir(dir.src, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      if (!isSourceError(e)) throw e;
      this.hooks.problems().source('opendir', dir.src, e);
    }
    entries.sort(byBytes);
    for (const entry of entries) {
      if (this.stopped) return;
      const name = entry.name;
      const rel = dir.rel ? `${dir.rel}/${name.toString('latin1')}` : name.toString('latin1');
      let st: Stats | undefined;
      let isDir = entry.isDirectory();
      if (!isDir && !entry.isFile() && !entry.isSymbolicLink() && !entry.isFIFO()) {
        // A file system that gives no types (DT_UNKNOWN), or a special file: look.
        st = await lstat(joinBytes(dir.src, name)).catch(() => undefined);
        isDir = st?.isDirectory() ?? false;
      }
      if (this.hooks.filter.excludes(rel, isDir)) continue;
      if (!isDir) {
        dir.pending++;
        yield { dir, name, rel };
        continue;
      }
      const child = await this.enter(dir, name, rel, st);
      if (child) yield* this.walk(child);
    }
    dir.listed = true;
    if (dir.pending === 0) await this.finish(dir);
  }

  private async enter(parent: DirNode, name: Buffer, rel: string, known?: Stats) {
    const src = joinBytes(parent.src, name);
    let st = known;
    try {
      st ??= await lstat(src);
    } catch (e) {
      if (!isSourceError(e)) throw e;
      this.hooks.problems().source('lstat', src, e);
      return undefined;
    }
    const dst = joinBytes(parent.dst, name);
    const made = await this.hooks.enterDir(parent, rel, dst, st);
    if (!made) return undefined;
    parent.pending++;
    const node: DirNode = {
      src,
      dst,
      rel,
      fresh: made.fresh,
      atimeSec: st.atimeMs / 1000,
      mtimeSec: st.mtimeMs / 1000,
      mode: made.mode,
      pending: 0,
      listed: false,
      parent,
    };
    return node;
  }

  /** One entry of `dir` is done. */
  async done(dir: DirNode): Promise<void> {
    dir.pending--;
    if (dir.pending === 0 && dir.listed) await this.finish(dir);
  }

  /** Everything in `dir` is done: its bits (if new) and times, as rsync sets them last. */
  private async finish(dir: DirNode): Promise<void> {
    if (!this.hooks.dryRun && !this.stopped) {
      // A new directory was made writable for this copy (modes.ts): now its own bits.
      if (dir.mode !== undefined && (dir.mode & 0o700) !== 0o700) await chmod(dir.dst, dir.mode);
      await utimes(dir.dst, dir.atimeSec, dir.mtimeSec);
    }
    if (dir.parent) await this.done(dir.parent);
  }
}
