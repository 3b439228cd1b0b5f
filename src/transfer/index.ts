/**
 * Fetch one job's working directory into its destination: locally or over ssh from the main
 * node, with rsync or (locally, without rsync) the built-in copier; under a lock on the
 * destination, within the transfer timeout, retrying transient failures with backoff.
 */
import * as path from 'node:path';
import { QQError } from '../domain/errors.js';
import { errorMessage } from '../util/errors.js';
import { copyTree } from './copier.js';
import { rsyncFailure, TransferError } from './errors.js';
import { validateFiles } from './files.js';
import { validateDirectory, validateHost } from './locality.js';
import { makeDestination, withDestinationLock } from './lock.js';
import type { ChangedEntry } from './path-filter.js';
import { equalJitter, withRetries } from './retry.js';
import { detectRsync, endpoint, type RsyncCapabilities, runRsync } from './rsync.js';
import { type Selection, selectionOf } from './select.js';
import { CONNECT_TIMEOUT_SEC, type SshSettings } from './ssh.js';
import { settleDisplaced } from './type-change.js';

/** rsync's exits after a whole pass in which some entries failed or vanished. */
const RSYNC_PARTIAL = 23;
const RSYNC_VANISHED = 24;

export { rsyncFailure, TransferError, WorkDirMissingError } from './errors.js';
export { splitFiles } from './files.js';
export { isLocal } from './locality.js';

export interface TransferSettings extends SshSettings {
  overwrite: 'newer' | 'always';
  /** Seconds for the whole transfer of one job, retries included. */
  timeoutSec: number;
  retries: number;
  env: NodeJS.ProcessEnv;
  /** Use the built-in copier for local copies even where rsync is installed. */
  forceBuiltin?: boolean;
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
  /** Each file or symlink written (or that would be, in a dry run), from every attempt. */
  onChange?: (entry: ChangedEntry) => void;
  /** The built-in copier hashes each file as it copies it (`sha256` in `onChange`); rsync cannot. */
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
  method: 'rsync' | 'rsync over ssh' | 'built-in copier';
  attempts: number;
  durationMs: number;
  /** With `max-size`: the files left out for it and their bytes (not known with rsync < 3.1). */
  overMaxSize?: { files: number; bytes: number };
}

type AttemptOutcome = Pick<TransferResult, 'files' | 'bytes' | 'overMaxSize'>;

function isInside(child: string, parent: string): boolean {
  const rel = path.posix.relative(path.posix.normalize(parent), path.posix.normalize(child));
  return rel !== '' && rel !== '..' && !rel.startsWith('../') && !path.posix.isAbsolute(rel);
}

/** The request's values, checked: what may reach rsync, ssh and the file system. */
interface CheckedRequest {
  workDir: string;
  destination: string;
  host: string | undefined;
  files: string[] | undefined;
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

/** One attempt with the built-in copier, stopped at `remainingMs`. */
async function copyOnce(
  req: TransferRequest,
  c: CheckedRequest,
  remainingMs: number,
): Promise<AttemptOutcome> {
  const s = req.settings;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(remainingMs, 1));
  try {
    const out = await copyTree(c.workDir, c.destination, {
      overwrite: s.overwrite,
      dryRun: req.dryRun,
      signal: s.signal ? AbortSignal.any([controller.signal, s.signal]) : controller.signal,
      onProgress: req.onProgress,
      progressEveryMs: s.progressEveryMs,
      filter: c.selection.filter,
      onChange: req.onChange,
      sha256: req.sha256,
    });
    if (out.skippedSpecial > 0) {
      const shown = out.skippedNames.join("', '");
      req.onMessage?.(
        `Skipped ${out.skippedSpecial} device or socket file(s) ('${shown}'${out.skippedSpecial > out.skippedNames.length ? ', …' : ''}): the built-in copier does not recreate them.`,
      );
    }
    if (out.problemCount > 0) {
      // rsync's exit 23: everything else was copied; the run fails naming what was not.
      throw new TransferError(
        rsyncFailure(c.workDir, c.destination, `${out.problems} (built-in copier)`),
        false,
      );
    }
    return {
      files: out.files,
      bytes: out.bytes,
      ...(req.maxSize === undefined ? {} : { overMaxSize: out.overMaxSize }),
    };
  } catch (e) {
    s.signal?.throwIfAborted();
    const fail = (detail: string) =>
      new TransferError(rsyncFailure(c.workDir, c.destination, detail), false);
    if (controller.signal.aborted) {
      throw fail(`Connection timed out after ${s.timeoutSec} seconds`);
    }
    if (e instanceof QQError) throw e;
    // A file-system error (no space, permission denied, read-only): qq's form, not retried.
    throw fail(`${errorMessage(e)} (built-in copier)`);
  } finally {
    clearTimeout(timer);
  }
}

/** One attempt with rsync (locally or over ssh), stopped at `remainingMs`. */
async function rsyncOnce(
  req: TransferRequest,
  c: CheckedRequest,
  remainingMs: number,
  capabilities: RsyncCapabilities | undefined,
): Promise<AttemptOutcome> {
  const s = req.settings;
  if (!req.dryRun) await makeDestination(c.destination);
  const job = { ...c, overwrite: s.overwrite, dryRun: req.dryRun, ssh: s };
  const run = runRsync(job, {
    timeoutMs: Math.max(remainingMs, 1000),
    timeoutSec: s.timeoutSec,
    onProgress: req.onProgress,
    progressEveryMs: s.progressEveryMs,
    capabilities,
    onChange: req.onChange,
  });
  if (req.dryRun) return run;
  // What rsync moved aside (type-change.ts), this run or a killed one: put back or removed.
  const out = await run.catch((e: unknown) => e as Error);
  // rsync went through the whole tree (exit 0, or 23/24: some entries failed): the directories
  // it made have the job's times. Otherwise every displaced entry is put back.
  const exit = out instanceof TransferError ? out.rsyncExit : undefined;
  const whole = !(out instanceof Error) || exit === RSYNC_PARTIAL || exit === RSYNC_VANISHED;
  const refused = await settleDisplaced(c.destination, {
    runFailed: !whole,
    refuse: s.overwrite === 'newer',
  });
  if (out instanceof Error && refused.length === 0) throw out;
  if (out instanceof Error) {
    throw new TransferError(`${out.message.replace(/\.$/, '')}\n${refused.join('\n')}.`, false);
  }
  if (refused.length > 0) {
    throw new TransferError(
      rsyncFailure(endpoint(c.host, c.workDir), c.destination, refused.join('\n')),
      false,
    );
  }
  return out;
}

/** Fetch one job's working directory, retrying transient failures, under the destination's lock. */
export async function transferJob(req: TransferRequest): Promise<TransferResult> {
  const started = Date.now();
  const s = req.settings;
  const c = checkRequest(req);
  const capabilities = req.local && s.forceBuiltin ? undefined : await detectRsync(s.env);
  const builtin = req.local && (s.forceBuiltin || !capabilities);
  const method: TransferResult['method'] = builtin
    ? 'built-in copier'
    : c.host
      ? 'rsync over ssh'
      : 'rsync';
  const deadline = started + s.timeoutSec * 1000;
  if (c.host && s.connect) {
    const connectSec = s.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC;
    await s.connect(
      c.host,
      Math.max(Math.min((connectSec + 5) * 1000, deadline - Date.now()), 1000),
    );
  }
  const attempt = () => {
    const remaining = deadline - Date.now();
    return builtin ? copyOnce(req, c, remaining) : rsyncOnce(req, c, remaining, capabilities);
  };
  const run = () =>
    withRetries(attempt, {
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
    });
  const out = req.dryRun
    ? await run()
    : await withDestinationLock(c.destination, run, {
        timeoutMs: s.timeoutSec * 1000,
        onWait: () =>
          req.onMessage?.(`Waiting for another sync into '${c.destination}' to finish.`),
        onLost: (reason) => req.onMessage?.(reason),
        onMessage: (text) => req.onMessage?.(text),
        signal: s.signal,
      });
  return {
    files: out.value.files,
    bytes: out.value.bytes,
    method,
    attempts: out.attempts,
    durationMs: Date.now() - started,
    ...(out.value.overMaxSize ? { overMaxSize: out.value.overMaxSize } : {}),
  };
}
