/**
 * rsync as qq runs it (docs/qq-behaviour.md §6.2): `-rltD`, the source with a trailing slash, no `--delete`;
 * plus `-s` (paths reach the remote side as one word), `--update` for `overwrite: newer`,
 * `--stats` for the counts and `--info=progress2` for progress lines.
 *
 * The local rsync is asked its version once (`rsync --version`): `-s` exists since 3.0.0 (and
 * is `--secluded-args` from 3.2.4 on, with `-s`/`--protect-args` kept as names), so it is
 * always given as `-s`; `--info=progress2` exists since 3.1.0 and is left out before that.
 * rsync older than 3.0.0 cannot protect remote paths from the remote shell: refused for a
 * transfer over ssh. Files are written by rsync's default temporary-file-then-rename (no
 * `--inplace`, no `--partial`): a killed transfer never leaves a half-written file under a
 * final name.
 */
import { QQError } from '../../domain/errors.js';
import { debugMessage, type RunResult, runCommand } from '../../exec/run.js';
import { PROGRESS_EVERY_MS, throttle } from '../../util/throttle.js';
import {
  RSYNC_WORK_DIR_MISSING,
  rsyncFailure,
  TransferError,
  WorkDirMissingError,
} from '../errors.js';
import type { ChangedEntry, LeftOut } from '../path-filter.js';
import { includeFilters, type Selection } from '../select/index.js';
import {
  describeSsh,
  knownHostsFile,
  rsyncRsh,
  type SshSettings,
  withoutSshNotices,
} from '../ssh/index.js';
import { displacedArgs, reservedExclude } from '../type-change.js';
import { lastProgressLine, readTail, sampleProgress, stdoutFile } from './progress.js';
import { OUT_FORMAT, RecordReader, readRecords } from './records.js';

export { lastProgressLine } from './progress.js';

export interface RsyncJob {
  /** undefined: local copy. */
  host?: string;
  workDir: string;
  destination: string;
  /** Relative entries (validated), or undefined for everything. */
  files?: readonly string[];
  /** `files`, `exclude` and `max-size` as rsync arguments (instead of `files` alone). */
  selection?: Pick<Selection, 'rsyncArgs' | 'filter'>;
  overwrite: 'newer' | 'always';
  dryRun: boolean;
  ssh: SshSettings;
  /**
   * One part of a parallel transfer (plan.ts): a file of NUL-separated relative names, each
   * sent alone (`--files-from`, no `-r`: a directory named there is made, not descended).
   */
  filesFrom?: string;
  /**
   * The run's own directory in the destination (type-change.ts): always left out of the
   * transfer; with `backup`, rsync's --backup-dir.
   */
  ownDir?: OwnDir;
}

/** The run's backup directory, relative to the destination; `backup`: rsync moves into it. */
export interface OwnDir {
  name: string;
  backup: boolean;
}

export interface RsyncOutcome {
  files: number;
  bytes: number;
  /** With `max-size`: the files left out for it and their total size (when rsync says). */
  overMaxSize?: LeftOut;
}

/** The `<host>:<path>` or `<path>` form qq uses in its messages (no trailing slash). */
export function endpoint(host: string | undefined, dir: string): string {
  return host ? `${host}:${dir}` : dir;
}

/** The job's source as qq names it in its messages. */
function source(job: RsyncJob): string {
  return endpoint(job.host, job.workDir.replace(/\/+$/, ''));
}

/** What the local rsync can do. */
export interface RsyncCapabilities {
  /** `3.2.7`, as `rsync --version` prints it. */
  version: string;
  /** `-s` (protect-args / secluded-args): rsync 3.0.0 and newer. */
  protectArgs: boolean;
  /** `--info=progress2`: rsync 3.1.0 and newer. */
  progress2: boolean;
}

/** A current rsync (what the argv tests assume). */
export const MODERN_RSYNC: RsyncCapabilities = {
  version: '3.2.7',
  protectArgs: true,
  progress2: true,
};

/** The capabilities from the first line of `rsync --version`, or undefined if unreadable. */
export function parseRsyncVersion(text: string): RsyncCapabilities | undefined {
  const m = /^rsync\s+version\s+v?(\d+)\.(\d+)\.(\d+)/m.exec(text);
  if (!m) return undefined;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const atLeast = (a: number, b: number) => major > a || (major === a && minor >= b);
  return {
    version: `${major}.${minor}.${patch}`,
    protectArgs: atLeast(3, 0),
    progress2: atLeast(3, 1),
  };
}

const detected = new Map<string, Promise<RsyncCapabilities | undefined>>();

/**
 * The local rsync's capabilities, asked once per PATH; undefined when rsync is not installed.
 * An rsync whose version cannot be read is taken as current.
 */
export function detectRsync(
  env: NodeJS.ProcessEnv = process.env,
): Promise<RsyncCapabilities | undefined> {
  const key = env.PATH ?? '';
  let found = detected.get(key);
  if (!found) {
    found = runCommand(['rsync', '--version'], { timeoutMs: 15_000, env }).then((r) => {
      if (r.spawnError) {
        debugMessage('rsync: not installed here; local copies use the built-in copier');
        return undefined;
      }
      const caps = parseRsyncVersion(r.stdout) ?? { ...MODERN_RSYNC, version: 'unknown' };
      debugMessage(
        `rsync ${caps.version} found (${r.stdout.split('\n')[0]?.trim()}): -s ${caps.protectArgs ? 'yes' : 'no'}, --info=progress2 ${caps.progress2 ? 'yes' : 'no'}`,
      );
      return caps;
    });
    detected.set(key, found);
  }
  return found;
}

/**
 * `--info=progress2`; with a size limit also `skip1` (a line per file over it) and `name2`
 * (a record per file looked at, so that the size of what was left out is `Total file size`
 * less the sizes listed: rsync names those files but not their sizes).
 */
function infoFlags(job: RsyncJob): string {
  return job.selection?.filter.maxSize === undefined
    ? '--info=progress2'
    : '--info=progress2,skip1,name2';
}

/**
 * The selection as rsync's arguments. A part of a parallel transfer names its entries in
 * `--files-from`, listed with the same filter already: only `--max-size` is left to apply.
 */
function selectionArgs(job: RsyncJob): readonly string[] {
  if (job.filesFrom) {
    const max = job.selection?.filter.maxSize;
    return max === undefined ? [] : [`--max-size=${max}`];
  }
  return job.selection ? job.selection.rsyncArgs : job.files ? includeFilters(job.files) : [];
}

export function rsyncArgv(job: RsyncJob, caps: RsyncCapabilities = MODERN_RSYNC): string[] {
  const src = `${endpoint(job.host, job.workDir.replace(/\/+$/, ''))}/`;
  if (job.host && !caps.protectArgs) {
    throw new QQError(
      `rsync ${caps.version} on this machine is too old to fetch over ssh safely (it cannot keep paths from the remote shell); rsync 3.0.0 or newer is needed.`,
    );
  }
  return [
    'rsync',
    ...(job.host ? ['-e', rsyncRsh(job.ssh)] : []),
    job.filesFrom ? '-ltD' : '-rltD',
    ...(caps.protectArgs ? ['-s'] : []),
    ...(job.overwrite === 'newer' ? ['--update'] : []),
    ...(job.ownDir?.backup ? displacedArgs(job.ownDir.name) : []),
    ...(job.dryRun ? ['--dry-run'] : []),
    '--stats',
    ...(caps.progress2 ? [infoFlags(job)] : []),
    OUT_FORMAT,
    ...(job.filesFrom ? [`--files-from=${job.filesFrom}`, '--from0'] : []),
    // First: rsync's first matching rule wins, so no `files` entry can bring it in.
    ...(job.ownDir ? [reservedExclude(job.ownDir.name)] : []),
    ...selectionArgs(job),
    '--',
    src,
    job.destination,
  ];
}

function statNumber(stats: string, label: string): number {
  const m = new RegExp(`^${label}: ([\\d,.]+)`, 'm').exec(stats);
  return m ? Number((m[1] as string).replace(/[,.]/g, '')) : 0;
}

/** Files and bytes transferred, from `--stats`. */
export function parseStats(stdout: string): RsyncOutcome {
  return {
    files: statNumber(stdout, 'Number of regular files transferred'),
    bytes: statNumber(stdout, 'Total transferred file size'),
  };
}

/** rsync's exit codes (rsync(1), EXIT VALUES) and the shell's for a missing command. */
export const RSYNC_EXIT = {
  SOCKET_IO: 10,
  PROTOCOL_STREAM: 12,
  TIMEOUT_IN_DATA: 30,
  TIMEOUT_CONNECTING: 35,
  /** `command not found` from the remote shell. */
  COMMAND_NOT_FOUND: 127,
  /** ssh itself failed (rsync passes its 255 on). */
  REMOTE_SHELL_FAILED: 255,
} as const;

/** Exit codes and messages of a failure worth another attempt. */
export function isTransient(code: number | null, stderr: string): boolean {
  if (
    /Host key verification failed|Permission denied|No such file or directory|command not found|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(
      stderr,
    )
  ) {
    return false;
  }
  if (
    code === RSYNC_EXIT.SOCKET_IO ||
    code === RSYNC_EXIT.PROTOCOL_STREAM ||
    code === RSYNC_EXIT.TIMEOUT_IN_DATA ||
    code === RSYNC_EXIT.TIMEOUT_CONNECTING
  ) {
    return true;
  }
  if (code === RSYNC_EXIT.REMOTE_SHELL_FAILED) {
    return /Connection (refused|reset|closed|timed out)|timed out|kex_exchange_identification|No route to host|Network is unreachable|Broken pipe/i.test(
      stderr,
    );
  }
  return false;
}

/** qq's message, and beside it what ssh/rsync users miss most (TransferError's hint). */
export function failureMessage(
  job: RsyncJob,
  stderr: string,
  code: number | null,
): { message: string; hint?: string } {
  const detail = withoutSshNotices(stderr)
    .split('\n')
    .filter(
      (l) => l.trim() && !/^rsync error: .* at (io|main|rsync)\.c/.test(l) && !/^\s*$/.test(l),
    )
    .join('\n')
    .trim();
  const message = rsyncFailure(
    source(job),
    job.destination,
    detail || `rsync exited with code ${code}`,
  );
  if (!job.host) return { message };
  const hints: string[] = [];
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
    hints.push(
      `The host key of '${job.host}' is missing from or differs from ${knownHostsFile(job.ssh)} (strict-host-key-checking: ${job.ssh.strictHostKeyChecking}).`,
    );
  } else if (
    code === RSYNC_EXIT.COMMAND_NOT_FOUND ||
    /rsync: (command )?not found|rsync: No such file or directory/.test(stderr)
  ) {
    hints.push(`rsync is not installed on '${job.host}' (or not on its PATH).`);
  }
  hints.push(`(${describeSsh(job.host, job.ssh)})`);
  return { message, hint: hints.join(' ') };
}

/**
 * Run rsync with its stdout (--info=progress2 writes a record for every file, --stats a block
 * at the end) on a file in a private temporary directory, sampled every `every` ms for `show`
 * and read once at the end for the counts: through a pipe every record would wake this
 * process, which slows transfers of many small files. The file holds about 80 bytes per
 * transferred file and is removed. Where no temporary file can be made, the pipe it is.
 */
async function runWithProgress(
  argv: string[],
  run: { timeoutMs: number; env: NodeJS.ProcessEnv; signal?: AbortSignal },
  every: number,
  show: ((line: string | undefined) => void) | undefined,
  reader: RecordReader,
): Promise<{ r: RunResult; stdout: string }> {
  const sink = await stdoutFile();
  if (!sink) {
    const offer = throttle(show, every);
    const r = await runCommand(argv, {
      ...run,
      onStdoutLine: (line) => {
        reader.line(line);
        offer(() => lastProgressLine(`${line}\n`));
      },
    });
    return { r, stdout: r.stdout };
  }
  const stop = show ? sampleProgress(sink.file, every, show) : () => {};
  try {
    const r = await runCommand(argv, { ...run, stdoutFd: sink.file.fd });
    stop();
    // Also after a failure: what rsync wrote before it is in the destination now.
    await readRecords(sink.file, reader);
    return { r, stdout: await readTail(sink.file, 64 * 1024) };
  } finally {
    stop();
    await sink.remove();
  }
}

/** The error for a run that did not succeed (qq's message; `transient` when worth retrying). */
function runFailure(job: RsyncJob, r: RunResult, timeoutSec: number): TransferError {
  if (r.spawnError) {
    return new TransferError(
      rsyncFailure(source(job), job.destination, 'rsync is not installed here'),
      false,
    );
  }
  if (r.timedOut) {
    return new TransferError(
      rsyncFailure(
        source(job),
        job.destination,
        `Connection timed out after ${timeoutSec} seconds`,
      ),
      true,
    );
  }
  if (r.code === null) {
    // Killed by a signal from outside (not our timeout): say so rather than "code null".
    const f = failureMessage(
      job,
      `${r.stderr}\nrsync was killed by ${r.signal ?? 'a signal'}`,
      null,
    );
    return new TransferError(f.message, false, undefined, f.hint);
  }
  const { message, hint } = failureMessage(job, r.stderr, r.code);
  if (RSYNC_WORK_DIR_MISSING.test(r.stderr)) return new WorkDirMissingError(message, hint);
  return new TransferError(message, isTransient(r.code, r.stderr), r.code, hint);
}

/** One rsync run; throws QQError with qq's message (and `transient` set) on failure. */
export async function runRsync(
  job: RsyncJob,
  options: {
    timeoutMs: number;
    /** The configured transfer timeout, for the message (timeoutMs may be what remains of it). */
    timeoutSec?: number;
    onProgress?: (line: string) => void;
    progressEveryMs?: number;
    capabilities?: RsyncCapabilities;
    /** Each file or symlink rsync writes (or would write, in a dry run), as it goes. */
    onChange?: (entry: ChangedEntry) => void;
    /** Ends this rsync (its process group) early: another stream of the job failed. */
    signal?: AbortSignal;
  },
): Promise<RsyncOutcome> {
  const argv = rsyncArgv(job, options.capabilities);
  // TZ=UTC: the records' mtimes (%M) are printed in rsync's local time.
  const env = { ...(job.ssh.env ?? process.env), LC_ALL: 'C', TZ: 'UTC' };
  const reader = new RecordReader(options.onChange);
  const onProgress = options.onProgress;
  let shown = '';
  const show = onProgress
    ? (line: string | undefined) => {
        if (!line || line === shown) return;
        shown = line;
        onProgress(line);
      }
    : undefined;
  const every = options.progressEveryMs ?? PROGRESS_EVERY_MS;
  const { r, stdout } = await runWithProgress(
    argv,
    { timeoutMs: options.timeoutMs, env, signal: options.signal },
    every,
    show,
    reader,
  );
  if (r.spawnError || r.timedOut || r.code !== 0) {
    throw runFailure(job, r, options.timeoutSec ?? Math.round(options.timeoutMs / 1000));
  }
  const outcome = parseStats(stdout);
  if (argv.includes('--info=progress2,skip1,name2')) {
    const total = statNumber(stdout, 'Total file size');
    outcome.overMaxSize = {
      files: reader.tally.overMaxSize,
      names: reader.tally.overMaxSizeNames,
      bytes: Math.max(total - reader.tally.listedBytes, 0),
    };
  }
  return outcome;
}
