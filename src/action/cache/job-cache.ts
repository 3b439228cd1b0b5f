/**
 * The `cache: true` glue of one job: save what was fetched, and restore the newest cached
 * copy when the job's working directory is gone. `./actions-cache.js` (and `@actions/cache`) is
 * loaded only when a job uses it.
 *
 * action/cache/ is `cache: true`: this glue, the calls to `@actions/cache` and its keys
 * (actions-cache.ts), the step's one time budget for them (budget.ts), and what the library
 * says, read to name the real cause of a failure (messages.ts).
 */
import { readdir } from 'node:fs/promises';
import * as core from '@actions/core';
import { warnEarly } from '../report/annotations.js';
import type { JobLog } from '../report/log.js';
import type { JobResult } from '../report/result.js';
import { stepCacheBudget } from './budget.js';

/** The reason of a job whose working directory vanished and came back from the cache. */
export const WORK_DIR_GONE_RESTORED =
  'Working directory of the job no longer exists: restored the newest cached copy.';

/**
 * The step's cache budget is the transfer-timeout: a save moves the same bytes as the
 * transfer did, so the time the user allows for one transfer is the right scale, and it is
 * already tuned for the cluster's data sizes. One budget for the whole step (budget.ts):
 * a service that does not answer costs it once, not once per job.
 */
function budget(transferTimeoutSec: number) {
  return stepCacheBudget(transferTimeoutSec * 1000, 'transfer-timeout');
}

/** A cache warning: in the job's log, and as an annotation naming the job. */
function warn(result: JobResult, message: string, log: JobLog): void {
  log.info(message);
  core.warning(message, { title: `qq-sync: cache, job ${result.id}` });
}

/** Save the job's destination under a new key; the key goes into the result. */
export async function saveToCache(
  result: JobResult,
  destination: string,
  log: JobLog,
  transferTimeoutSec: number,
): Promise<void> {
  const { saveJobFiles } = await import('./actions-cache.js');
  const saved = await saveJobFiles({
    jobId: result.id,
    paths: [destination],
    runId: process.env.GITHUB_RUN_ID ?? '0',
    runAttempt: process.env.GITHUB_RUN_ATTEMPT ?? '1',
    log: (m: string) => log.info(m),
    budget: budget(transferTimeoutSec),
  });
  if (saved.key) {
    result.cacheKey = saved.key;
    log.info(`Saved to the Actions cache as '${saved.key}'.`);
  }
  if (saved.notice) log.info(saved.notice);
  if (saved.warning) warn(result, saved.warning, log);
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
export async function restoreFromCache(
  result: JobResult,
  destination: string,
  log: JobLog,
  transferTimeoutSec: number,
): Promise<boolean> {
  if (!(await isEmptyDir(destination))) {
    log.info(`The destination is not empty: no cached copy restored into it.`);
    return false;
  }
  const { restoreJobFiles } = await import('./actions-cache.js');
  const restored = await restoreJobFiles({
    jobId: result.id,
    paths: [destination],
    log: (m: string) => log.info(m),
    budget: budget(transferTimeoutSec),
  });
  if (restored.notice) log.info(restored.notice);
  if (restored.warning) warn(result, restored.warning, log);
  if (!restored.hit) return false;
  result.cacheHit = true;
  result.cacheKey = restored.key ?? '';
  result.destination = destination;
  log.info(`Restored from the Actions cache ('${restored.key}').`);
  return true;
}

/** `cache: true` where the runner has no cache service: one warning for the step. */
export async function warnIfNoCache(): Promise<void> {
  const { cacheAvailability } = await import('./actions-cache.js');
  const availability = await cacheAvailability();
  if (!availability.available) {
    warnEarly(availability.notice, { title: 'qq-sync: cache not available' });
  }
}
