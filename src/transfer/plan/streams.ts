/**
 * Runs a plan's parts (parts.ts) as parallel streams of one transport, within one budget:
 * at most `streams` at once, the job's one deadline, the run's cancel. A part that fails for
 * a transient reason is retried alone, with backoff; an error that may not be retried stops
 * the other streams (their process groups are ended) and is the job's error. Counts are
 * summed once, from each part's final attempt; progress is one line for the whole job.
 */
import { setMaxListeners } from 'node:events';
import { lstat, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { mapLimit } from '../../util/pool.js';
import { fsTimeSec } from '../../util/times.js';
import type { Job } from '../job.js';
import { rsyncTempTarget } from '../lock/leftovers.js';
import { noteLeftOut } from '../path-filter.js';
import { retryTransfer } from '../retry.js';
import type { Counts, Transport } from '../transport.js';
import type { StreamsPlan } from './index.js';
import { warmLookups } from './list.js';
import { Progress } from './progress.js';

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

/** What every part of one run shares: the transport, the job, the plan, the stop, the progress. */
interface Run {
  transport: Transport;
  job: Job;
  plan: StreamsPlan;
  /** The directory of the parts' lists. */
  dir: string;
  /** The run's cancel and the stop of the other streams. */
  signal: AbortSignal;
  progress: Progress;
  attempts: number;
}

/**
 * Lookups in flight ahead of each part's rsync on a slow local file system (plan.lookAhead).
 * rsync looks its names up one at a time: this many at once, through Node's thread pool,
 * leave its own lstats and opens finding them in the kernel's cache. The bench's latency-bound
 * file system, 5,000 files, 2 streams, with parts of 250 (index.ts), old code against new,
 * alternating, medians of 4 at load 6–9: cold 10.0 → 8.1 s, warm no change (11.3 and 11.6 s);
 * 16 at once was no better (docs/performance.md).
 */
const LOOK_AHEAD = 8;

/** One part (or the directories' pass, `i` −1): its list written, run with its own retries. */
async function runPart(run: Run, name: string, paths: readonly string[], i: number) {
  const { job, plan } = run;
  const filesFrom = path.join(run.dir, name);
  await writeFile(filesFrom, listBytes(paths), { mode: 0o600 });
  const since = Date.now();
  // Looked up from the listed names (metadata only, nothing read, the result dropped), and
  // stopped when the part ends: no lookup outlives its part.
  const looked = new AbortController();
  const warmed =
    plan.lookAhead && i >= 0
      ? warmLookups(job.workDir, paths, LOOK_AHEAD, AbortSignal.any([run.signal, looked.signal]))
      : undefined;
  const out = await retryTransfer(
    () =>
      run.transport.attempt(job, {
        remainingMs: job.deadline - Date.now(),
        signal: run.signal,
        filesFrom,
        onProgress: (line) => run.progress.part(i, line),
      }),
    { ...job, signal: run.signal },
    { index: i, of: plan.parts.length },
  )
    .catch(async (e: unknown) => {
      // Stopped (a cancel, another part's error) or failed for good: no debris of its rsync.
      if (!job.dryRun) await removeLeftTemps(job.destination, paths, since);
      throw e;
    })
    .finally(async () => {
      looked.abort();
      await warmed;
    });
  run.attempts = Math.max(run.attempts, out.attempts);
  run.progress.finished(i, out.value);
  return out.value;
}

/** The counts of the parts that finished, summed. */
function sum(settled: readonly ({ counts: Counts } | { error: unknown })[]): Counts {
  const total: Counts = { files: 0, bytes: 0 };
  for (const s of settled) {
    if (!('counts' in s)) continue;
    total.files += s.counts.files;
    total.bytes += s.counts.bytes;
    const over = s.counts.overMaxSize;
    if (over) {
      total.overMaxSize ??= { files: 0, bytes: 0 };
      total.overMaxSize.files += over.files;
      total.overMaxSize.bytes += over.bytes;
      for (const n of over.names ?? []) noteLeftOut(total.overMaxSize, n);
    }
  }
  return total;
}

export async function runStreams(
  transport: Transport,
  job: Job,
  plan: StreamsPlan,
): Promise<Counts & { attempts: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'qq-sync-parts-'));
  // The first error that may not be retried; it stops the other streams.
  const stop = new AbortController();
  const signal = job.signal ? AbortSignal.any([job.signal, stop.signal]) : stop.signal;
  // Every running stream listens to it (its rsync's kill): many listeners are expected.
  setMaxListeners(0, signal);
  const progress = new Progress(plan, plan.streams, job.progressEveryMs, job.onProgress);
  const run: Run = { transport, job, plan, dir, signal, progress, attempts: 1 };
  try {
    // Directories first (none is made by two streams at once), and last (their mtimes).
    if (plan.dirs.length > 0) await runPart(run, 'dirs', plan.dirs, -1);
    const settled = await mapLimit(plan.parts, plan.streams, (part, i) =>
      runPart(run, `part-${i}`, part.paths, i).then(
        (counts) => ({ counts }),
        (error: unknown) => {
          // The first error ends the others; theirs ("killed") are not the job's error.
          if (!stop.signal.aborted) stop.abort(error);
          return { error };
        },
      ),
    );
    job.signal?.throwIfAborted();
    if (stop.signal.aborted) throw stop.signal.reason;
    if (plan.dirs.length > 0) await runPart(run, 'dirs', plan.dirs, -1);
    // The root cannot be a name in a part (rsync's `-d` would copy its files with it): its
    // mtime is set here, as one rsync sets it at its end.
    if (plan.rootMtimeSec !== undefined) {
      await utimes(job.destination, new Date(), fsTimeSec(plan.rootMtimeSec));
    }
    return { ...sum(settled), attempts: run.attempts };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
