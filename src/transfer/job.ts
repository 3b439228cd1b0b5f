/**
 * The request a caller makes (TransferRequest), what it gets back (TransferResult), and the one
 * shape every step after the check works on (Job): the request's values checked — what may
 * reach rsync, ssh and the file system — together with the settings that apply to all attempts.
 */
import { QQError } from '../domain/errors.js';
import { isInside } from '../util/paths.js';
import { validateDirectory, validateHost } from './locality.js';
import type { ChangedEntry, LeftOut } from './path-filter.js';
import type { OwnDir } from './rsync/index.js';
import { validateFiles } from './select/files.js';
import { type Selection, selectionOf } from './select/index.js';
import type { SshSettings } from './ssh/index.js';
import type { Method } from './transport.js';

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
  /** Each rsync's --bwlimit in KiB/s (its share of the step's `bwlimit`); undefined: none. */
  bwlimitKiB?: number;
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
  /** rsync patterns to leave out (checked: see select/), at every level; they win over `files`. */
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

/** One job as every step after the check sees it: checked values and the run's settings. */
export interface Job {
  workDir: string;
  destination: string;
  /** undefined: read locally. */
  host: string | undefined;
  files: string[] | undefined;
  /** `files`, `exclude` and `max-size` as one value: rsync's arguments and the walk's filter. */
  selection: Selection;
  overwrite: 'newer' | 'always';
  dryRun: boolean;
  /** The request's settings whole (rsync and ssh read theirs from it). */
  ssh: TransferSettings;
  /** The configured transfer timeout, for qq's message. */
  timeoutSec: number;
  /** Epoch ms: the end of the transfer timeout, for every attempt, part and retry. */
  deadline: number;
  retries: number;
  backoffMs?: number;
  /** The run's cancel. */
  signal?: AbortSignal;
  progressEveryMs?: number;
  onProgress?: (line: string) => void;
  onMessage?: (text: string) => void;
  /** Each file or symlink written (or that would be, in a dry run). */
  onChange?: (entry: ChangedEntry) => void;
  onRetract?: (rel: string) => void;
  /** The copier hashes large files as it copies them (`sha256` in `onChange`). */
  sha256?: boolean;
  /** The run's own directory in the destination: left out; rsync's --backup-dir (type-change.ts). */
  ownDir?: OwnDir;
  /** rsync's --bwlimit in KiB/s (the copier does not throttle). */
  bwlimitKiB?: number;
}

/** The check: the request's paths, host and selection, or the error qq would give. */
export function checkJob(req: TransferRequest, started: number): Job {
  const s = req.settings;
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
  return {
    workDir,
    destination,
    host,
    files,
    selection,
    overwrite: s.overwrite,
    dryRun: req.dryRun,
    ssh: s,
    timeoutSec: s.timeoutSec,
    deadline: started + s.timeoutSec * 1000,
    retries: s.retries,
    backoffMs: s.backoffMs,
    signal: s.signal,
    progressEveryMs: s.progressEveryMs,
    onProgress: req.onProgress,
    onMessage: req.onMessage,
    onChange: req.onChange,
    onRetract: req.onRetract,
    sha256: req.sha256,
    ...(s.bwlimitKiB ? { bwlimitKiB: s.bwlimitKiB } : {}),
  };
}

/** The job with the run's own directory (type-change.ts) left out of its selection. */
export function withOwnDir(job: Job, ownDir: OwnDir): Job {
  const f = job.selection.filter;
  const name = ownDir.name;
  return {
    ...job,
    // Every other field of the filter (maxSize, pruneEmptyDirs, …) as it was.
    selection: {
      ...job.selection,
      filter: { ...f, excludes: (rel, isDir) => rel === name || f.excludes(rel, isDir) },
    },
    ownDir,
  };
}
