/**
 * The `rsync/` room: rsync as a Transport (transport.ts) with its settle step (settle.ts: the
 * backup directory of a type change), its command line (argv.ts), the local rsync's
 * capabilities (capabilities.ts), its failures in qq's words (failure.ts), its per-file records
 * (records.ts) and its progress lines (progress.ts). This file runs it once (runRsync).
 *
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
import { type RunResult, runCommand } from '../../exec/run.js';
import { PROGRESS_EVERY_MS, throttle } from '../../util/throttle.js';
import type { ChangedEntry } from '../path-filter.js';
import { rsyncArgv } from './argv.js';
import type { RsyncCapabilities } from './capabilities.js';
import { runFailure } from './failure.js';
import type { RsyncJob, RsyncOutcome } from './job.js';
import { lastProgressLine, readTail, sampleProgress, stdoutFile } from './progress.js';
import { RecordFollower, RecordReader } from './records.js';

export { rsyncArgv } from './argv.js';
export {
  detectRsync,
  MODERN_RSYNC,
  parseRsyncVersion,
  type RsyncCapabilities,
  rsyncInstalled,
} from './capabilities.js';
export { failureMessage, isTransient, RSYNC_EXIT } from './failure.js';
export { endpoint, type OwnDir, type RsyncJob, type RsyncOutcome } from './job.js';
export { lastProgressLine } from './progress.js';

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

/** How often the records rsync wrote so far are read while it runs (ms). */
const FOLLOW_EVERY_MS = 100;

/**
 * Run rsync with its stdout (--info=progress2 writes a record for every file, --stats a block
 * at the end) on a file in a private temporary directory, sampled every `every` ms for `show`,
 * its records read every FOLLOW_EVERY_MS as they come and the counts once at the end: through
 * a pipe every record would wake this process, which slows transfers of many small files. The
 * file holds about 140 bytes per transferred file and is removed. Where no temporary file can
 * be made, the pipe it is.
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
  // The records read as rsync writes them, while it runs: not all of them after it.
  const records = new RecordFollower(sink.file, reader);
  const follow = setInterval(() => void records.pull().catch(() => {}), FOLLOW_EVERY_MS);
  try {
    const r = await runCommand(argv, { ...run, stdoutFd: sink.file.fd });
    stop();
    clearInterval(follow);
    // Also after a failure: what rsync wrote before it is in the destination now.
    await records.finish();
    return { r, stdout: await readTail(sink.file, 64 * 1024) };
  } finally {
    stop();
    clearInterval(follow);
    await records.idle();
    await sink.remove();
  }
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
  const overMaxSize = argv.includes('--info=progress2,skip1,name2');
  const reader = new RecordReader(options.onChange, overMaxSize);
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
  if (overMaxSize) {
    const total = statNumber(stdout, 'Total file size');
    outcome.overMaxSize = {
      files: reader.tally.overMaxSize,
      names: reader.tally.overMaxSizeNames,
      bytes: Math.max(total - reader.tally.listedBytes, 0),
    };
  }
  return outcome;
}
