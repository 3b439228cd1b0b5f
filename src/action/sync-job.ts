/**
 * One job, as `qq sync` handles it: the state panel, the suitability check (qq's order and
 * words), the destination check, the transfer — and, beyond qq, the cache and the counts.
 */
import * as path from 'node:path';
import { InputError, QQError } from '../domain/errors.js';
import type { InfoFile } from '../domain/info/index.js';
import {
  checkSuitable,
  ensureDestination,
  IMPLICITLY_SYNCHRONIZED_MESSAGE,
  KILLED_NO_WORK_DIR_MESSAGE,
  QUEUED_MESSAGE,
  SYNCHRONIZED_MESSAGE,
  stateDetails,
  stateMessage,
} from '../domain/suitability.js';
import { ChangeLog } from '../transfer/changes.js';
import { splitFiles, validateFiles } from '../transfer/files.js';
import { TransferError, transferJob, WorkDirMissingError } from '../transfer/index.js';
import { errorMessage } from '../util/errors.js';
import { CancelledError } from './cancel.js';
import { workspacePaths } from './changes-output.js';
import { restoreFromCache, saveToCache, WORK_DIR_GONE_RESTORED } from './job-cache.js';
import { destinationOf, type JobContext, readsLocally, transferSettings } from './job-context.js';
import { JobLog } from './log.js';
import { hashChanges } from './manifest.js';
import {
  endedBadly,
  formatBytes,
  type JobResult,
  jobLabel,
  newResult,
  outcomeMark,
  outcomeWords,
  type ReasonCode,
  statePhrase,
  unmatchedMessage,
} from './result.js';
import { realStateOf } from './states.js';
import type { Job } from './targets.js';
import { unmatchedFiles } from './unmatched-files.js';

/** qq's suitability messages (its exception's words) as codes. */
const SKIP_CODES = new Map<string, ReasonCode>([
  [QUEUED_MESSAGE, 'queued'],
  [SYNCHRONIZED_MESSAGE, 'synchronized'],
  [IMPLICITLY_SYNCHRONIZED_MESSAGE, 'implicitly-synchronized'],
  [KILLED_NO_WORK_DIR_MESSAGE, 'killed-no-work-dir'],
]);

/** Nothing to fetch (qq's reason); a job already synchronized may come back from the cache. */
async function skip(
  result: JobResult,
  reason: string,
  info: InfoFile,
  ctx: JobContext,
  log: JobLog,
): Promise<void> {
  log.info(reason);
  result.status = 'skipped';
  result.reason = reason;
  result.reasonCode = SKIP_CODES.get(reason) ?? 'queued';
  if (
    ctx.settings.cache &&
    !ctx.signal?.aborted &&
    (reason === SYNCHRONIZED_MESSAGE || reason === KILLED_NO_WORK_DIR_MESSAGE)
  ) {
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

/**
 * qq's words for a `files` entry outside the working directory name no input: say it is the
 * `files` input (the transfer layer checks the same again, as it must for any caller).
 */
function checkFilesInput(files: string[], workDir: string, result: JobResult, log: JobLog): void {
  try {
    validateFiles(files, workDir);
  } catch (e) {
    if (!(e instanceof QQError) || e instanceof InputError) throw e;
    // qq's sentence stays the reason as it is; ours goes next to it.
    result.hint =
      "It is an entry of the 'files' input, which takes paths inside the job's working directory (relative to it, or absolute under it).";
    log.info(result.hint);
    throw e;
  }
}

/** What `exclude` and `max-size` leave out, after qq's line (an addition to qq). */
function leftOutMessage(exclude: readonly string[], maxSize: number | undefined): string {
  const parts = [
    ...(exclude.length > 0 ? [`'${exclude.join("', '")}'`] : []),
    ...(maxSize === undefined ? [] : [`files over ${formatBytes(maxSize)}`]),
  ];
  return parts.length > 0 ? `Leaving out ${parts.join(' and ')}.` : '';
}

/** Transfer the job's working directory into its destination, then save it to the cache. */
async function fetch(
  job: Job,
  info: InfoFile,
  result: JobResult,
  ctx: JobContext,
  log: JobLog,
): Promise<void> {
  const { host, workDir } = ensureDestination(info);
  const destination = destinationOf(result.id, info.inputDir, ctx);
  result.destination = destination;
  const files = splitFiles(ctx.settings.files);
  if (files) checkFilesInput(files, workDir, result, log);
  log.info(fetchingMessage(files, destination, info, ctx));
  const leftOut = leftOutMessage(ctx.settings.exclude, ctx.settings.maxSize);
  if (leftOut) log.info(leftOut);
  ctx.signal?.throwIfAborted();
  const local = await readsLocally(job, ctx);
  if (!local) ctx.ssh?.use(host);
  const { dryRun, exclude, maxSize, workspace, manifest, checksums } = ctx.settings;
  const sha256 = manifest && checksums && !dryRun;
  const changes = new ChangeLog();
  const transfer = await transferJob({
    workDir,
    mainNode: host,
    local,
    destination,
    files,
    exclude,
    maxSize,
    onChange: changes.add,
    sha256,
    dryRun,
    settings: transferSettings(ctx),
    onProgress: (line) => log.progress(line),
    onMessage: (text) => log.untrusted(text),
  }).finally(() => {
    // Also after a failure: what was written before it is in the destination now.
    result.changes = changes.entries();
    const pathOf = workspacePaths(workspace, destination);
    result.changedFiles = result.changes.map((e) => pathOf(e.rel));
  });
  result.filesSynced = transfer.files;
  result.bytesSynced = transfer.bytes;
  result.status = 'synced';
  result.reasonCode = dryRun ? 'dry-run' : 'fetched';
  result.method = transfer.method;
  result.attempts = transfer.attempts;
  // The title says how much; this line says how (the summary shows only what is not rsync).
  log.info(
    `${dryRun ? 'Would fetch' : 'Fetched'} ${transfer.files} file(s), ${transfer.bytes} bytes (${transfer.method}).`,
  );
  if (transfer.overMaxSize) {
    const { files: n, bytes } = transfer.overMaxSize;
    result.overMaxSize = transfer.overMaxSize;
    log.info(`Left out ${n} file(s) over max-size (${formatBytes(bytes)}).`);
  }
  if (sha256 && result.changes) {
    // Those the transport did not hash as it wrote them (rsync's): read once more.
    await hashChanges(result.changes, destination, ctx.signal);
  }
  if (files && !dryRun) {
    const unmatched = await unmatchedFiles(
      files,
      workDir,
      destination,
      exclude,
      transfer.overMaxSize?.names,
    );
    result.unmatchedFiles = unmatched.nothing;
    for (const f of unmatched.nothing) log.info(unmatchedMessage(f, workDir));
    for (const f of unmatched.overMaxSize) log.info(`'${f}' is larger than max-size: left out.`);
  }
  if (ctx.settings.cache && !dryRun && !ctx.signal?.aborted) {
    await saveToCache(result, destination, log, ctx.settings.transferTimeoutSec);
  }
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
  log.untrusted(`ERROR    ${result.reason}`);
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
      if (job.hint) {
        result.hint = job.hint;
        log.info(job.hint);
      }
      throw new Error(job.error ?? 'The job could not be read.');
    }
    log.info(`Job state: ${stateMessage(state)}`);
    const details = stateDetails(state, info, { batchMainNode: job.batch?.mainNode });
    if (details) log.info(`           ${details}`);
    const reason = checkSuitable(info, state);
    if (reason !== undefined) await skip(result, reason, info, ctx, log);
    else await fetch(job, info, result, ctx, log);
  } catch (e) {
    // What failed after a cancel failed because of it (a killed rsync): the cancel's words.
    await fail(result, ctx.signal?.aborted && !job.error ? ctx.signal.reason : e, ctx, log);
    if (job.errorCode) result.reasonCode = job.errorCode;
  } finally {
    result.durationMs = Date.now() - started;
    log.end(outcomeLine(result));
  }
  return result;
}
