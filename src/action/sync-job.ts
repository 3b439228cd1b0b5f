/**
 * One job, as `qq sync` handles it: the state panel, the suitability check (qq's order and
 * words), the destination check, the transfer — and, beyond qq, the cache and the counts.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { realStateToString } from '../domain/states.js';
import {
  checkSuitable,
  hasDestination,
  KILLED_NO_WORK_DIR_MESSAGE,
  NO_DESTINATION_MESSAGE,
  SYNCHRONIZED_MESSAGE,
  stateDetails,
  stateMessage,
} from '../domain/suitability.js';
import { localHostNames } from '../exec/hosts.js';
import { splitFiles } from '../transfer/files.js';
import {
  type TransferResult,
  type TransferSettings,
  transferJob,
  workDirMissing,
} from '../transfer/index.js';
import { isLocal, locality } from '../transfer/locality.js';
import { closeSharedConnections, openSharedConnection, readRemoteChunk } from '../transfer/ssh.js';
import type { Settings } from './inputs.js';
import { JobLog } from './log.js';
import type { JobResult } from './report.js';
import { realStateOf } from './states.js';
import { errorMessage, type Job } from './targets.js';

export interface JobContext {
  settings: Settings;
  env: NodeJS.ProcessEnv;
  /** More than one job in this step: a `destination` gets one directory per job. */
  multiple: boolean;
  /** Where ssh keeps the run's shared connections, the hosts it connected to, and their masters. */
  ssh?: { controlDir: string; hosts: Set<string>; masters: Map<string, Promise<void>> };
  /** For debug messages of the run (not of one job). */
  debug?: (message: string) => void;
}

/** The job's destination directory (absolute). */
export function destinationOf(jobId: string, inputDir: string, ctx: JobContext): string {
  const dest = ctx.settings.destination;
  if (!dest) return inputDir;
  return ctx.multiple ? path.join(dest, jobId) : dest;
}

function transferSettings(ctx: JobContext): TransferSettings {
  const s = ctx.settings;
  return {
    sshOptions: s.sshOptions,
    strictHostKeyChecking: s.strictHostKeyChecking,
    overwrite: s.overwrite,
    timeoutSec: s.transferTimeoutSec,
    retries: s.retries,
    env: ctx.env,
    controlDir: ctx.ssh?.controlDir,
    connect: ctx.ssh ? (host, timeoutMs) => openMaster(ctx, host, timeoutMs) : undefined,
  };
}

/** The shared connection to `host`, opened once for the run (all its jobs wait for it). */
function openMaster(ctx: JobContext, host: string, timeoutMs: number): Promise<void> {
  const ssh = ctx.ssh;
  if (!ssh) return Promise.resolve();
  let opening = ssh.masters.get(host);
  if (!opening) {
    ssh.hosts.add(host);
    opening = openSharedConnection(host, transferSettings(ctx), timeoutMs).then((r) =>
      ctx.debug?.(
        r.open
          ? `ssh: shared connection to '${host}' open ${r.detail}`
          : `ssh: no shared connection to '${host}' (${r.detail}); each transfer connects by itself`,
      ),
    );
    ssh.masters.set(host, opening);
  }
  return opening;
}

/** Whether the job's working directory is read here (true) or over ssh from its main node. */
async function readsLocally(job: Job, ctx: JobContext): Promise<boolean> {
  const input = {
    sharedStorage: ctx.settings.sharedStorage,
    alwaysShared: job.system?.alwaysShared ?? false,
    env: ctx.env,
    mainNode: job.info?.mainNode,
    localHosts: [] as string[],
  };
  // Without this host's names the answer is only "remote" when they could change it: ask
  // `hostname -f` (once per run) only then.
  if (!isLocal(input) && ctx.settings.sharedStorage === 'auto') {
    input.localHosts = await localHostNames();
  }
  const decided = locality(input);
  if (!explained.has(job)) {
    explained.add(job);
    ctx.debug?.(
      `${job.label}: ${decided.local ? 'reads its working directory locally' : `fetches over ssh from '${input.mainNode}'`}: ${decided.why}`,
    );
  }
  return decided.local;
}
/** Jobs whose local-or-ssh decision is in the debug log already (follow asks on every poll). */
const explained = new WeakSet<Job>();

/** For `follow`: bytes of a file in the job's working directory from `offset` on. */
export async function readJobOutputChunk(
  job: Job,
  file: string,
  offset: number,
  ctx: JobContext,
): Promise<Buffer | undefined> {
  if (await readsLocally(job, ctx)) {
    const { open } = await import('node:fs/promises');
    const handle = await open(file, 'r');
    try {
      const buf = Buffer.alloc(256 * 1024);
      const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
  const host = job.info?.mainNode;
  if (!host) return undefined;
  ctx.ssh?.hosts.add(host);
  return readRemoteChunk(host, file, offset, transferSettings(ctx));
}

/** The reason of a job whose working directory vanished and came back from the cache. */
export const WORK_DIR_GONE_RESTORED =
  'Working directory of the job no longer exists: restored the newest cached copy.';

export async function syncJob(job: Job, ctx: JobContext, live: boolean): Promise<JobResult> {
  const started = Date.now();
  const info = job.info;
  const state = realStateOf(job);
  const result: JobResult = {
    id: info?.jobId ?? job.requestedId ?? job.label,
    name: info?.jobName ?? '',
    infoFile: job.infoFile ?? '',
    state: state ? realStateToString(state) : '',
    status: 'failed',
    reason: '',
    exitCode: info?.jobExitCode ?? null,
    filesSynced: 0,
    bytesSynced: 0,
    destination: '',
    cacheHit: false,
    cacheKey: '',
    mainNode: info?.mainNode ?? '',
    workDir: info?.workDir ?? '',
    inputDir: info?.inputDir ?? '',
    durationMs: 0,
    action: 'error',
  };
  const log = new JobLog(`${result.id}${result.name ? ` (${result.name})` : ''}`, live);
  try {
    if (job.error || !info || !state) throw new Error(job.error ?? 'The job could not be read.');
    log.info(`Job state: ${stateMessage(state)}`);
    const details = stateDetails(state, info, { batchMainNode: job.batch?.mainNode });
    if (details) log.info(`           ${details}`);

    const reason = checkSuitable(info, state);
    if (reason !== undefined) {
      log.info(reason);
      result.status = 'skipped';
      result.reason = reason;
      result.action = 'nothing to fetch';
      if (
        ctx.settings.cache &&
        (reason === SYNCHRONIZED_MESSAGE || reason === KILLED_NO_WORK_DIR_MESSAGE)
      ) {
        await restoreFromCache(result, destinationOf(result.id, info.inputDir, ctx), log);
      }
      return result;
    }
    if (!hasDestination(info)) throw new Error(NO_DESTINATION_MESSAGE);
    const destination = destinationOf(result.id, info.inputDir, ctx);
    result.destination = destination;
    const files = splitFiles(ctx.settings.files);
    const where =
      destination === info.inputDir
        ? 'input directory'
        : `'${path.relative(ctx.settings.workspace, destination) || '.'}'`;
    log.info(
      files
        ? `Fetching file${files.length > 1 ? 's' : ''} '${files.join(' ')}' from job's working directory to ${where}.`
        : `Fetching all files from job's working directory to ${where}.`,
    );
    const local = await readsLocally(job, ctx);
    if (!local) ctx.ssh?.hosts.add(info.mainNode as string);
    const transfer: TransferResult = await transferJob({
      workDir: info.workDir as string,
      mainNode: info.mainNode as string,
      local,
      destination,
      files,
      dryRun: ctx.settings.dryRun,
      settings: transferSettings(ctx),
      onProgress: (line) => log.progress(line),
      onMessage: (text) => log.untrusted(text),
    });
    result.filesSynced = transfer.files;
    result.bytesSynced = transfer.bytes;
    result.status = 'synced';
    result.action = ctx.settings.dryRun
      ? `dry run: would fetch (${transfer.method})`
      : `fetched (${transfer.method}${transfer.attempts > 1 ? `, ${transfer.attempts} attempts` : ''})`;
    log.info(
      `${ctx.settings.dryRun ? 'Would fetch' : 'Fetched'} ${transfer.files} file(s), ${transfer.bytes} bytes (${transfer.method}).`,
    );
    if (ctx.settings.cache && !ctx.settings.dryRun) await saveToCache(result, destination, log);
  } catch (e) {
    result.status = 'failed';
    result.reason = errorMessage(e);
    result.action = 'error';
    log.untrusted(`ERROR    ${result.reason}`);
    // The working directory vanished (most often: the job ended and qq synchronized and
    // deleted it after the scheduler answered): with `cache: true`, the newest cached copy.
    if (
      ctx.settings.cache &&
      !ctx.settings.dryRun &&
      result.destination &&
      workDirMissing(e) &&
      (await restoreFromCache(result, result.destination, log))
    ) {
      result.status = 'skipped';
      result.reason = WORK_DIR_GONE_RESTORED;
    }
  } finally {
    result.durationMs = Date.now() - started;
    log.end();
  }
  return result;
}

async function saveToCache(result: JobResult, destination: string, log: JobLog): Promise<void> {
  const { saveJobFiles } = await import('./cache.js');
  const saved = await saveJobFiles({
    jobId: result.id,
    paths: [destination],
    runId: process.env.GITHUB_RUN_ID ?? '0',
    runAttempt: process.env.GITHUB_RUN_ATTEMPT ?? '1',
    log: (m: string) => log.info(m),
  });
  if (saved.key) {
    result.cacheKey = saved.key;
    log.info(`Saved to the Actions cache as '${saved.key}'.`);
  }
  for (const m of [saved.notice, saved.warning]) if (m) log.info(m);
}

/** True if `dir` does not exist or holds nothing: a restore there cannot replace anything. */
async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * When the job's working directory is gone, restore the newest cached copy — only into a
 * destination that is missing or empty, so that a restore never replaces a file.
 */
async function restoreFromCache(
  result: JobResult,
  destination: string,
  log: JobLog,
): Promise<boolean> {
  if (!(await isEmptyDir(destination))) {
    log.info(`The destination is not empty: no cached copy restored into it.`);
    return false;
  }
  const { restoreJobFiles } = await import('./cache.js');
  const restored = await restoreJobFiles({
    jobId: result.id,
    paths: [destination],
    log: (m: string) => log.info(m),
  });
  for (const m of [restored.notice, restored.warning]) if (m) log.info(m);
  if (!restored.hit) return false;
  result.cacheHit = true;
  result.cacheKey = restored.key ?? '';
  result.destination = destination;
  result.action = 'restored from cache';
  log.info(`Restored from the Actions cache ('${restored.key}').`);
  return true;
}

/** One ssh connection per host for the whole run; closed by the returned function. */
export async function shareSshConnections(ctx: JobContext): Promise<() => Promise<void>> {
  const controlDir = await mkdtemp(path.join(tmpdir(), 'qqs-'));
  ctx.ssh = { controlDir, hosts: new Set(), masters: new Map() };
  return async () => {
    await closeSharedConnections(ctx.ssh?.hosts ?? [], transferSettings(ctx)).catch(() => {});
    await rm(controlDir, { recursive: true, force: true });
  };
}
