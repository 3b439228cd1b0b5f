/**
 * A job's tree as a listing for the planner (index.ts, parts.ts). Locally: a walk with many directory
 * reads in flight at once — on a shared file system every metadata operation is a
 * round trip, and a sequential crawl is what holds fpsync back. Over ssh: the remote rsync's
 * own `--list-only`, over the run's shared connection, so that the remote side needs nothing
 * but the rsync the transfer needs anyway.
 *
 * Names are byte strings (path-filter.ts). The walk honours the PathFilter as rsync does: an
 * excluded directory is not entered, a file above maxSize is left out.
 */
import { closeSync, constants, type Dirent, openSync, type Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { runCommand } from '../../exec/run.js';
import type { PathFilter } from '../path-filter.js';
import { endpoint } from '../rsync/index.js';
import { readTail, stdoutFile } from '../rsync/progress.js';
import { rsyncRsh, type SshSettings } from '../ssh/index.js';
import type { ListedEntry } from './parts.js';

/** Directory reads and lstats in flight at once. */
const WALK_CONCURRENCY = 32;

/** The walk stopped: more entries than asked for. */
const OVER_LIMIT = Symbol('over the limit');

/** `root` joined with a byte-string `rel`, as the bytes the file system wants. */
function bytesOf(root: Buffer, rel: string): Buffer {
  return rel === '.' ? root : Buffer.concat([root, Buffer.from(`/${rel}`, 'latin1')]);
}

function kindOf(st: Stats | Dirent<Buffer>): ListedEntry['kind'] {
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

/**
 * Every entry under `root` ('.' for the root itself) that `filter` lets through. Stops with
 * the first error (a directory that cannot be read is an error here, as it is for rsync).
 */
export async function listLocal(
  root: string,
  filter: PathFilter,
  signal?: AbortSignal,
): Promise<ListedEntry[]>;
/** …or, with a `limit`, undefined as soon as there are more entries than that. */
export async function listLocal(
  root: string,
  filter: PathFilter,
  signal: AbortSignal | undefined,
  limit: number,
): Promise<ListedEntry[] | undefined>;
export async function listLocal(
  root: string,
  filter: PathFilter,
  signal?: AbortSignal,
  limit = Number.POSITIVE_INFINITY,
): Promise<ListedEntry[] | undefined> {
  const rootBytes = Buffer.from(root.replace(/\/+$/, '') || '/');
  const rootStat = await lstat(rootBytes);
  const out: ListedEntry[] = [
    { rel: '.', kind: 'dir', size: 0, mtimeSec: Math.floor(rootStat.mtimeMs / 1000) },
  ];
  const pending: Array<() => Promise<void>> = [];
  let active = 0;
  let failure: unknown;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const pump = () => {
    while (active < WALK_CONCURRENCY && pending.length > 0 && !failure) {
      const task = pending.pop() as () => Promise<void>;
      active++;
      task()
        .catch((e) => {
          failure ??= e;
        })
        .finally(() => {
          active--;
          if (signal?.aborted) failure ??= signal.reason;
          if (out.length > limit) failure ??= OVER_LIMIT;
          pump();
          if (active === 0 && (pending.length === 0 || failure)) finish();
        });
    }
  };
  const visitDir = (rel: string) => async () => {
    const names = await readdir(bytesOf(rootBytes, rel), {
      withFileTypes: true,
      encoding: 'buffer',
    });
    for (const d of names) {
      const name = d.name.toString('latin1');
      const child = rel === '.' ? name : `${rel}/${name}`;
      const isDir = d.isDirectory();
      if (filter.excludes(child, isDir)) continue;
      if (isDir) {
        out.push({ rel: child, kind: 'dir', size: 0 });
        pending.push(visitDir(child));
      } else if (d.isFile() && filter.maxSize !== undefined) {
        pending.push(statFile(child));
      } else {
        out.push({ rel: child, kind: kindOf(d), size: 0 });
      }
    }
  };
  // Only `max-size` needs a file's size: every other entry is known by its directory's
  // listing (d_type), without a round trip of its own. Parts are then bounded by count.
  const statFile = (rel: string) => async () => {
    const st = await lstat(bytesOf(rootBytes, rel));
    const kind = kindOf(st);
    if (kind === 'file' && filter.maxSize !== undefined && st.size > filter.maxSize) return;
    out.push({ rel, kind, size: kind === 'file' ? st.size : 0 });
  };
  pending.push(visitDir('.'));
  pump();
  await done;
  if (failure === OVER_LIMIT) return undefined;
  if (failure) throw failure;
  return out;
}

/**
 * The sizes of a local listing's regular files (listLocal leaves them 0 without `max-size`:
 * a stat per file is a round trip on a slow file system), filled in until they add up to
 * `enough` bytes. Meant for a listing of few files, whose bytes then decide on streams.
 * Returns the bytes seen; a file gone since the listing counts 0.
 */
export async function addLocalSizes(
  root: string,
  listing: ListedEntry[],
  enough: number,
  signal?: AbortSignal,
): Promise<number> {
  const rootBytes = Buffer.from(root.replace(/\/+$/, '') || '/');
  const files = listing.filter((e) => e.kind === 'file');
  let total = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length && total < enough) {
      signal?.throwIfAborted();
      const e = files[next++] as ListedEntry;
      const st = await lstat(bytesOf(rootBytes, e.rel)).catch(() => undefined);
      if (st?.isFile()) {
        e.size = st.size;
        total += st.size;
      }
    }
  };
  await Promise.all(Array.from({ length: WALK_CONCURRENCY }, worker));
  return total;
}

/**
 * Looks up `paths` under `root` (an lstat each, `concurrency` in flight, results dropped),
 * so that the kernel's dentry and attribute caches hold them when an rsync reaches them.
 */
export async function warmLookups(
  root: string,
  paths: readonly string[],
  concurrency: number,
  signal?: AbortSignal,
): Promise<void> {
  const rootBytes = Buffer.from(root.replace(/\/+$/, '') || '/');
  let next = 0;
  const worker = async () => {
    while (next < paths.length && !signal?.aborted) {
      await lstat(bytesOf(rootBytes, paths[next++] as string)).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * rsync's --prune-empty-dirs on a listing (in place): the directories with nothing but
 * directories below them go, so that no part makes them.
 */
export function pruneEmptyDirs(listing: ListedEntry[]): void {
  const kept = new Set<string>(['.']);
  for (const e of listing) {
    if (e.kind === 'dir') continue;
    for (let i = e.rel.lastIndexOf('/'); i > 0; i = e.rel.lastIndexOf('/', i - 1)) {
      const dir = e.rel.slice(0, i);
      if (kept.has(dir)) break;
      kept.add(dir);
    }
  }
  let n = 0;
  for (const e of listing) if (e.kind !== 'dir' || kept.has(e.rel)) listing[n++] = e;
  listing.length = n;
}

/** rsync's `--list-only` escapes: `\#ooo` is the byte ooo (octal); nothing else is escaped. */
export function unescapeListName(name: string): string {
  return name.replace(/\\#([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

const LIST_LINE = /^([dlpscb-])\S{9}\s+([\d,]+) (\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) (.*)$/;

/**
 * The entries of `rsync -r --list-only` output (read as latin1: one char per byte). Without
 * `-l` a symlink's line holds its name alone (no ` -> target` to tell apart from the name).
 */
export function parseListOnly(text: string): ListedEntry[] {
  const out: ListedEntry[] = [];
  for (const line of text.split('\n')) {
    const m = LIST_LINE.exec(line);
    if (!m) continue;
    const type = m[1] as string;
    const kind: ListedEntry['kind'] =
      type === 'd' ? 'dir' : type === '-' ? 'file' : type === 'l' ? 'symlink' : 'other';
    const size = kind === 'file' ? Number((m[2] as string).replace(/,/g, '')) : 0;
    const rel = unescapeListName(m[9] as string);
    // The listing's rsync runs with TZ=UTC: its times are UTC.
    const [y, mo, d, h, mi, sec] = m.slice(3, 9).map(Number) as number[];
    const mtimeSec = Date.UTC(y as number, (mo as number) - 1, d, h, mi, sec) / 1000;
    out.push(rel === '.' ? { rel, kind, size, mtimeSec } : { rel, kind, size });
  }
  return out;
}

/**
 * The remote tree, listed by the rsync on `host` with the transfer's own filter arguments
 * (so that the selection is rsync's, exactly); undefined when the listing fails — the caller
 * then transfers in one stream, whose rsync reports the error in qq's words.
 */
export async function listRemote(
  host: string,
  workDir: string,
  filterArgs: readonly string[],
  ssh: SshSettings,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ListedEntry[] | undefined> {
  const sink = await stdoutFile();
  if (!sink) return undefined;
  try {
    const src = `${endpoint(host, workDir.replace(/\/+$/, ''))}/`;
    const argv = ['rsync', '-e', rsyncRsh(ssh), '-r', '-s', '--list-only', ...filterArgs];
    const r = await runCommand([...argv, '--', src], {
      timeoutMs,
      env: { ...(ssh.env ?? process.env), LC_ALL: 'C', TZ: 'UTC' },
      stdoutFd: sink.file.fd,
      signal,
    });
    if (r.code !== 0) return undefined;
    const { size } = await sink.file.stat();
    return parseListOnly(await readTail(sink.file, size, 'latin1'));
  } finally {
    await sink.remove();
  }
}

/** Files opened (and closed, nothing read) to probe the file system's round trip. */
const PROBE_FILES = 16;
/** Directories read, breadth first, to find them. */
const PROBE_DIRS = 8;

/**
 * The shortest time, in µs, to open and close a file under `root` (up to PROBE_FILES of them,
 * one at a time, found within PROBE_DIRS directory reads): on a local disk (page cache) or
 * tmpfs a few µs; on Lustre, GPFS or NFS a round trip to a server (NFS revalidates on open
 * even where READDIRPLUS has filled its attribute cache), which is what parallel streams
 * hide. Synchronous calls, timed around the system call alone (through the thread pool a
 * busy machine adds its own wait), and the shortest: load only adds to it. Cheap enough to
 * run before deciding whether the tree is worth a walk. undefined when no file was found.
 */
export async function openLatencyUs(root: string): Promise<number | undefined> {
  const dirs = [Buffer.from(root.replace(/\/+$/, '') || '/')];
  const files: Buffer[] = [];
  for (let read = 0; read < PROBE_DIRS && dirs.length > 0 && files.length < PROBE_FILES; read++) {
    const dir = dirs.shift() as Buffer;
    let entries: Dirent<Buffer>[];
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      continue;
    }
    for (const d of entries) {
      const p = Buffer.concat([dir, Buffer.from('/'), d.name]);
      if (d.isFile() && files.length < PROBE_FILES) files.push(p);
      else if (d.isDirectory()) dirs.push(p);
    }
  }
  let best: number | undefined;
  for (const name of files) {
    const started = process.hrtime.bigint();
    try {
      closeSync(openSync(name, constants.O_RDONLY | constants.O_NONBLOCK));
    } catch {
      continue;
    }
    const us = Number(process.hrtime.bigint() - started) / 1000;
    best = best === undefined ? us : Math.min(best, us);
  }
  return best;
}
