/**
 * The copy of one tree, entry by entry, as the walk (walk.ts) offers them: what each kind of
 * entry needs (a file, a symlink, a FIFO, a directory to enter), the outcome counted and the
 * problems named as rsync names them.
 */
import type { Stats } from 'node:fs';
import {
  closeSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';

import { QQError } from '../../domain/errors.js';
import { throttle } from '../../util/throttle.js';
import { fsTime } from '../../util/times.js';
import type { ChangedEntry, PathFilter } from '../path-filter.js';
import { displayPath, EVERYTHING, noteLeftOut } from '../path-filter.js';
import { keptOverDirectory, mtimeSec, refusedLine } from '../type-change.js';
import {
  BUFFERED_UP_TO,
  copyBuffered,
  copyByKernel,
  copyLarge,
  type FileCopy,
  type OpenSource,
  openIfRegular,
  openRegularOrVanished,
  PIECEWISE_FROM,
} from './copy-file.js';
import { currentUmask, newEntryMode, workingDirMode } from './modes.js';
import { type FsPath, joinBytes, shown } from './paths.js';
import { isSourceError, Problems } from './problems.js';
import { makeFifo } from './special.js';
import { liveDirs, tempName } from './temp-files.js';
import type { CopyOptions, CopyOutcome } from './types.js';
import type { DirMade, DirNode, Item } from './walk.js';

/** At most this long (ms) without giving the event loop a turn. */
const SLICE_MS = 10;

/** rsync's quick check: same size and same modification time (whole seconds). */
function upToDate(src: Stats, dst: Stats): boolean {
  return src.size === dst.size && mtimeSec(src) === mtimeSec(dst);
}

/** A device or socket met with `stopOnSpecial`: the copy stops there (what it wrote stays). */
export class SpecialFileStop extends Error {}

export class Copier {
  readonly outcome: CopyOutcome = {
    files: 0,
    bytes: 0,
    skippedSpecial: 0,
    skippedNames: [],
    problems: '',
    problemCount: 0,
    overMaxSize: { files: 0, bytes: 0 },
  };
  readonly problems = new Problems();
  private readonly umask = currentUmask();
  private readonly filter: PathFilter;
  /** Offers a progress line: the first after progressEveryMs, then one per progressEveryMs. */
  private readonly progress: ReturnType<typeof throttle>;
  private sliceEnd = performance.now() + SLICE_MS;

  constructor(
    private readonly options: CopyOptions,
    private readonly destRoot: string,
  ) {
    this.filter = options.filter ?? EVERYTHING;
    this.progress = throttle(options.onProgress, options.progressEveryMs, { fromNow: true });
  }

  /** A turn for the event loop every SLICE_MS; then the cancel and a progress line. */
  breathe(): Promise<void> | undefined {
    if (performance.now() < this.sliceEnd) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.sliceEnd = performance.now() + SLICE_MS;
      if (this.options.signal?.aborted) throw new QQError('aborted');
      this.progress(() => `${this.outcome.files} files, ${this.outcome.bytes} bytes copied`);
    });
  }

  private skipped(rel: string): void {
    if (this.options.stopOnSpecial) {
      throw new SpecialFileStop(`'${displayPath(rel)}' is a device, socket or FIFO not made here`);
    }
    this.outcome.skippedSpecial++;
    if (this.outcome.skippedNames.length < 5) this.outcome.skippedNames.push(displayPath(rel));
  }

  private changed(rel: string, kind: ChangedEntry['kind'], st: Stats, sha256?: string): void {
    const onChange = this.options.onChange;
    if (!onChange) return;
    const entry: ChangedEntry = { rel, kind, size: st.size, mtimeSec: mtimeSec(st) };
    if (sha256) entry.sha256 = sha256;
    onChange(entry);
  }

  /**
   * Make room at `dst` for a non-directory: an empty directory there is removed (as rsync
   * does); a non-empty one is reported in rsync's words. True when there is room.
   */
  private roomFor(dst: FsPath, rel: string, existing: Stats | undefined, kind: string): boolean {
    if (!existing?.isDirectory() || this.options.dryRun) return true;
    try {
      rmdirSync(dst);
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
  entry(item: Item): Promise<void> | undefined {
    const src = joinBytes(item.dir.src, item.name);
    const dst = joinBytes(item.dir.dst, item.name);
    if (item.regular && item.dir.fresh && !this.options.dryRun) {
      // Listed as a regular file, and nothing in the destination to compare with: opened at
      // once, its fstat standing for the lstat. Anything else (it cannot be opened, or it is
      // no longer a regular file) takes the way below, which names the problem as rsync does.
      const from = openIfRegular(src);
      if (from) return this.copyFile(item, src, dst, from.st, undefined, from);
    }
    let st: Stats;
    try {
      st = lstatSync(src);
    } catch (e) {
      if (!isSourceError(e)) throw e;
      this.problems.source('lstat', src, e);
      return undefined;
    }
    const existing = item.dir.fresh ? undefined : lstatSync(dst, { throwIfNoEntry: false });
    if (st.isFile()) return this.copyFile(item, src, dst, st, existing);
    if (st.isSymbolicLink()) this.copySymlink(item, src, dst, st, existing);
    else if (st.isFIFO()) return this.copyFifo(item.rel, dst, st, existing);
    else if (st.isDirectory()) {
      // A file when listed, a directory now: gone from where the walk saw it.
      this.problems.add(`file has vanished: "${shown(src)}"`);
    } else this.skipped(item.rel);
    return undefined;
  }

  /**
   * A regular file `src`, seen as `st`; `from`: already open (with `st` its fstat). Copied
   * when it is not over max-size and the destination's `existing` is not up to date or newer.
   */
  private copyFile(
    { rel, dir }: Item,
    src: FsPath,
    dst: FsPath,
    st: Stats,
    existing: Stats | undefined,
    from?: OpenSource,
  ) {
    const o = this.options;
    const maxSize = this.filter.maxSize;
    let skip = false;
    if (maxSize !== undefined && st.size > maxSize) {
      // As rsync's generator: left out before any look at the destination, and counted.
      this.outcome.overMaxSize.files++;
      this.outcome.overMaxSize.bytes += st.size;
      noteLeftOut(this.outcome.overMaxSize, rel);
      skip = true;
    } else if (existing?.isFile()) {
      skip =
        upToDate(st, existing) || (o.overwrite === 'newer' && mtimeSec(existing) > mtimeSec(st));
    }
    if (skip || !this.roomFor(dst, rel, existing, 'regular file')) {
      if (from) closeSync(from.fd);
      return undefined;
    }
    if (o.dryRun) {
      this.counted(rel, st.size, st);
      return undefined;
    }
    const mode = existing?.isFile() ? existing.mode & 0o7777 : newEntryMode(st.mode, this.umask);
    if (st.size <= BUFFERED_UP_TO) {
      try {
        const opened = from ?? openRegularOrVanished(src);
        if (opened === 'vanished') this.copied(rel, src, { ok: false, why: 'vanished' });
        // In a directory under a temporary name, a file goes under its own name.
        else this.copied(rel, src, copyBuffered(opened, dst, mode, this.umask, dir.unseen));
      } catch (e) {
        this.copyFailed(src, e);
      }
      return undefined;
    }
    if (from) closeSync(from.fd);
    if (st.size >= PIECEWISE_FROM) {
      // With checksums, hashed as copied (read once); a smaller file keeps the kernel's copy
      // and is hashed after, from the page cache: measured faster (bench/checksums.ts).
      return copyLarge(src, dst, st, mode, o.signal, o.sha256).then(
        (done) => this.copied(rel, src, done),
        (e) => this.copyFailed(src, e),
      );
    }
    try {
      this.copied(rel, src, copyByKernel(src, dst, st, mode));
    } catch (e) {
      this.copyFailed(src, e);
    }
    return undefined;
  }

  private counted(rel: string, bytes: number, st: Stats, sha256?: string): void {
    this.outcome.files++;
    this.outcome.bytes += bytes;
    this.changed(rel, 'file', st, sha256);
  }

  private copied(rel: string, src: FsPath, done: FileCopy): void {
    if (done.ok) this.counted(rel, done.written, done.st, done.sha256);
    else if (done.why === 'vanished') this.problems.add(`file has vanished: "${shown(src)}"`);
    else this.problems.add(`"${shown(src)}" kept changing while it was read: not copied`);
  }

  /**
   * EACCES from a copy is the source (cannot be opened: reported, the copy goes on) or the
   * destination (cannot be written: thrown, the copy stops).
   */
  private copyFailed(src: FsPath, e: unknown): void {
    if (!isSourceError(e)) throw e;
    try {
      closeSync(openSync(src, 'r'));
    } catch (again) {
      if (isSourceError(again)) {
        this.problems.source('open', src, again);
        return;
      }
    }
    throw e;
  }

  private copySymlink({ rel, dir }: Item, src: FsPath, dst: FsPath, st: Stats, existing?: Stats) {
    let target: Buffer;
    try {
      target = readlinkSync(src, { encoding: 'buffer' });
    } catch (e) {
      if (!isSourceError(e)) throw e;
      this.problems.source('readlink', src, e);
      return;
    }
    if (existing?.isSymbolicLink() && target.equals(readlinkSync(dst, { encoding: 'buffer' }))) {
      // The same link: only its time, as rsync -t does (--update does not apply to symlinks).
      if (mtimeSec(existing) !== mtimeSec(st) && !this.options.dryRun) {
        lutimesSync(dst, fsTime(st.atimeMs), fsTime(st.mtimeMs));
      }
      return;
    }
    if (!this.roomFor(dst, rel, existing, 'symlink')) return;
    this.changed(rel, 'symlink', st);
    if (this.options.dryRun) return;
    // In a directory under a temporary name, under its own name (nothing is there yet).
    const tmp = dir.unseen ? dst : tempName(dst);
    try {
      symlinkSync(target, tmp);
      lutimesSync(tmp, fsTime(st.atimeMs), fsTime(st.mtimeMs));
      if (tmp !== dst) renameSync(tmp, dst);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }

  private async copyFifo(rel: string, dst: FsPath, st: Stats, existing?: Stats) {
    if (existing?.isFIFO()) {
      if (mtimeSec(existing) !== mtimeSec(st) && !this.options.dryRun) {
        lutimesSync(dst, fsTime(st.atimeMs), fsTime(st.mtimeMs));
      }
      return;
    }
    if (!this.roomFor(dst, rel, existing, 'special file') || this.options.dryRun) return;
    const made = await makeFifo(this.destRoot, dst, st, newEntryMode(st.mode, this.umask));
    if (made === 'no-mkfifo') this.skipped(rel);
    else if (made !== 'made') this.problems.add(`mkfifo "${shown(dst)}" failed: ${made.error}`);
  }

  /**
   * Make `dst` the directory for source directory `st`; undefined when it is refused (a
   * newer file or symlink there, overwrite: newer). `fresh`: made now, so empty. A new
   * directory is made under a temporary name (`at`) and put onto `dst` when it is complete
   * (walk.ts), unless its parent is itself under one (`unseen`: then under its own name).
   */
  enterDir(rel: string, dst: FsPath, st: Stats, parent: DirNode): DirMade | undefined {
    const o = this.options;
    const existing = parent.fresh ? undefined : lstatSync(dst, { throwIfNoEntry: false });
    if (existing?.isDirectory()) return { fresh: false };
    if (existing) {
      if (o.overwrite === 'newer' && keptOverDirectory(existing, st)) {
        this.problems.add(refusedLine(rel, existing));
        return undefined;
      }
      if (!o.dryRun) unlinkSync(dst);
    }
    const mode = newEntryMode(st.mode, this.umask);
    if (o.dryRun) return { fresh: true, mode };
    if (parent.unseen) {
      mkdirSync(dst, workingDirMode(mode));
      return { fresh: true, mode, unseen: true };
    }
    const at = tempName(dst);
    mkdirSync(at, workingDirMode(mode));
    liveDirs.set(at, dst);
    return { fresh: true, mode, unseen: true, at };
  }

  finish(): CopyOutcome {
    this.outcome.problems = this.problems.detail();
    this.outcome.problemCount = this.problems.count;
    return this.outcome;
  }
}
