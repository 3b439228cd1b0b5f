/**
 * Why a job failed, for the summary (issue 27): the last lines of its own stderr file and the
 * scheduler's account of it (walltime used of asked, memory, a kill at a limit), from the
 * answer already fetched. The stderr file's name comes from the info file and its content from
 * the job: it is read through src/jobs/job-output.ts only (a regular file inside the directory,
 * no symlink, FIFO or device, at most STDERR_TAIL_BYTES), from the fetched copy first, then in
 * place (the input directory, where qq copies it back when the job ends, then the working
 * directory, here or over ssh). Escaping is the summary's (summary/failures.ts).
 */
import type { JobUsage } from '../../batch/types.js';
import { type JobFileRead, readJobFileHere, readJobFileOver } from '../../jobs/job-output.js';
import { type JobContext, readsLocally, transferSettings } from '../fetch/job-context.js';
import type { Job } from '../jobs/targets.js';
import { endedBadly, type JobResult } from './result.js';

/** At most this much of the end of a stderr file is read (and shown, before escaping). */
export const STDERR_TAIL_BYTES = 4096;
/** Stderr files read per step at most: each may cost an ssh call, and the summary is bounded. */
export const STDERR_JOBS = 20;

export interface StderrTail {
  /** The file's name as the info file gives it (untrusted: escaped where shown). */
  name: string;
  /** The last lines (control characters out), or undefined when not shown. */
  text?: string;
  /** How many lines `text` has, and whether earlier ones were left out. */
  lines: number;
  cut: boolean;
  /** Where it was read: `the fetched copy`, `the input directory`, `the working directory`. */
  where?: string;
  /** Why it is not shown, in words (when `text` is undefined). */
  unavailable?: string;
}

export interface WhyFailed {
  usage?: JobUsage;
  stderr?: StderrTail;
}

/** Terminal escapes (colours, cursor moves) and other control characters but tab and newline. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-_]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** The last `max` lines of what was read; a first line cut by the byte cap is left out. */
export function lastLines(
  bytes: Buffer,
  startedInside: boolean,
  max: number,
): { text: string; lines: number; cut: boolean } {
  let text = bytes.toString('utf8').replace(/\r\n?/g, '\n').replace(ANSI, '').replace(CONTROL, '');
  let cut = startedInside;
  if (startedInside) {
    const nl = text.indexOf('\n');
    text = nl < 0 ? '' : text.slice(nl + 1);
  }
  const all = text.replace(/\n+$/, '').split('\n');
  if (all.length === 1 && all[0] === '') return { text: '', lines: 0, cut };
  const kept = all.slice(-max);
  if (kept.length < all.length) cut = true;
  return { text: kept.join('\n'), lines: kept.length, cut };
}

interface Place {
  where: string;
  read: () => Promise<JobFileRead>;
}

function places(job: Job, result: JobResult, name: string, ctx: JobContext): Place[] {
  const range = { tail: true, max: STDERR_TAIL_BYTES };
  const out: Place[] = [];
  const seen = new Set<string>();
  const local = (dir: string | undefined, where: string) => {
    if (!dir || seen.has(dir)) return;
    seen.add(dir);
    out.push({ where, read: () => readJobFileHere(dir, name, range) });
  };
  if (result.filesSynced > 0 || result.status === 'synced') {
    local(result.destination, 'the fetched copy');
  }
  local(job.info?.inputDir, 'the input directory');
  const workDir = job.info?.workDir;
  const host = job.info?.mainNode;
  if (workDir && !seen.has(workDir)) {
    out.push({
      where: 'the working directory',
      read: async () => {
        if (await readsLocally(job, ctx)) return readJobFileHere(workDir, name, range);
        if (!host) return { ok: false, missing: true, why: 'no main node' };
        ctx.ssh?.use(host);
        return readJobFileOver(host, workDir, name, range, transferSettings(ctx));
      },
    });
  }
  return out;
}

/** Reads the tail of the job's stderr file from the first place that has it. */
async function stderrTail(
  job: Job,
  result: JobResult,
  ctx: JobContext,
  lines: number,
): Promise<StderrTail> {
  const name = job.info?.stderrFile ?? '';
  const none = { name, lines: 0, cut: false };
  if (!name) return { ...none, unavailable: 'the info file names no stderr file' };
  let refusal = '';
  for (const place of places(job, result, name, ctx)) {
    let read: JobFileRead;
    try {
      read = await place.read();
    } catch (e) {
      read = { ok: false, missing: false, why: String(e) };
    }
    if (read.ok) {
      const tail = lastLines(read.bytes, read.start > 0, lines);
      if (tail.lines === 0) return { ...none, where: place.where, unavailable: 'it is empty' };
      return { name, ...tail, where: place.where };
    }
    if (!refusal && (!read.missing || read.why !== 'not found')) {
      refusal = `not read in ${place.where}: ${read.why}`;
    }
  }
  return {
    ...none,
    unavailable:
      refusal || 'not found in the fetched copy, the input directory or the working directory',
  };
}

/**
 * Fills `result.whyFailed` for a job that failed or was killed on the cluster. `budget` counts
 * the stderr files this step may still read (STDERR_JOBS); the account needs no read.
 */
export async function explainFailure(
  job: Job,
  result: JobResult,
  ctx: JobContext,
  budget: { left: number },
): Promise<void> {
  if (!endedBadly(result)) return;
  try {
    await explain(job, result, ctx, budget);
  } catch {
    // The summary's extra: the job's result stands without it.
  }
}

async function explain(
  job: Job,
  result: JobResult,
  ctx: JobContext,
  budget: { left: number },
): Promise<void> {
  const why: WhyFailed = { usage: job.batch?.usage };
  const lines = ctx.settings.stderrLines;
  if (lines > 0 && job.info) {
    if (budget.left > 0) {
      budget.left--;
      why.stderr = await stderrTail(job, result, ctx, lines);
    } else {
      why.stderr = {
        name: job.info.stderrFile,
        lines: 0,
        cut: false,
        unavailable: `not read: a step reads the stderr of ${STDERR_JOBS} jobs at most`,
      };
    }
  }
  if (why.usage || why.stderr) result.whyFailed = why;
}
