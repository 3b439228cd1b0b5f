/**
 * One job, as `qq sync` handles it: the state panel, the suitability check (qq's order and
 * words), the destination check, the transfer — and, beyond qq, the cache and the counts.
 *
 * action/fetch/ is fetching one job: this file (the job from its state panel to its result),
 * what every job of the run shares (job-context.ts, ssh-pool.ts), the transfer and what follows
 * it (transfer.ts), the copy from the input directory qq synchronized into (input-dir.ts), and
 * the `files` entries and `exclude` patterns that matched nothing (unmatched-*.ts).
 */
import * as path from 'node:path';
import { QQError } from '../../domain/errors.js';
import type { InfoFile } from '../../domain/info/index.js';
import {
  checkSuitable,
  ensureDestination,
  stateDetails,
  stateMessage,
  type Unsuitable,
  type UnsuitableCode,
} from '../../domain/suitability.js';
import { TransferError, WorkDirMissingError } from '../../transfer/index.js';
import { splitFiles } from '../../transfer/select/files.js';
import { errorMessage } from '../../util/errors.js';
import { restoreFromCache, WORK_DIR_GONE_RESTORED } from '../cache/job-cache.js';
import { CancelledError } from '../cancel.js';
import { realStateOf } from '../jobs/real-states.js';
import type { Job } from '../jobs/targets.js';
import { JobLog } from '../report/log.js';
import {
  endedBadly,
  type JobResult,
  jobLabel,
  newResult,
  outcomeMark,
  outcomeWords,
  type ReasonCode,
  statePhrase,
} from '../report/result.js';
import { copyFromInputDir } from './input-dir.js';
import { destinationOf, type JobContext, readsLocally } from './job-context.js';
import { checkFilesInput, transfer } from './transfer.js';

/**
 * Where the files of a job qq will not sync may still come from, by qq's reason: the input
 * directory qq synchronized into (with `destination`), or the cache (`cache: true`).
 */
function elsewhere(code: UnsuitableCode): { inputDir: boolean; cache: boolean } {
  switch (code) {
    case 'synchronized':
      return { inputDir: true, cache: true };
    case 'implicitly-synchronized':
      return { inputDir: true, cache: false };
    case 'killed-no-work-dir':
      return { inputDir: false, cache: true };
    case 'queued':
      return { inputDir: false, cache: false };
    default: {
      // A new code is a type error here, not a silent default.
      const unknown: never = code;
      throw new Error(`unknown unsuitability code: ${unknown}`);
    }
  }
}

/** Nothing to fetch from the working directory (qq's reason). */
async function skip(
  job: Job,
  result: JobResult,
  why: Unsuitable,
  info: InfoFile,
  ctx: JobContext,
  log: JobLog,
): Promise<void> {
  log.info(why.message);
  result.status = 'skipped';
  result.reason = why.message;
  result.reasonCode = why.code;
  result.unsuitable = why.code;
  const from = elsewhere(why.code);
  // qq has put the files in the input directory: with `destination`, they belong there too.
  if (
    from.inputDir &&
    ctx.settings.destination &&
    (await copyFromInputDir(job, info, result, ctx, log))
  ) {
    return;
  }
  if (ctx.settings.cache && !ctx.signal?.aborted && from.cache) {
    await restoreFromCache(
      result,
      destinationOf(result.id, info.inputDir, ctx),
      log,
      ctx.settings.transferTimeoutSec,
    );
  }
}

/** qq's `Fetching … from job's working directory to …` line. */
function fetchingMessage(
  files: string[] | undefined,
  destination: string,
  info: InfoFile,
  ctx: JobContext,
): string {
  const where =
    destination === info.inputDir
      ? 'input directory'
      : `'${path.relative(ctx.settings.workspace, destination) || '.'}'`;
  return files
    ? `Fetching file${files.length > 1 ? 's' : ''} '${files.join(' ')}' from job's working directory to ${where}.`
    : `Fetching all files from job's working directory to ${where}.`;
}

/** Transfer the job's working directory into its destination. */
async function fetch(
  job: Job,
  info: InfoFile,
  result: JobResult,
  ctx: JobContext,
  log: JobLog,
): Promise<void> {
  const { host, workDir } = ensureDestination(info);
  result.destination = destinationOf(result.id, info.inputDir, ctx);
  const files = splitFiles(ctx.settings.files);
  if (files) checkFilesInput(files, workDir, result);
  log.info(fetchingMessage(files, result.destination, info, ctx));
  const local = await readsLocally(job, ctx);
  await transfer({ dir: workDir, host, local }, files, result, ctx, log);
}

/**
 * The job failed. When its working directory vanished (most often: the job ended and qq
 * synchronized and deleted it after the scheduler answered), with `cache: true`, the newest
 * cached copy instead.
 */
async function fail(result: JobResult, e: unknown, ctx: JobContext, log: JobLog): Promise<void> {
  result.status = 'failed';
  result.reason = errorMessage(e);
  result.reasonCode = failureCode(e);
  if (e instanceof QQError && e.hint && !result.hint) result.hint = e.hint;
  log.untrusted(`ERROR    ${result.reason}`);
  if (result.hint) log.untrusted(`         ${result.hint}`);
  if (
    ctx.settings.cache &&
    !ctx.settings.dryRun &&
    !ctx.signal?.aborted &&
    result.destination &&
    e instanceof WorkDirMissingError &&
    (await restoreFromCache(result, result.destination, log, ctx.settings.transferTimeoutSec))
  ) {
    result.status = 'skipped';
    result.reason = WORK_DIR_GONE_RESTORED;
    result.reasonCode = 'restored';
  }
}

function failureCode(e: unknown): ReasonCode {
  if (e instanceof CancelledError) return 'cancelled';
  if (e instanceof WorkDirMissingError) return 'work-dir-missing';
  if (e instanceof TransferError) return 'transfer-failed';
  return 'error';
}

/** The line that closes a job's log: `✔ 5001.pbs-m1 (ala-300K): fetched 4 files, 157 B`. */
export function outcomeLine(r: JobResult): string {
  const end = endedBadly(r) && r.status !== 'failed' ? `; the job ${statePhrase(r)}` : '';
  return `${outcomeMark(r)} ${jobLabel(r)}: ${outcomeWords(r)}${end}`;
}

/** The job's state panel, suitability check and transfer; never throws. */
export async function syncJob(job: Job, ctx: JobContext, live: boolean): Promise<JobResult> {
  const started = Date.now();
  const state = realStateOf(job);
  const result = newResult(job, state);
  const log = new JobLog(jobLabel(result), live);
  try {
    const info = job.info;
    if (job.error || !info || !state) {
      if (job.errorCode) result.reasonCode = job.errorCode;
      if (job.hint) result.hint = job.hint;
      throw new Error(job.error ?? 'The job could not be read.');
    }
    log.info(`Job state: ${stateMessage(state)}`);
    const details = stateDetails(state, info, { batchMainNode: job.batch?.mainNode });
    if (details) log.info(`           ${details}`);
    const why = checkSuitable(info, state);
    if (why !== undefined) await skip(job, result, why, info, ctx, log);
    else await fetch(job, info, result, ctx, log);
  } catch (e) {
    // What failed after a cancel failed because of it (a killed rsync): the cancel's words.
    await fail(result, ctx.signal?.aborted && !job.error ? ctx.signal.reason : e, ctx, log);
    if (job.errorCode) result.reasonCode = job.errorCode;
  } finally {
    result.durationMs = Date.now() - started;
    // Keyed by the result: main.ts prints the groups in the summary's order.
    log.end(outcomeLine(result), result);
  }
  return result;
}
