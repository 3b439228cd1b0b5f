/**
 * One job, as `qq sync` handles it: the state panel, the suitability check (qq's order and
 * words), the destination check, the transfer — and, beyond qq, the cache and the counts.
 */
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError, QQError } from '../domain/errors.js';
import type { InfoFile } from '../domain/info/index.js';
import {
  checkSuitable,
  ensureDestination,
  stateDetails,
  stateMessage,
  type Unsuitable,
} from '../domain/suitability.js';
import { ChangeLog } from '../transfer/changes.js';
import { TransferError, transferJob, WorkDirMissingError } from '../transfer/index.js';
import { splitFiles, validateFiles } from '../transfer/select/files.js';
import { formatBytes } from '../util/bytes.js';
import { errorMessage } from '../util/errors.js';
import { isInside } from '../util/paths.js';
import { CancelledError } from './cancel.js';
import { workspacePaths } from './changes-output.js';
import { restoreFromCache, saveToCache, WORK_DIR_GONE_RESTORED } from './job-cache.js';
import { destinationOf, type JobContext, readsLocally, transferSettings } from './job-context.js';
import { JobLog } from './log.js';
import { hashChanges } from './manifest.js';
import {
  endedBadly,
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
import { matchExcludes } from './unmatched-exclude.js';
import { unmatchedFiles } from './unmatched-files.js';

/** qq's suitability messages (its exception's words) as codes. */
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
  const inInputDir =
    result.reasonCode === 'synchronized' || result.reasonCode === 'implicitly-synchronized';
  // qq has put the files in the input directory: with `destination`, they belong there too.
  if (
    inInputDir &&
    ctx.settings.destination &&
    (await copyFromInputDir(job, info, result, ctx, log))
  ) {
    return;
  }
  if (
    ctx.settings.cache &&
    !ctx.signal?.aborted &&
    (why.code === 'synchronized' || why.code === 'killed-no-work-dir')
  ) {
    await restoreFromCache(
      result,
      destinationOf(result.id, info.inputDir, ctx),
      log,
      ctx.settings.transferTimeoutSec,
    );
  }
}

/**
 * A job qq already synchronized (or that ran in its input directory), with `destination`: its
 * input directory copied there, locally, with the same selection. False (the job stays
 * skipped) where there is nothing to copy: the destination is the input directory itself, or
 * lies inside it (the copy would copy itself; the transfer refuses it); or where the info file
 * is not in the input directory it names (qq writes it there): `input_dir` comes from the
 * file, and a file that names another directory is not trusted to choose what is read here.
 */
async function copyFromInputDir(
  job: Job,
  info: InfoFile,
  result: JobResult,
  ctx: JobContext,
  log: JobLog,
): Promise<boolean> {
  const inputDir = path.resolve(ctx.settings.workspace, info.inputDir);
  const destination = destinationOf(result.id, inputDir, ctx);
  if (destination === inputDir) return false;
  if (isInside(destination, inputDir)) {
    result.hint = `Not copied into '${destination}': it lies inside the job's input directory.`;
    log.info(result.hint);
    return false;
  }
  if (!job.infoFile || !(await sameDirectory(path.dirname(job.infoFile), inputDir))) {
    result.hint = `Not copied into '${destination}': the info file is not in the input directory it names.`;
    log.info(result.hint);
    return false;
  }
  result.destination = destination;
  result.source = inputDir;
  const files = splitFiles(ctx.settings.files);
  if (files) checkFilesInput(files, inputDir, result);
  log.info(
    `Copying ${files ? `'${files.join(' ')}'` : 'all files'} from the job's input directory '${inputDir}' to '${path.relative(ctx.settings.workspace, destination) || '.'}' (already synchronized by qq).`,
  );
  await transfer(
    { dir: inputDir, host: info.mainNode ?? '', local: true },
    files,
    result,
    ctx,
    log,
  );
  return true;
}

/** Whether two paths are one directory (symlinks resolved; unreadable: no). */
async function sameDirectory(a: string, b: string): Promise<boolean> {
  try {
    return (await realpath(a)) === (await realpath(b));
  } catch {
    return false;
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
function checkFilesInput(files: string[], workDir: string, result: JobResult): void {
  try {
    validateFiles(files, workDir);
  } catch (e) {
    if (!(e instanceof QQError) || e instanceof InputError) throw e;
    // qq's sentence stays the reason as it is; ours goes next to it.
    result.hint =
      "It is an entry of the 'files' input, which takes paths inside the job's working directory (relative to it, or absolute under it).";
    throw e; // fail() logs the hint after qq's sentence
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

/** Where a job's files are read: its working directory (here or over ssh), or its input directory. */
interface Source {
  dir: string;
  host: string;
  local: boolean;
}

/** The transfer from `source` into `result.destination`, then the counts, checks and cache. */
async function transfer(
  source: Source,
  files: string[] | undefined,
  result: JobResult,
  ctx: JobContext,
  log: JobLog,
): Promise<void> {
  const destination = result.destination;
  const leftOut = leftOutMessage(ctx.settings.exclude, ctx.settings.maxSize);
  if (leftOut) log.info(leftOut);
  ctx.signal?.throwIfAborted();
  if (!source.local) ctx.ssh?.use(source.host);
  const { dryRun, exclude, maxSize, workspace, manifest, checksums } = ctx.settings;
  const sha256 = manifest && checksums && !dryRun;
  const changes = new ChangeLog();
  const fromInputDir = result.source !== undefined;
  const done = await transferJob({
    workDir: source.dir,
    mainNode: source.host,
    local: source.local,
    destination,
    files,
    exclude,
    maxSize,
    onChange: changes.add,
    onRetract: changes.retract,
    sha256,
    dryRun,
    settings: transferSettings(ctx),
    onProgress: (line) => log.progress(line),
    onMessage: (text) => log.untrusted(text),
  })
    .catch((e: unknown) => {
      // What a failed run did fetch is in the destination: counted, not 0 (a dry run wrote nothing).
      if (!dryRun) {
        const fetched = changes.fetched();
        result.filesSynced = fetched.files;
        result.bytesSynced = fetched.bytes;
      }
      throw e;
    })
    .finally(() => {
      // Also after a failure: what was written before it is in the destination now.
      result.changes = changes.entries();
      const pathOf = workspacePaths(workspace, destination);
      result.changedFiles = result.changes.map((e) => pathOf(e.rel));
    });
  if (dryRun) {
    // Nothing was written: the counts of what was are 0, what would be has its own fields.
    result.filesWouldSync = done.files;
    result.bytesWouldSync = done.bytes;
    result.status = 'dry-run';
    result.reasonCode = 'dry-run';
  } else {
    result.filesSynced = done.files;
    result.bytesSynced = done.bytes;
    result.status = 'synced';
    result.reasonCode = fromInputDir ? 'copied' : 'fetched';
  }
  result.method = done.method;
  result.attempts = done.attempts;
  // The title says how much; this line says how (the summary shows only what is not rsync).
  const verb = fromInputDir ? 'copy' : 'fetch';
  log.info(
    dryRun
      ? `Would ${verb} ${done.files} file(s), ${done.bytes} bytes (${done.method}); nothing was written (dry-run).`
      : done.files === 0
        ? `Nothing new: the destination is up to date (${done.method}).`
        : `${fromInputDir ? 'Copied' : 'Fetched'} ${done.files} file(s), ${done.bytes} bytes (${done.method}).`,
  );
  if (done.overMaxSize) {
    result.overMaxSize = done.overMaxSize;
    const { files: n, bytes } = done.overMaxSize;
    if (n > 0) log.info(`Left out ${n} file(s) over max-size (${formatBytes(bytes)}).`);
  }
  if (exclude.length > 0) await noteExcludeMatches(source, ctx);
  if (sha256 && result.changes) {
    // Those the transport did not hash as it wrote them (rsync's): read once more.
    await hashChanges(result.changes, destination, ctx.signal);
  }
  if (files && !dryRun) {
    const unmatched = await unmatchedFiles(
      files,
      source.dir,
      destination,
      exclude,
      done.overMaxSize?.names,
    );
    result.unmatchedFiles = unmatched.nothing;
    for (const f of unmatched.nothing) log.info(unmatchedMessage(f, source.dir));
    for (const f of unmatched.overMaxSize) log.info(`'${f}' is larger than max-size: left out.`);
  }
  if (ctx.settings.cache && !dryRun && !fromInputDir && !ctx.signal?.aborted) {
    await saveToCache(result, destination, log, ctx.settings.transferTimeoutSec);
  }
}

/**
 * Which `exclude` patterns matched something in this job's tree, for the warning about those
 * that matched nothing in any job (main.ts). Read where the tree is here; a tree read over ssh
 * is not listed a second time for it, so such a run cannot tell and says nothing.
 */
async function noteExcludeMatches(source: Source, ctx: JobContext): Promise<void> {
  const check = ctx.excludeCheck;
  if (!check) return;
  if (!source.local) {
    check.unknown = true;
    return;
  }
  check.checked++;
  if (check.unmatched.size === 0) return;
  if (!(await matchExcludes(source.dir, check.unmatched))) check.unknown = true;
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
