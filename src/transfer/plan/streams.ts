/**
 * Runs a plan's parts (plan.ts) as parallel streams of one transport, within one budget:
 * at most `streams` at once, the job's one deadline, the run's cancel. A part that fails for
 * a transient reason is retried alone, with backoff; an error that may not be retried stops
 * the other streams (their process groups are ended) and is the job's error. Counts are
 * summed once, from each part's final attempt; progress is one line for the whole job.
 */
import { setMaxListeners } from 'node:events';
import { lstat, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { errorMessage } from '../../util/errors.js';
import { mapLimit } from '../../util/pool.js';
import { throttle } from '../../util/throttle.js';
import { fsTimeSec } from '../../util/times.js';
import { TransferError } from '../errors.js';
import { rsyncTempTarget } from '../lock/leftovers.js';
import { noteLeftOut } from '../path-filter.js';
import { equalJitter, withRetries } from '../retry.js';
import type { Counts, Transport, TransportJob } from '../transport.js';
import type { Plan } from './parts.js';

export interface StreamsOptions {
  streams: number;
  /** Epoch ms: the job's transfer timeout, for all parts and their retries. */
  deadline: number;
  retries: number;
  backoffMs?: number;
  /** The run's cancel. */
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  onMessage?: (text: string) => void;
}

/** `1,234,567` as rsync writes byte counts. */
function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/** One progress line for all streams: bytes so far (finished parts plus running ones). */
export class Progress {
  private readonly running = new Map<number, number>();
  private doneBytes = 0;
  private doneParts = 0;
  private readonly offer: ReturnType<typeof throttle>;
  constructor(
    private readonly plan: Plan,
    private readonly streams: number,
    every: number | undefined,
    show: ((line: string) => void) | undefined,
  ) {
    this.offer = throttle(show, every);
  }
  /** An rsync progress2 line of part `i`: its first number is the bytes it has sent. */
  part(i: number, line: string): void {
    if (i < 0) return; // the directories' passes: no bytes
    const bytes = Number(/^[\d,]+/.exec(line)?.[0].replace(/,/g, '') ?? 0);
    this.running.set(i, bytes);
    this.emit();
  }
  finished(i: number, counts: Counts): void {
    if (i < 0) return;
    this.running.delete(i);
    this.doneBytes += counts.bytes;
    this.doneParts++;
    this.emit();
  }
  private emit(): void {
    this.offer(() => this.line());
  }
  private line(): string {
    let bytes = this.doneBytes;
    for (const b of this.running.values()) bytes += b;
    const total = this.plan.bytes;
    // A local listing of many files has no sizes (list.ts): the total is not known then.
    const of =
      total > 0
        ? `${grouped(bytes)} of ${grouped(total)} bytes ${Math.min(100, Math.floor((bytes / total) * 100))}%`
        : `${grouped(bytes)} bytes`;
    return `${of}, part ${this.doneParts}/${this.plan.parts.length} done, ${this.streams} streams`;
  }
}

/**
 * rsync's temporary files for a part's entries that a stopped rsync left behind: an rsync
 * sent SIGTERM between making `.<name>.XXXXXX` and noting it for removal leaves it (seen when
 * four streams of small files are cancelled). Only that exact form, for names of the part,
 * regular files made since the part began: nothing else in the destination is touched.
 */
async function removeLeftTemps(destination: string, paths: readonly string[], since: number) {
  const byDir = new Map<string, Set<string>>();
  for (const rel of paths) {
    const slash = rel.lastIndexOf('/');
    const dir = slash < 0 ? '' : rel.slice(0, slash);
    const names = byDir.get(dir) ?? new Set<string>();
    names.add(rel.slice(slash + 1));
    byDir.set(dir, names);
  }
  for (const [dir, names] of byDir) {
    const inDir = Buffer.concat([
      Buffer.from(destination),
      Buffer.from(dir ? `/${dir}` : '', 'latin1'),
    ]);
    let entries: Buffer[];
    try {
      entries = await readdir(inDir, { encoding: 'buffer' });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const target = rsyncTempTarget(entry.toString('latin1'));
      if (target === undefined || !names.has(target)) continue;
      const file = Buffer.concat([inDir, Buffer.from('/'), entry]);
      const st = await lstat(file).catch(() => undefined);
      if (st?.isFile() && st.ctimeMs >= since - 1000) await rm(file, { force: true });
    }
  }
}

/** The NUL-separated list rsync's `--files-from --from0` reads: the names' exact bytes. */
function listBytes(paths: readonly string[]): Buffer {
  return Buffer.from(`${paths.join('\0')}\0`, 'latin1');
}

export async function runStreams(
  transport: Transport,
  job: TransportJob,
  plan: Plan,
  o: StreamsOptions,
): Promise<Counts & { attempts: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'qq-sync-parts-'));
  // The first error that may not be retried; it stops the other streams.
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  // Every running stream listens to it (its rsync's kill): many listeners are expected.
  setMaxListeners(0, signal);
  const progress = new Progress(plan, o.streams, job.progressEveryMs, o.onProgress);
  let attempts = 1;
  const runPart = async (name: string, paths: readonly string[], i: number) => {
    const filesFrom = path.join(dir, name);
    await writeFile(filesFrom, listBytes(paths), { mode: 0o600 });
    const since = Date.now();
    const out = await withRetries(
      () =>
        transport.attempt(job, {
          remainingMs: o.deadline - Date.now(),
          signal,
          filesFrom,
          onProgress: (line) => progress.part(i, line),
        }),
      {
        retries: o.retries,
        deadline: o.deadline,
        firstBackoffMs: o.backoffMs,
        jitter: equalJitter,
        signal,
        retryable: (e) => e instanceof TransferError && e.transient,
        onRetry: (n, e, wait) =>
          o.onMessage?.(
            `Part ${i + 1} of ${plan.parts.length}: attempt ${n} failed (${errorMessage(e)}); retrying it alone in ${(wait / 1000).toFixed(1)} s.`,
          ),
      },
    ).catch(async (e: unknown) => {
      // Stopped (a cancel, another part's error) or failed for good: no debris of its rsync.
      if (!job.dryRun) await removeLeftTemps(job.destination, paths, since);
      throw e;
    });
    attempts = Math.max(attempts, out.attempts);
    progress.finished(i, out.value);
    return out.value;
  };
  try {
    // Directories first (none is made by two streams at once), and last (their mtimes).
    if (plan.dirs.length > 0) await runPart('dirs', plan.dirs, -1);
    const settled = await mapLimit(plan.parts, o.streams, (part, i) =>
      runPart(`part-${i}`, part.paths, i).then(
        (counts) => ({ counts }),
        (error: unknown) => {
          // The first error ends the others; theirs ("killed") are not the job's error.
          if (!stop.signal.aborted) stop.abort(error);
          return { error };
        },
      ),
    );
    o.signal?.throwIfAborted();
    if (stop.signal.aborted) throw stop.signal.reason;
    if (plan.dirs.length > 0) await runPart('dirs', plan.dirs, -1);
    // The root cannot be a name in a part (rsync's `-d` would copy its files with it): its
    // mtime is set here, as one rsync sets it at its end.
    if (plan.rootMtimeSec !== undefined) {
      await utimes(job.destination, new Date(), fsTimeSec(plan.rootMtimeSec));
    }
    const total: Counts = { files: 0, bytes: 0 };
    for (const s of settled) {
      if ('counts' in s) {
        total.files += s.counts.files;
        total.bytes += s.counts.bytes;
        if (s.counts.overMaxSize) {
          total.overMaxSize ??= { files: 0, bytes: 0 };
          total.overMaxSize.files += s.counts.overMaxSize.files;
          total.overMaxSize.bytes += s.counts.overMaxSize.bytes;
          for (const n of s.counts.overMaxSize.names ?? []) noteLeftOut(total.overMaxSize, n);
        }
      }
    }
    return { ...total, attempts };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
