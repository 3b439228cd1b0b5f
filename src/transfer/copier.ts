/**
 * The built-in copier: for a local copy when rsync is not installed. rsync `-rltD`'s semantics:
 * recursive, symlinks copied as symlinks, modification times kept, quick check by size and
 * mtime, nothing deleted; each file is written to a temporary name in its directory and
 * renamed, so no half-written file ever stands under a final name; a symlink in the
 * destination is replaced, never written through. Devices, FIFOs and sockets are skipped
 * (counted), where rsync -D would recreate them.
 */
import type { Hash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { constants, rmSync } from 'node:fs';
import {
  copyFile,
  lstat,
  lutimes,
  mkdir,
  open,
  readdir,
  readlink,
  rename,
  rm,
  symlink,
  unlink,
  utimes,
} from 'node:fs/promises';
import * as path from 'node:path';
import { QQError } from '../domain/errors.js';
import { rsyncFailure, WorkDirMissingError } from './errors.js';
import type { ChangedEntry, PathFilter } from './path-filter.js';

export interface CopyOptions {
  /** Relative entries (validated) or undefined for everything. */
  files?: readonly string[];
  overwrite: 'newer' | 'always';
  dryRun: boolean;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  progressEveryMs?: number;
  /** The selection (files, exclude, max-size): when given, the whole tree is walked with it. */
  filter?: PathFilter;
  /** Each file or symlink written (or that would be, in a dry run). */
  onChange?: (entry: ChangedEntry) => void;
  /** Hash each file copied piece by piece as it is copied, and give its SHA-256 to `onChange`. */
  sha256?: boolean;
}

export interface CopyOutcome {
  files: number;
  bytes: number;
  /** Devices, FIFOs and sockets not copied (rsync -D would recreate them). */
  skippedSpecial: number;
  /** The first few of them, relative to the working directory, for a note. */
  skippedNames: string[];
  /** Files left out for `max-size`, and their bytes. */
  overMaxSize: { files: number; bytes: number };
}

const CONCURRENCY = 16;

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Longest file name (bytes) on Linux file systems. */
const NAME_MAX = 255;

/**
 * `.<name>.<random>.qqsync` next to the target, as rsync's `.<name>.XXXXXX`; a long name is
 * shortened (by whole characters) so that the temporary name still fits in NAME_MAX bytes.
 */
export function tempName(target: string): string {
  // node:crypto on first use: it is some 50 internal modules that a run without a copy skips.
  const suffix = `.${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}.qqsync`;
  const room = NAME_MAX - 1 - Buffer.byteLength(suffix);
  let stem = path.basename(target);
  if (Buffer.byteLength(stem) > room) {
    const chars = Array.from(stem);
    while (Buffer.byteLength(chars.join('')) > room) chars.pop();
    stem = chars.join('');
  }
  return path.join(path.dirname(target), `.${stem}${suffix}`);
}

/**
 * The temporary files being written now. A cancelled run that cannot wait for a copy to end
 * (a large file, in the thread pool, cannot be interrupted) removes them on its way out.
 */
const liveTemps = new Set<string>();

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

/**
 * Files this large are copied piece by piece, with a look at the cancel between pieces: a
 * copyFile runs in the thread pool and cannot be interrupted — nor can the process exit
 * before it ends, which for a large file is longer than the runner waits after a cancel.
 */
const PIECEWISE_FROM = 16 * 1024 * 1024;
const PIECE = 2 * 1024 * 1024;

async function copyPiecewise(
  src: string,
  tmp: string,
  st: Stats,
  signal?: AbortSignal,
  hash?: Hash,
) {
  // A reflink (btrfs, XFS) is instant: no pieces needed (unless they are hashed). Elsewhere it
  // fails at once.
  if (
    !hash &&
    (await copyFile(src, tmp, constants.COPYFILE_FICLONE_FORCE).then(
      () => true,
      () => false,
    ))
  ) {
    return;
  }
  const from = await open(src, 'r');
  try {
    const to = await open(tmp, 'w', st.mode & 0o7777);
    try {
      const buf = Buffer.allocUnsafe(PIECE);
      for (let pos = 0; ; ) {
        if (signal?.aborted) throw new QQError('aborted');
        const { bytesRead } = await from.read(buf, 0, PIECE, pos);
        if (bytesRead === 0) break;
        hash?.update(buf.subarray(0, bytesRead));
        for (let done = 0; done < bytesRead; ) {
          done += (await to.write(buf, done, bytesRead - done, pos + done)).bytesWritten;
        }
        pos += bytesRead;
      }
      // As copyFile does: the source's permission bits, whatever the umask.
      await to.chmod(st.mode & 0o7777);
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}

/** rsync's quick check: same size and same modification time (whole seconds). */
function upToDate(src: Stats, dst: Stats): boolean {
  return src.size === dst.size && Math.floor(src.mtimeMs / 1000) === Math.floor(dst.mtimeMs / 1000);
}

class Copier {
  readonly outcome: CopyOutcome = {
    files: 0,
    bytes: 0,
    skippedSpecial: 0,
    skippedNames: [],
    overMaxSize: { files: 0, bytes: 0 },
  };
  private readonly queue: Array<() => Promise<void>> = [];
  private running = 0;
  private failure: unknown;
  private drained: (() => void) | undefined;
  private lastProgress = Date.now();

  constructor(
    private readonly options: CopyOptions,
    private readonly srcRoot = '',
  ) {}

  /** `src` relative to the working directory, as the byte string filters and records use. */
  private rel(src: string): string {
    return Buffer.from(path.relative(this.srcRoot, src)).toString('latin1');
  }

  private changed(src: string, kind: ChangedEntry['kind'], st: Stats, sha256?: string): void {
    const rel = this.rel(src);
    const mtimeSec = Math.floor(st.mtimeMs / 1000);
    this.options.onChange?.({ rel, kind, size: st.size, mtimeSec, ...(sha256 ? { sha256 } : {}) });
  }

  private schedule(task: () => Promise<void>): void {
    this.queue.push(task);
    this.pump();
  }

  private pump(): void {
    while (this.running < CONCURRENCY && this.queue.length > 0 && !this.failure) {
      const task = this.queue.shift() as () => Promise<void>;
      this.running++;
      task()
        .catch((e) => {
          this.failure ??= e;
        })
        .finally(() => {
          this.running--;
          this.pump();
          if (this.running === 0 && (this.queue.length === 0 || this.failure)) this.drained?.();
        });
    }
  }

  /** Resolves when no task runs and none will start (the queue is empty, or a task failed). */
  idle(): Promise<void> {
    if (this.running === 0 && (this.queue.length === 0 || this.failure)) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }

  check(): void {
    if (this.failure) throw this.failure;
    if (this.options.signal?.aborted) throw new QQError('aborted');
  }

  private progress(): void {
    const every = this.options.progressEveryMs ?? 5000;
    if (!this.options.onProgress || Date.now() - this.lastProgress < every) return;
    this.lastProgress = Date.now();
    this.options.onProgress(`${this.outcome.files} files, ${this.outcome.bytes} bytes copied`);
  }

  /**
   * Make `dst` a directory (replacing a symlink or file there, as rsync does). True when this
   * made it (or, in a dry run, would make it): nothing is in it, so its entries need no look.
   */
  async ensureDir(dst: string): Promise<boolean> {
    const st = await lstatOrUndefined(dst);
    if (st?.isDirectory()) return false;
    if (this.options.dryRun) return true;
    if (st) await unlink(dst);
    await mkdir(dst);
    return true;
  }

  async copyFileEntry(src: string, dst: string, st: Stats, fresh: boolean): Promise<void> {
    this.check();
    const maxSize = this.options.filter?.maxSize;
    if (maxSize !== undefined && st.size > maxSize) {
      // As rsync's generator: before any look at the destination.
      this.outcome.overMaxSize.files++;
      this.outcome.overMaxSize.bytes += st.size;
      return;
    }
    const existing = fresh ? undefined : await lstatOrUndefined(dst);
    if (existing?.isDirectory()) {
      throw new QQError(`Cannot copy file '${src}': '${dst}' is a directory.`);
    }
    if (existing?.isFile()) {
      if (upToDate(st, existing)) return;
      if (this.options.overwrite === 'newer' && existing.mtimeMs > st.mtimeMs) return;
    }
    this.outcome.files++;
    this.outcome.bytes += st.size;
    let hash: Hash | undefined;
    if (!this.options.dryRun) {
      const tmp = tempName(dst);
      liveTemps.add(tmp);
      // For the manifest: a file copied piece by piece anyway is hashed as it is copied (read
      // once). A smaller one keeps the kernel's copy and is hashed after, from the page cache:
      // measured faster than copying it through this process (bench/checksums.ts).
      hash =
        this.options.sha256 && st.size >= PIECEWISE_FROM
          ? process.getBuiltinModule('node:crypto').createHash('sha256')
          : undefined;
      try {
        if (hash || st.size >= PIECEWISE_FROM) {
          await copyPiecewise(src, tmp, st, this.options.signal, hash);
        } else await copyFile(src, tmp, constants.COPYFILE_FICLONE);
        await utimes(tmp, st.atime, st.mtime);
        // rename replaces a symlink at `dst` itself: nothing is written through it.
        await rename(tmp, dst);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      } finally {
        liveTemps.delete(tmp);
      }
    }
    this.changed(src, 'file', st, hash?.digest('hex'));
    this.progress();
  }

  async copySymlink(src: string, dst: string, st: Stats, fresh: boolean): Promise<void> {
    this.check();
    const target = await readlink(src);
    const existing = fresh ? undefined : await lstatOrUndefined(dst);
    if (existing?.isSymbolicLink() && (await readlink(dst)) === target) return;
    if (existing?.isDirectory()) {
      throw new QQError(`Cannot copy symlink '${src}': '${dst}' is a directory.`);
    }
    if (existing && this.options.overwrite === 'newer' && existing.mtimeMs > st.mtimeMs) return;
    // rsync's %l for a symlink: the length of its target.
    const written = { size: Buffer.byteLength(target), mtimeMs: st.mtimeMs } as Stats;
    if (this.options.dryRun) return this.changed(src, 'symlink', written);
    const tmp = tempName(dst);
    await symlink(target, tmp);
    try {
      await lutimes(tmp, st.atime, st.mtime);
      await rename(tmp, dst);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    this.changed(src, 'symlink', written);
  }

  /** Directories made or visited, with the times to give them after their contents. */
  readonly dirTimes: Array<[string, Stats]> = [];

  /**
   * Copy the tree at `src` into `dst`. The walk reads directories one at a time (their
   * entries' types come with the listing); each file or symlink is a task of its own — its
   * lstat, the look at the destination, the copy — run CONCURRENCY at a time. `fresh`: `dst`
   * was just made, so nothing in it needs a look.
   */
  async copyTree(src: string, dst: string, root = false, fresh = false, known?: Stats) {
    this.check();
    const st = known ?? (await lstat(src));
    if (st.isDirectory()) {
      // The destination root itself may be a symlink to a directory: rsync follows it too.
      const made = root ? fresh : await this.ensureDir(dst);
      this.dirTimes.push([dst, st]);
      for (const entry of await readdir(src, { withFileTypes: true })) {
        const from = path.join(src, entry.name);
        if (this.options.filter?.excludes(this.rel(from), entry.isDirectory())) continue;
        const to = path.join(dst, entry.name);
        if (entry.isDirectory()) await this.copyTree(from, to, false, made);
        else this.schedule(() => this.copyEntry(from, to, made));
      }
    } else {
      this.schedule(() => this.copyEntry(src, dst, fresh, st));
    }
  }

  private async copyEntry(src: string, dst: string, fresh: boolean, known?: Stats): Promise<void> {
    const st = known ?? (await lstat(src));
    if (st.isFile()) await this.copyFileEntry(src, dst, st, fresh);
    else if (st.isSymbolicLink()) await this.copySymlink(src, dst, st, fresh);
    else if (st.isDirectory()) {
      // Listed as something else, a directory by now: copied as one.
      await this.copyTree(src, dst, false, false, st);
    } else {
      this.outcome.skippedSpecial++;
      if (this.outcome.skippedNames.length < 5) this.outcome.skippedNames.push(src);
    }
  }
}

/** Entries of `root` that match a `files` entry (rsync wildcards `*`, `?`, `[…]` per level). */
async function expandEntry(root: string, rel: string): Promise<string[]> {
  let current = [''];
  for (const part of rel.split('/')) {
    const next: string[] = [];
    for (const base of current) {
      if (!/[*?[]/.test(part)) {
        next.push(base ? `${base}/${part}` : part);
        continue;
      }
      const re = new RegExp(
        `^${part
          .replace(/[.+^${}()|\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]')}$`,
      );
      let names: string[] = [];
      try {
        names = await readdir(path.join(root, base));
      } catch {}
      for (const n of names.sort()) if (re.test(n)) next.push(base ? `${base}/${n}` : n);
    }
    current = next;
  }
  return current;
}

/** Copy `srcDir`'s contents (or the `files` entries) into `destDir`, rsync -rltD style. */
export async function copyTree(
  srcDir: string,
  destDir: string,
  options: CopyOptions,
): Promise<CopyOutcome> {
  const rootStat = await lstatOrUndefined(srcDir);
  if (!rootStat?.isDirectory()) {
    // rsync's words, so that the message reads the same whichever tool copied.
    throw new WorkDirMissingError(
      rsyncFailure(srcDir, destDir, `change_dir "${srcDir}" failed: No such file or directory (2)`),
    );
  }
  const copier = new Copier(options, srcDir);
  const dirTimes = copier.dirTimes;
  const madeRoot = options.dryRun
    ? !(await lstatOrUndefined(destDir))
    : (await mkdir(destDir, { recursive: true })) !== undefined;
  try {
    if (options.filter || !options.files || options.files.includes('.')) {
      await copier.copyTree(srcDir, destDir, true, madeRoot, rootStat);
    } else {
      for (const entry of options.files) {
        for (const rel of await expandEntry(srcDir, entry)) {
          const src = path.join(srcDir, rel);
          const parts = rel.split('/');
          // Each parent must be a real directory in the work dir: a symlinked parent
          // (`link/x` with `link -> /elsewhere`) would read outside it. rsync does not follow
          // it either (`--include /link/` matches directories only), so nothing is copied.
          const parentStats: Stats[] = [];
          for (let i = 1; i < parts.length; i++) {
            const st = await lstatOrUndefined(path.join(srcDir, ...parts.slice(0, i)));
            if (!st?.isDirectory()) break;
            parentStats.push(st);
          }
          if (parentStats.length !== parts.length - 1) continue;
          if (!(await lstatOrUndefined(src))) continue; // like rsync: missing names are skipped
          for (let i = 1; i < parts.length; i++) {
            // The parents are transferred too (rsync's `--include /sub/`): their mtimes kept.
            const parent = path.join(destDir, ...parts.slice(0, i));
            await copier.ensureDir(parent);
            dirTimes.push([parent, parentStats[i - 1] as Stats]);
          }
          await copier.copyTree(src, path.join(destDir, rel));
        }
      }
    }
  } finally {
    // Never return (or throw) while copies still run: the caller releases the lock next.
    await copier.idle();
  }
  copier.check();
  if (!options.dryRun) {
    for (const [dir, st] of dirTimes.reverse()) await utimes(dir, st.atime, st.mtime);
  }
  return copier.outcome;
}
