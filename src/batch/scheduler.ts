/**
 * The one door to the scheduler's commands (qstat, scontrol, sacct): argv arrays through
 * runCommand, with the context's timeout, qq's reading of failures, and job-id validation.
 * (Tests and the benchmark count calls from outside, with wrappers on PATH.)
 */
import { InputError, QQError } from '../domain/errors.js';
import { type RunOptions, type RunResult, runCommand } from '../exec/run.js';
import type { BatchContext } from './types.js';

/** `30 s`, `0.5 s`. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : Number(s.toFixed(1))} s`;
}

/**
 * Bytes of a scheduler command's stdout read at most (qstat/sacct for 500 jobs are a few MiB);
 * a command that prints more is killed and its answer not used, so that a runaway scheduler
 * cannot take the action's memory (a 100 MB answer once took Node to 816 MiB).
 */
export const SCHEDULER_OUTPUT_BYTES = 64 * 1024 * 1024;
/** Bytes read at most of `scontrol show job` listing every job of the cluster (streamed). */
export const SCONTROL_ALL_JOBS_BYTES = 512 * 1024 * 1024;

export interface SchedulerRunOptions {
  /** Bytes of stdout read at most (default SCHEDULER_OUTPUT_BYTES). */
  maxStdout?: number;
  /** Stream stdout line by line to `onStdoutLine` and keep none of it (a huge listing). */
  onStdoutLine?: RunOptions['onStdoutLine'];
}

/** The start of an answer, for a message: one line, at most 60 characters, JSON-quoted. */
export function sample(text: string): string {
  const line = text.trim().split(/\r?\n/, 1)[0] ?? '';
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
}

/**
 * Why an answer that exited 0 holds no record, for the warning: `qstat printed no job record
 * (exit 0, 12 bytes: "garbage")`, or `… printed nothing (exit 0)`.
 */
export function noRecordReason(name: string, result: RunResult): string {
  const bytes = Buffer.byteLength(result.stdout);
  return bytes === 0 || result.stdout.trim() === ''
    ? `${name} printed nothing (exit ${result.code})`
    : `${name} printed no job record (exit ${result.code}, ${bytes} bytes: ${sample(result.stdout)})`;
}

/**
 * Run one scheduler command. A command that cannot be started or that times out is a
 * QQError naming it; any exit code is returned to the caller to interpret (qq treats a
 * non-zero qstat/scontrol/sacct as "no information", not as an error).
 */
export async function runScheduler(
  argv: readonly string[],
  ctx: BatchContext,
  options: SchedulerRunOptions = {},
): Promise<RunResult> {
  const command = argv.join(' ');
  const maxStdout = options.maxStdout ?? SCHEDULER_OUTPUT_BYTES;
  const result = await runCommand(argv, {
    timeoutMs: ctx.timeoutMs,
    env: ctx.env,
    maxBuffer: maxStdout,
    maxStdout,
    ...(options.onStdoutLine ? { onStdoutLine: options.onStdoutLine, discardStdout: true } : {}),
  });
  const name = argv[0] ?? '';
  if (result.spawnError) {
    const e = result.spawnError;
    ctx.debug(`${command}: could not be started (${e.code ?? e.message})`);
    if (e.code === 'ENOENT') {
      throw new QQError(`Could not run '${name}': command not found.`);
    }
    throw new QQError(`Could not run '${name}': ${e.message}.`);
  }
  if (result.timedOut) {
    ctx.debug(`${command}: timed out after ${formatSeconds(ctx.timeoutMs)}`);
    throw new QQError(`${name} timed out after ${formatSeconds(ctx.timeoutMs)}.`);
  }
  if (result.outputExceeded) {
    ctx.debug(`${command}: killed, ${result.outputExceeded}`);
    throw new QQError(`${name}'s answer was not used: ${result.outputExceeded}.`);
  }
  if (result.code === null) {
    // Killed by a signal we did not send: whatever it printed before may be half a record.
    ctx.debug(`${command}: killed by ${result.signal}`);
    throw new QQError(`${name} was killed by ${result.signal}.`);
  }
  const stderr = result.stderr.trim();
  ctx.debug(
    `${command}: exit ${result.code ?? result.signal} in ${result.durationMs} ms${
      stderr ? ` (stderr: ${stderr.length > 500 ? `${stderr.slice(0, 500)}…` : stderr})` : ''
    }`,
  );
  return result;
}

/** Longest job id accepted (PBS ids with a long server name stay far below). */
export const MAX_JOB_ID_LENGTH = 200;
const JOB_ID = /^[A-Za-z0-9_][A-Za-z0-9._[\]@+-]*$/;

/**
 * Refuse a job id that could be read as an option or holds a character no PBS or Slurm id
 * has (ids are `123`, `123.server`, `123[4].server`, `123_4`, `123+1`, `123@server`).
 * Throws InputError naming the id.
 */
export function validateJobId(id: string): string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InputError('Invalid job id: the job id is empty.');
  }
  if (id.length > MAX_JOB_ID_LENGTH) {
    throw new InputError(
      `Invalid job id '${id.slice(0, 40)}…': longer than ${MAX_JOB_ID_LENGTH} characters.`,
    );
  }
  if (id.startsWith('-')) {
    throw new InputError(`Invalid job id '${id}': a job id cannot start with '-'.`);
  }
  if (!JOB_ID.test(id)) {
    throw new InputError(
      `Invalid job id '${JSON.stringify(id).slice(1, -1)}': a job id may contain only letters, digits and . _ [ ] @ + - (and must start with a letter or digit).`,
    );
  }
  return id;
}

/** Split `items` into chunks of at most `size` (argv length stays bounded). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
