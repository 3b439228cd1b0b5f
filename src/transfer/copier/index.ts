/**
 * The built-in copier: for a local copy when rsync is not installed, with `rsync -rltD`'s
 * semantics (plus `--update` for overwrite: newer): recursive, symlinks copied as symlinks,
 * FIFOs recreated, modification times kept, quick check by size and mtime, nothing deleted,
 * permission bits as rsync without -p (modes.ts). Each file is written to a temporary name
 * and renamed, and only when it was read consistently (copy-file.ts). Names are bytes
 * (paths.ts). What cannot be read is named at the end while everything else is copied
 * (problems.ts), as rsync's exit 23.
 *
 * The walk (walk.ts) and the copies are a stream: the walk hands out one entry at a time to
 * CONCURRENCY workers, so memory holds the directories being walked, not the tree.
 */
import type { Stats } from 'node:fs';
import {
  lstat,
  lutimes,
  mkdir,
  open,
  readlink,
  rename,
  rm,
  rmdir,
  symlink,
  unlink,
} from 'node:fs/promises';
import { QQError } from '../../domain/errors.js';
import { rsyncFailure, WorkDirMissingError } from '../errors.js';
import type { ChangedEntry, PathFilter } from '../path-filter.js';
import { displayPath, EVERYTHING } from '../path-filter.js';
import { keptOverDirectory, mtimeSec, refusedLine } from '../type-change.js';
import { copyConsistent } from './copy-file.js';
import { currentUmask, newEntryMode, workingDirMode } from './modes.js';
import { joinBytes, shown } from './paths.js';
import { isSourceError, Problems } from './problems.js';
import { makeFifo } from './special.js';
import { liveTemps, tempName } from './temp-files.js';
import { type DirNode, type Item, Walk } from './walk.js';

export { removeTempFilesNow } from './temp-files.js';

export interface CopyOptions {
  /** What to copy (rsync's filter rules and --max-size); everything when absent. */
  filter?: PathFilter;
  overwrite: 'newer' | 'always';
  dryRun: boolean;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  progressEveryMs?: number;
  /** Each file or symlink written (or, in a dry run, that would be). */
  onChange?: (entry: ChangedEntry) => void;
}

export interface CopyOutcome {
  /** Regular files written, and their bytes (as rsync's --stats counts them). */
  files: number;
  bytes: number;
  /** Devices and sockets not copied (rsync makes devices only as root). */
  skippedSpecial: number;
  /** The first few of them, relative to the working directory, for a note. */
  skippedNames: string[];
  /** What could not be copied (unreadable, changed while read, refused): one line each. */
  problems: string;
  problemCount: number;
}

/** Copies at once: enough to keep the thread pool busy and hide each file's round trips. */
const CONCURRENCY = 16;

async function lstatOrUndefined(p: Buffer): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** rsync's quick check: same size and same modification time (whole seconds). */
function upToDate(src: Stats, dst: Stats): boolean {
  return src.size === dst.size && mtimeSec(src) === mtimeSec(dst);
}

class Copier {
  readonly outcome: CopyOutcome = {
    files: 0,
    bytes: 0,
    skippedSpecial: 0,
    skippedNames: [],
    problems: '',
    problemCount: 0,
  };
  readonly problems = new Problems();
  readonly umask = currentUmask();
  private lastProgress = Date.now();

  constructor(
    private readonly options: CopyOptions,
    private readonly destRoot: string,
  ) {}

  private progress(): void {
    const every = this.options.progressEveryMs ?? 5000;
    if (!this.options.onProgress || Date.now() - this.lastProgress < every) return;
    this.lastProgress = Date.now();
    this.options.onProgress(`${this.outcome.files} files, ${this.outcome.bytes} bytes copied`);
  }

  private skipped(rel: string): void {
    this.outcome.skippedSpecial++;
    if (this.outcome.skippedNames.length < 5) this.outcome.skippedNames.push(displayPath(rel));
  }

  private changed(rel: string, kind: ChangedEntry['kind'], st: Stats): void {
    this.options.onChange?.({ rel, kind, size: st.size, mtimeSec: mtimeSec(st) });
  }

  /**
   * Make room at `dst` for a non-directory: an empty directory there is removed (as rsync
   * does); a non-empty one is reported in rsync's words. True when there is room.
   */
  private async roomFor(dst: Buffer, rel: string, existing: Stats | undefined, kind: string) {
    if (!existing?.isDirectory()) return true;
    if (this.options.dryRun) return true;
    try {
      await rmdir(dst);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
      this.problems.add(`cannot delete non-empty directory: ${displayPath(rel)}`);
      this.problems.add(`could not make way for new ${kind}: ${displayPath(rel)}`);
      return false;
    }
  }

  /** One entry of the walk: a file, symlink, FIFO or other special file. */
  async copyEntry(item: Item): Promise<void> {
    const src = joinBytes(item.dir.src, item.name);
    const dst = joinBytes(item.dir.dst, item.name);
    let st: Stats;
    try {
      st = await lstat(src);
    } catch (e) {
      if (!isSourceError(e)) throw e;
      this.problems.source('lstat', src, e);
      return;
    }
    const existing = item.dir.fresh ? undefined : await lstatOrUndefined(dst);
    if (st.isFile()) await this.copyFile(item, src, dst, st, existing);
    else if (st.isSymbolicLink()) await this.copySymlink(item, src, dst, st, existing);
    else if (st.isFIFO()) await this.copyFifo(item, dst, st, existing);
    else if (st.isDirectory()) {
      // A file when listed, a directory now: rsync would see it in its list as it is now.
      this.problems.add(`file has vanished: "${shown(src)}"`);
    } else {
      this.skipped(item.rel);
    }
  }

  private async copyFile(item: Item, src: Buffer, dst: Buffer, st: Stats, existing?: Stats) {
    const o = this.options;
    const maxSize = o.filter?.maxSize;
    if (maxSize !== undefined && st.size > maxSize) return;
    if (existing?.isFile()) {
      if (upToDate(st, existing)) return;
      if (o.overwrite === 'newer' && existing.mtimeMs > st.mtimeMs) return;
    }
    if (!(await this.roomFor(dst, item.rel, existing, 'regular file'))) return;
    if (o.dryRun) {
      this.outcome.files++;
      this.outcome.bytes += st.size;
      this.changed(item.rel, 'file', st);
      return;
    }
    const mode = existing?.isFile() ? existing.mode & 0o7777 : newEntryMode(st.mode, this.umask);
    let done: Awaited<ReturnType<typeof copyConsistent>>;
    try {
      done = await copyConsistent(src, dst, st, mode, o.signal);
    } catch (e) {
      // EACCES here is the source (cannot be opened) or the destination (cannot be written).
      if (!isSourceError(e) || !(await this.unreadable(src, e))) throw e;
      return;
    }
    if (!done.ok) {
      if (done.why === 'vanished') this.problems.add(`file has vanished: "${shown(src)}"`);
      else this.problems.add(`"${shown(src)}" kept changing while it was read: not copied`);
      return;
    }
    this.outcome.files++;
    this.outcome.bytes += done.written;
    this.changed(item.rel, 'file', done.st);
    this.progress();
  }

  /** Whether the source cannot be opened (then reported); false: the error is elsewhere. */
  private async unreadable(src: Buffer, e: NodeJS.ErrnoException): Promise<boolean> {
    try {
      await (await open(src, 'r')).close();
      return false;
    } catch (again) {
      if (!isSourceError(again)) return false;
      this.problems.source('open', src, again);
      return e.code === (again as NodeJS.ErrnoException).code;
    }
  }

  private async copySymlink(item: Item, src: Buffer, dst: Buffer, st: Stats, existing?: Stats) {
    let target: Buffer;
    try {
      target = await readlink(src, { encoding: 'buffer' });
    } catch (e) {
      if (!isSourceError(e)) throw e;
      this.problems.source('readlink', src, e);
      return;
    }
    if (existing?.isSymbolicLink() && target.equals(await readlink(dst, { encoding: 'buffer' }))) {
      // The same link: only its time, as rsync -t does (--update does not apply to symlinks).
      if (mtimeSec(existing) !== mtimeSec(st) && !this.options.dryRun) {
        await lutimes(dst, st.atimeMs / 1000, st.mtimeMs / 1000);
      }
      return;
    }
    if (!(await this.roomFor(dst, item.rel, existing, 'symlink'))) return;
    this.changed(item.rel, 'symlink', st);
    if (this.options.dryRun) return;
    const tmp = tempName(dst);
    liveTemps.add(tmp);
    try {
      await symlink(target, tmp);
      await lutimes(tmp, st.atimeMs / 1000, st.mtimeMs / 1000);
      await rename(tmp, dst);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    } finally {
      liveTemps.delete(tmp);
    }
  }

  private async copyFifo(item: Item, dst: Buffer, st: Stats, existing?: Stats) {
    if (existing?.isFIFO()) {
      if (mtimeSec(existing) !== mtimeSec(st) && !this.options.dryRun) {
        await lutimes(dst, st.atimeMs / 1000, st.mtimeMs / 1000);
      }
      return;
    }
    if (!(await this.roomFor(dst, item.rel, existing, 'special file'))) return;
    if (this.options.dryRun) return;
    const made = await makeFifo(this.destRoot, dst, st, newEntryMode(st.mode, this.umask));
    if (made === 'no-mkfifo') {
      this.skipped(item.rel);
    } else if (made !== 'made') {
      this.problems.add(`mkfifo "${shown(dst)}" failed: ${made.error}`);
    }
  }

  /**
   * Make `dst` the directory for source directory `st`; undefined when it is refused (a
   * newer file there, overwrite: newer) or cannot be made. `fresh`: made now, so empty.
   */
  async enterDir(
    parent: DirNode,
    rel: string,
    dst: Buffer,
    st: Stats,
  ): Promise<{ fresh: boolean; mode?: number } | undefined> {
    const o = this.options;
    let existing = parent.fresh ? undefined : await lstatOrUndefined(dst);
    if (existing?.isDirectory()) return { fresh: false };
    if (existing) {
      if (o.overwrite === 'newer' && keptOverDirectory(existing, st)) {
        this.problems.add(refusedLine(rel, existing));
        return undefined;
      }
      if (!o.dryRun) await unlink(dst);
      existing = undefined;
    }
    const mode = newEntryMode(st.mode, this.umask);
    if (!o.dryRun) await mkdir(dst, workingDirMode(mode));
    return { fresh: true, mode };
  }

  abortedError(): QQError | undefined {
    return this.options.signal?.aborted ? new QQError('aborted') : undefined;
  }

  async finish(): Promise<CopyOutcome> {
    this.outcome.problems = this.problems.detail();
    this.outcome.problemCount = this.problems.count;
    return this.outcome;
  }
}

/** Copy `srcDir`'s contents (what `filter` selects) into `destDir`, rsync -rltD style. */
export async function copyTree(
  srcDir: string,
  destDir: string,
  options: CopyOptions,
): Promise<CopyOutcome> {
  const srcRoot = Buffer.from(srcDir.replace(/\/+$/, '') || '/');
  const dstRoot = Buffer.from(destDir.replace(/\/+$/, '') || '/');
  const rootStat = await lstat(srcRoot).catch(() => undefined);
  if (!rootStat?.isDirectory()) {
    // rsync's words, so that the message reads the same whichever tool copied.
    throw new WorkDirMissingError(
      rsyncFailure(srcDir, destDir, `change_dir "${srcDir}" failed: No such file or directory (2)`),
    );
  }
  const madeRoot = options.dryRun
    ? !(await lstat(dstRoot).catch(() => undefined))
    : (await mkdir(dstRoot, { recursive: true })) !== undefined;
  let copier: Copier | undefined;
  const walk = new Walk(srcRoot, dstRoot, rootStat, madeRoot, {
    filter: options.filter ?? EVERYTHING,
    dryRun: options.dryRun,
    enterDir: (parent, rel, dst, st) => (copier as Copier).enterDir(parent, rel, dst, st),
    problems: () => (copier as Copier).problems,
  });
  copier = new Copier(options, destDir);
  const items = walk.items();
  let failure: unknown;
  const worker = async (): Promise<void> => {
    for (;;) {
      failure ??= copier.abortedError();
      if (failure !== undefined) return;
      let next: IteratorResult<Item>;
      try {
        next = await items.next();
      } catch (e) {
        failure ??= e;
        return;
      }
      if (next.done) return;
      try {
        await copier.copyEntry(next.value);
        await walk.done(next.value.dir);
      } catch (e) {
        failure ??= e;
        walk.stop();
      }
    }
  };
  // Never return (or throw) while copies still run: the caller releases the lock next.
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (failure !== undefined) throw failure;
  return copier.finish();
}
