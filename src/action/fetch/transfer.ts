/**
 * The transfer of one job's files into its destination, and what follows it: the counts and
 * the line that says how much came how, the `files` entries and `exclude` patterns that matched
 * nothing, the manifest's hashes, the cache. Used for the working directory (sync-job.ts) and
 * for the input directory qq synchronized into (input-dir.ts) alike.
 */
import { InputError, QQError } from '../../domain/errors.js';
import { ChangeLog } from '../../transfer/changes.js';
import { transferJob } from '../../transfer/index.js';
import { validateFiles } from '../../transfer/select/files.js';
import { formatBytes } from '../../util/bytes.js';
import { saveToCache } from '../cache/job-cache.js';
import { workspacePaths } from '../report/changes-output.js';
import type { JobLog } from '../report/log.js';
import { hashChanges } from '../report/manifest.js';
import { type JobResult, unmatchedMessage } from '../report/result.js';
import { type JobContext, transferSettings } from './job-context.js';
import { matchExcludes } from './unmatched-exclude.js';
import { unmatchedFiles } from './unmatched-files.js';

/** Where a job's files are read: its working directory (here or over ssh), or its input directory. */
export interface Source {
  dir: string;
  host: string;
  local: boolean;
}

/** What the transfer layer hands back for one job. */
type Done = Awaited<ReturnType<typeof transferJob>>;

/**
 * qq's words for a `files` entry outside the working directory name no input: say it is the
 * `files` input (the transfer layer checks the same again, as it must for any caller).
 */
export function checkFilesInput(files: string[], workDir: string, result: JobResult): void {
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

/** The transfer from `source` into `result.destination`, then the counts, checks and cache. */
export async function transfer(
  source: Source,
  files: string[] | undefined,
  result: JobResult,
  ctx: JobContext,
  log: JobLog,
): Promise<void> {
  const leftOut = leftOutMessage(ctx.settings.exclude, ctx.settings.maxSize);
  if (leftOut) log.info(leftOut);
  ctx.signal?.throwIfAborted();
  if (!source.local) ctx.ssh?.use(source.host);
  const done = await copyRecordingChanges(source, files, result, ctx, log);
  recordOutcome(done, result, ctx, log);
  await checkAfterTransfer(source, files, done, result, ctx, log);
}

/**
 * The transfer itself, every change it makes recorded in `result` — also when it fails: what
 * was written before the failure is in the destination now, and counted.
 */
async function copyRecordingChanges(
  source: Source,
  files: string[] | undefined,
  result: JobResult,
  ctx: JobContext,
  log: JobLog,
): Promise<Done> {
  const { dryRun, exclude, maxSize, workspace, manifest } = ctx.settings;
  const destination = result.destination;
  const changes = new ChangeLog();
  try {
    return await transferJob({
      workDir: source.dir,
      mainNode: source.host,
      local: source.local,
      destination,
      files,
      exclude,
      maxSize,
      onChange: changes.add,
      onRetract: changes.retract,
      sha256: wantsHashes(ctx),
      dryRun,
      settings: transferSettings(ctx),
      onProgress: (line) => log.progress(line),
      onMessage: (text) => log.untrusted(text),
    });
  } catch (e) {
    // What a failed run did fetch is in the destination: counted, not 0 (a dry run wrote nothing).
    if (!dryRun) {
      const fetched = changes.fetched();
      result.filesSynced = fetched.files;
      result.bytesSynced = fetched.bytes;
    }
    throw e;
  } finally {
    // The entries as objects only for the manifest; the paths are read from the log itself.
    if (manifest) result.changes = changes.entries();
    result.changedFiles = changes.paths(workspacePaths(workspace, destination));
  }
}

/** The manifest wants each written file's SHA-256 (nothing is written in a dry run). */
function wantsHashes(ctx: JobContext): boolean {
  const { manifest, checksums, dryRun } = ctx.settings;
  return manifest && checksums && !dryRun;
}

/** The status, counts and method of a transfer that ended, and the line that says them. */
function recordOutcome(done: Done, result: JobResult, ctx: JobContext, log: JobLog): void {
  const dryRun = ctx.settings.dryRun;
  const fromInputDir = result.source !== undefined;
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
}

/** After the files are in: the `exclude` and `files` checks, the manifest's hashes, the cache. */
async function checkAfterTransfer(
  source: Source,
  files: string[] | undefined,
  done: Done,
  result: JobResult,
  ctx: JobContext,
  log: JobLog,
): Promise<void> {
  const { dryRun, exclude } = ctx.settings;
  const destination = result.destination;
  if (exclude.length > 0) await noteExcludeMatches(source, ctx);
  if (wantsHashes(ctx) && result.changes) {
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
  const fromInputDir = result.source !== undefined;
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
