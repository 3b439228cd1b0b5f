/**
 * Fetch one job's working directory into its destination: locally or over ssh from the main
 * node, with rsync or (locally, without rsync) the built-in copier; under a lock on the
 * destination, within the transfer timeout, retrying transient failures with backoff.
 * The façade: check → lock → plan → run streams → merge. A large tree is split into parts
 * run as parallel streams (plan.ts, streams.ts); a small one is one run of the tool.
 */
import { QQError } from '../domain/errors.js';
import { errorMessage } from '../util/errors.js';
import { isInside } from '../util/paths.js';
import { rsyncFailure, TransferError } from './errors.js';
import { validateDirectory, validateHost } from './locality.js';
import { type HeldLock, withDestinationLock } from './lock/index.js';
import type { ChangedEntry, LeftOut } from './path-filter.js';
import {
  addLocalSizes,
  listLocal,
  listRemote,
  openLatencyUs,
  pruneEmptyDirs,
} from './plan/list.js';
import { type Plan, planParts } from './plan/parts.js';
import { runStreams } from './plan/streams.js';
import { equalJitter, withRetries } from './retry.js';
import { detectRsync, endpoint, type OwnDir } from './rsync/index.js';
import { validateFiles } from './select/files.js';
import { type Selection, selectionOf } from './select/index.js';
import { CONNECT_TIMEOUT_SEC, type SshSettings } from './ssh/index.js';
import {
  copierTransport,
  type Method,
  rsyncTransport,
  type Transport,
  type TransportJob,
} from './transport.js';
import {
  type DisplacedDir,
  displacedName,
  keepDisplaced,
  makeDisplacedDir,
  reservedExclude,
  settleDisplaced,
  settledProblems,
} from './type-change.js';

export { rsyncFailure, TransferError, WorkDirMissingError } from './errors.js';
export { isLocal } from './locality.js';
export { splitFiles } from './select/files.js';

export interface TransferSettings extends SshSettings {
  overwrite: 'newer' | 'always';
  /** Seconds for the whole transfer of one job, retries included. */
  timeoutSec: number;
  retries: number;
  env: NodeJS.ProcessEnv;
  /** Use the built-in copier for local copies even where rsync is installed. */
  forceBuiltin?: boolean;
  /** Local jobs of fewer entries are copied in-process (default IN_PROCESS_BELOW_ENTRIES; 0: never). */
  inProcessBelowEntries?: number;
  /**
   * Parallel streams for a large tree (1 or unset: one run of the tool, as qq); 'auto':
   * AUTO_STREAMS where they pay (over ssh, or a local file system with slow metadata).
   */
  streams?: number | 'auto';
  /** Debug messages (why a tree was or was not split). */
  debug?: (message: string) => void;
  /** At most one progress line per this many ms (default 5000). */
  progressEveryMs?: number;
  /** First backoff in ms (doubles each attempt, at most MAX_BACKOFF_MS; each wait is 50–100 % of it). */
  backoffMs?: number;
  /**
   * Called with the (validated) main node before the first ssh to it: the run opens its shared
   * connection there. Whatever it answers, the transfer goes on and connects by itself.
   */
  connect?: (host: string, timeoutMs: number) => Promise<void>;
  /**
   * The run was cancelled: no new attempt, no retry, no wait for the lock; the transfer
   * throws the signal's reason (the programs themselves are ended by `stopAllCommands`).
   */
  signal?: AbortSignal;
}

export interface TransferRequest {
  workDir: string;
  mainNode: string;
  /** Read the working directory here (shared storage / this host) rather than over ssh. */
  local: boolean;
  destination: string;
  files?: readonly string[];
  /** rsync patterns to leave out (checked: see select.ts), at every level; they win over `files`. */
  exclude?: readonly string[];
  /** Regular files larger than this many bytes are not fetched (rsync --max-size). */
  maxSize?: number;
  /** Each file or symlink written (or that would be, in a dry run), from every attempt and part. */
  onChange?: (entry: ChangedEntry) => void;
  /**
   * What `onChange` told at `rel` (a byte string) or under it is no longer in the destination:
   * a directory of the job removed again to put back a newer file (type-change.ts).
   */
  onRetract?: (rel: string) => void;
  /** The built-in copier hashes large files as it copies them (`sha256` in `onChange`). */
  sha256?: boolean;
  dryRun: boolean;
  settings: TransferSettings;
  onProgress?: (line: string) => void;
  /** Messages about the transfer (waiting for a lock, a retry). */
  onMessage?: (text: string) => void;
}

export interface TransferResult {
  files: number;
  bytes: number;
  method: Method;
  attempts: number;
  /** Parts run as parallel streams (0: one run of the tool). */
  parts: number;
  durationMs: number;
  /** With `max-size`: the files left out for it and their bytes (not known with rsync < 3.1). */
  overMaxSize?: LeftOut;
}

/** rsync's exits after a whole pass in which some entries failed or vanished. */
const RSYNC_PARTIAL = 23;
const RSYNC_VANISHED = 24;

/** The request's values, checked: what may reach rsync, ssh and the file system. */
interface CheckedRequest {
  workDir: string;
  destination: string;
  host: string | undefined;
  files: string[] | undefined;
  /** `files`, `exclude` and `max-size` as one value: rsync's arguments and the walk's filter. */
  selection: Selection;
}

function checkRequest(req: TransferRequest): CheckedRequest {
  const workDir = validateDirectory(req.workDir, 'working directory');
  const destination = validateDirectory(req.destination, 'destination');
  const host = req.local ? undefined : validateHost(req.mainNode);
  const files = req.files ? validateFiles(req.files, workDir) : undefined;
  if (req.local && isInside(destination, workDir)) {
    // A copy into itself would nest deeper on every run (and the copier would recurse).
    throw new QQError(
      `Refusing destination '${destination}': it lies inside the job's working directory '${workDir}'.`,
    );
  }
  const selection = selectionOf({ files, exclude: req.exclude, maxSize: req.maxSize });
  return { workDir, destination, host, files, selection };
}

/** The selection with the run's own directory left out (the copier's and the walks' filter). */
function withoutOwnDir(selection: Selection, name: string): Selection {
  const f = selection.filter;
  return {
    ...selection,
    // Every other field of the filter (maxSize, pruneEmptyDirs, …) as it was.
    filter: { ...f, excludes: (rel, isDir) => rel === name || f.excludes(rel, isDir) },
  };
}

/** Trees with fewer files than this are one stream: below it, listing and spawning cost more than they save. */
export const STREAMS_FROM_FILES = 2000;
/** …or fewer bytes than this (several streams over ssh use several cores to encrypt). */
export const STREAMS_FROM_BYTES = 256 * 1024 ** 2;
/**
 * A local tree whose files open faster than this (µs, the shortest of a few) is on a fast file
 * system (page cache, tmpfs, a local disk): one rsync is as fast as several there, and
 * cheaper (measured: docs/performance-streams.md). Lustre, GPFS and NFS take a round trip.
 */
export const SLOW_OPEN_US = 200;
/**
 * A local job of fewer entries than this (after the selection) is copied in-process by the
 * built-in copier, which is exact as `rsync -rltD` (issue 21): no rsync is spawned. Spawning
 * from a large Node process is most of what a campaign of small jobs costs per job
 * (docs/performance-streams.md §d). Anything out of the plain case — a device or socket, an
 * entry that cannot be read, a type change refused — is left to rsync, whose words qq reports.
 */
export const IN_PROCESS_BELOW_ENTRIES = 256;

/** Whether this small local tree is copied in-process (see above). */
async function copiesInProcess(
  req: TransferRequest,
  c: CheckedRequest,
  below: number,
): Promise<boolean> {
  if (below <= 0) return false;
  // The root counts: undefined once more than below − 1 entries are seen.
  const listing = await listLocal(
    c.workDir,
    c.selection.filter,
    req.settings.signal,
    below - 1,
  ).catch(() => undefined);
  // rsync -D makes devices as root; the copier skips them (and sockets).
  return listing?.every((e) => e.kind !== 'other') === true;
}

/** Streams of `streams: auto` (measured: docs/performance-streams.md). */
export const AUTO_STREAMS = 8;
/** Most entries in one part (fpsync's default) and most bytes (a larger file is a part alone). */
const PART_FILES = 2000;
/**
 * Parts per stream, at least: a stream that finishes early takes the next part, so that the
 * last parts do not run alone (20,000 files on the latency-bound bench file system, 8
 * streams: 10 parts of 2,000 took 18.5 s, 32 parts of 625 took less; docs/performance-streams.md).
 */
const PARTS_PER_STREAM = 4;
/** Fewest entries in a part: 5,000 files in 32 parts of 156 were slower than in 10 of 500. */
const PART_MIN_FILES = 500;
const PART_BYTES = 4 * 1024 ** 3;

/**
 * The parts of a parallel transfer, or undefined for one stream: a dry run, one stream asked
 * for, the copier, a selection the walk cannot apply, a small tree, or a listing that failed
 * (the one stream then reports why, in rsync's words).
 */
async function planJob(
  req: TransferRequest,
  job: TransportJob,
  transport: Transport,
  deadline: number,
): Promise<(Plan & { streams: number }) | undefined> {
  const auto = req.settings.streams === 'auto';
  const streams = auto ? AUTO_STREAMS : ((req.settings.streams as number | undefined) ?? 1);
  if (streams < 2 || req.dryRun || !transport.takesParts) return undefined;
  if (auto) {
    // Over ssh on this VM's loopback several streams lost to one rsync (2.7× slower for
    // 20,000 files: two cores encrypting for eight); locally, a fast file system is not
    // worth even the walk. Only a slow local file system is split without being asked.
    if (job.host) return undefined;
    const us = await openLatencyUs(job.workDir);
    req.settings.debug?.(
      `open takes ${us?.toFixed(0) ?? '?'} µs here: ${us !== undefined && us >= SLOW_OPEN_US ? 'a slow file system, parallel streams' : 'one rsync'} (streams from ${SLOW_OPEN_US} µs)`,
    );
    if (us === undefined || us < SLOW_OPEN_US) return undefined;
  }
  // The rules only: --max-size is left to each part's rsync, which counts what it leaves out.
  const rules = [
    ...(job.ownDir ? [reservedExclude(job.ownDir.name)] : []),
    ...job.selection.rsyncArgs.filter((arg) => !arg.startsWith('--max-size=')),
  ];
  const filter = job.selection.filter;
  const listing = job.host
    ? await listRemote(
        job.host,
        job.workDir,
        rules,
        job.ssh,
        Math.max(deadline - Date.now(), 1000),
        req.settings.signal,
      )
    : await listLocal(
        job.workDir,
        { excludes: (rel, isDir) => filter.excludes(rel, isDir) },
        req.settings.signal,
      ).catch(() => undefined);
  if (!listing) return undefined;
  if (filter.pruneEmptyDirs) pruneEmptyDirs(listing);
  if (!job.host && listing.filter((e) => e.kind === 'file').length < STREAMS_FROM_FILES) {
    // Few files: their bytes decide (the local listing has no sizes; a remote one has).
    await addLocalSizes(job.workDir, listing, STREAMS_FROM_BYTES, req.settings.signal);
  }
  const plan = planParts(listing, {
    maxFiles: PART_FILES,
    maxBytes: PART_BYTES,
    minParts: streams * PARTS_PER_STREAM,
    minFiles: PART_MIN_FILES,
  });
  const large = plan.files >= STREAMS_FROM_FILES || plan.bytes >= STREAMS_FROM_BYTES;
  if (!large || plan.parts.length < 2) return undefined;
  return { ...plan, streams };
}

/** Fetch one job's working directory, retrying transient failures, under the destination's lock. */
export async function transferJob(req: TransferRequest): Promise<TransferResult> {
  const started = Date.now();
  const s = req.settings;
  const c = checkRequest(req);
  const capabilities = req.local && s.forceBuiltin ? undefined : await detectRsync(s.env);
  const builtin = req.local && (s.forceBuiltin || !capabilities);
  const transport = builtin ? copierTransport : rsyncTransport(capabilities, Boolean(c.host));
  const below = s.inProcessBelowEntries ?? IN_PROCESS_BELOW_ENTRIES;
  const inProcess = req.local && !builtin && (await copiesInProcess(req, c, below));
  if (inProcess) {
    s.debug?.(`'${c.workDir}': fewer than ${below} entries, copied in-process (no rsync spawned)`);
  }
  let method: Method = transport.method;
  /** The job; under the lock, with the run's own directory (type-change.ts) left out. */
  const jobFor = (ownDir?: OwnDir): TransportJob => ({
    ...c,
    selection: ownDir ? withoutOwnDir(c.selection, ownDir.name) : c.selection,
    overwrite: s.overwrite,
    dryRun: req.dryRun,
    ssh: s,
    timeoutSec: s.timeoutSec,
    progressEveryMs: s.progressEveryMs,
    onMessage: req.onMessage,
    onChange: req.onChange,
    sha256: req.sha256,
    ...(ownDir ? { ownDir } : {}),
  });
  const deadline = started + s.timeoutSec * 1000;
  if (c.host && s.connect) {
    const connectSec = s.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC;
    await s.connect(
      c.host,
      Math.max(Math.min((connectSec + 5) * 1000, deadline - Date.now()), 1000),
    );
  }
  const whole = (job: TransportJob) =>
    withRetries(
      () =>
        transport.attempt(job, {
          remainingMs: deadline - Date.now(),
          signal: s.signal,
          onProgress: req.onProgress,
        }),
      {
        retries: s.retries,
        deadline,
        firstBackoffMs: s.backoffMs,
        jitter: equalJitter,
        signal: s.signal,
        retryable: (e) => e instanceof TransferError && e.transient,
        onRetry: (n, e, wait) =>
          req.onMessage?.(
            `Attempt ${n} failed (${errorMessage(e)}); retrying in ${(wait / 1000).toFixed(1)} s.`,
          ),
      },
    );
  let parts = 0;
  /**
   * A small local job: one pass of the copier. If it meets anything but the plain case it
   * stops there and rsync runs the job (what the copier wrote is up to date for rsync's quick
   * check; its files are counted with rsync's), so that a failure is told in rsync's words.
   */
  const inProcessFirst = async (job: TransportJob, beforeRsync: () => Promise<void>) => {
    const written = { files: 0, bytes: 0 };
    // A dry run's entries are told once the copier has gone through: after a fallback, rsync's
    // dry run names them all again.
    const held: ChangedEntry[] = [];
    try {
      const out = await copierTransport.attempt(
        {
          ...job,
          onChange: (entry) => {
            if (job.dryRun) {
              held.push(entry);
              return;
            }
            if (entry.kind === 'file') {
              written.files++;
              written.bytes += entry.size;
            }
            job.onChange?.(entry);
          },
        },
        { remainingMs: deadline - Date.now(), signal: s.signal, onProgress: req.onProgress },
      );
      for (const entry of held) job.onChange?.(entry);
      method = 'in-process copy';
      return { ...out, attempts: 1 };
    } catch (e) {
      s.signal?.throwIfAborted();
      if (Date.now() >= deadline) throw e;
      s.debug?.(`The in-process copy stopped (${errorMessage(e)}); rsync runs the job.`);
      await beforeRsync();
      const out = await whole(job);
      return {
        ...out.value,
        attempts: out.attempts,
        files: out.value.files + written.files,
        bytes: out.value.bytes + written.bytes,
      };
    }
  };
  const run = async (job: TransportJob, beforeRsync = async () => {}) => {
    if (inProcess) return inProcessFirst(job, beforeRsync);
    await beforeRsync();
    const plan = await planJob(req, job, transport, deadline);
    if (!plan) {
      const out = await whole(job);
      return { ...out.value, attempts: out.attempts };
    }
    parts = plan.parts.length;
    req.onMessage?.(
      `${plan.files} files: fetched as ${parts} parts, ${plan.streams} streams at once.`,
    );
    return runStreams(transport, job, plan, {
      streams: plan.streams,
      deadline,
      retries: s.retries,
      backoffMs: s.backoffMs,
      signal: s.signal,
      onProgress: req.onProgress,
      onMessage: req.onMessage,
    });
  };
  /**
   * rsync moves aside what it replaces into the run's own backup directory (type-change.ts),
   * made before rsync first runs: once the whole job has run, in one stream or many, each such
   * entry is put back (a newer file where the job has a directory: refused and named) or
   * removed, and what was written under a directory removed again is no longer reported.
   */
  const runSettled = async (lock: HeldLock) => {
    const ownDir: OwnDir = {
      name: displacedName(lock.token),
      backup: !builtin && s.overwrite === 'newer',
    };
    const job = jobFor(ownDir);
    if (!ownDir.backup) return run(job);
    let made: DisplacedDir | undefined;
    const beforeRsync = async () => {
      if (made) return;
      try {
        const m = await makeDisplacedDir(c.destination, ownDir.name);
        made = m.dir;
        await lock.recordDisplaced(m.st);
      } catch (e) {
        throw new QQError(
          `Cannot write to the destination '${c.destination}': ${errorMessage(e)}.`,
        );
      }
    };
    let failure: unknown;
    let failed = false;
    let value: Awaited<ReturnType<typeof run>> | undefined;
    try {
      value = await run(job, beforeRsync);
    } catch (e) {
      failed = true;
      failure = e;
    }
    if (!made) {
      if (failed) throw failure;
      return value as Awaited<ReturnType<typeof run>>;
    }
    // rsync went through the whole tree (exit 0, or 23/24: some entries failed): the
    // directories it made have the job's times. Otherwise every displaced entry is put back.
    const exit = failure instanceof TransferError ? failure.rsyncExit : undefined;
    const complete = !failed || exit === RSYNC_PARTIAL || exit === RSYNC_VANISHED;
    const settled = await settleDisplaced(c.destination, made, {
      runFailed: !complete,
      refuse: true,
    }).catch(async (e: unknown) => {
      // Cannot read or move (permissions, the disk): nothing of the user's hidden away.
      const kept = await keepDisplaced(c.destination, made?.name ?? ownDir.name);
      throw new TransferError(
        `Cannot put back what rsync moved aside in '${c.destination}' (${errorMessage(e)}): it is kept in '${kept}' there.`,
        false,
      );
    });
    for (const r of settled.removed) {
      req.onRetract?.(r.rel);
      if (value) {
        value = { ...value, files: value.files - r.files, bytes: value.bytes - r.bytes };
      }
    }
    const lines = [...settled.refused];
    const problems = settledProblems(settled);
    if (problems) {
      req.onMessage?.(problems);
      lines.push(problems.replace(/\.$/, ''));
    }
    if (failed && (lines.length === 0 || !(failure instanceof Error))) throw failure;
    if (failed) {
      const message = (failure as Error).message.replace(/\.$/, '');
      const hint = failure instanceof TransferError ? failure.hint : undefined;
      throw new TransferError(`${message}\n${lines.join('\n')}.`, false, undefined, hint);
    }
    if (lines.length > 0) {
      throw new TransferError(
        rsyncFailure(endpoint(c.host, c.workDir), c.destination, lines.join('\n')),
        false,
      );
    }
    return value as Awaited<ReturnType<typeof run>>;
  };
  const out = req.dryRun
    ? await run(jobFor())
    : await withDestinationLock(c.destination, runSettled, {
        timeoutMs: s.timeoutSec * 1000,
        onWait: () =>
          req.onMessage?.(`Waiting for another sync into '${c.destination}' to finish.`),
        onLost: (reason) => req.onMessage?.(reason),
        onMessage: (text) => req.onMessage?.(text),
        signal: s.signal,
      });
  return {
    files: out.files,
    bytes: out.bytes,
    method,
    attempts: out.attempts,
    parts,
    durationMs: Date.now() - started,
    ...(out.overMaxSize ? { overMaxSize: out.overMaxSize } : {}),
  };
}
