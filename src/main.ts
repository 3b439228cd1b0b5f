/**
 * The action: read the inputs, find the jobs, ask the schedulers once, wait if asked to, fetch
 * each suitable job, report. Outputs are always set, also when the step fails.
 */
import * as core from '@actions/core';
import { Follower, readJobOutputChunk } from './action/follow.js';
import { readSettings, type Settings } from './action/inputs.js';
import { type JobContext, sshSettingsOf } from './action/job-context.js';
import { noInfoFileMessage } from './action/not-found.js';
import { mapLimit } from './action/pool.js';
import {
  annotate,
  computeOutputs,
  type JobResult,
  overallStatus,
  renderSummary,
  setOutputs,
} from './action/report.js';
import { SshPool } from './action/ssh-pool.js';
import { refreshStates } from './action/states.js';
import { syncJob } from './action/sync-job.js';
import { collectJobs } from './action/targets.js';
import { waitForStates } from './action/wait.js';
import type { BatchContext } from './batch/types.js';
import { realStateFromName } from './domain/states.js';
import { detectRsync } from './transfer/rsync.js';
import { errorMessage } from './util/errors.js';

function batchContext(settings: Settings, env: NodeJS.ProcessEnv): BatchContext {
  return {
    timeoutMs: settings.schedulerTimeoutSec * 1000,
    env,
    debug: (m) => core.debug(m),
  };
}

/** Which `fail-on` conditions the results meet, as sentences. */
export function failOnHits(settings: Settings, results: readonly JobResult[]): string[] {
  const hits: string[] = [];
  for (const r of results) {
    if (settings.failOn.has('unsuitable') && r.status === 'skipped') {
      hits.push(`job ${r.id} had nothing to fetch (unsuitable)`);
    }
    const state = r.state ? realStateFromName(r.state) : undefined;
    if (state && settings.failOn.has(state)) hits.push(`job ${r.id} is ${r.state}`);
  }
  return hits;
}

async function syncAll(settings: Settings, env: NodeJS.ProcessEnv): Promise<JobResult[]> {
  const ctx = batchContext(settings, env);
  const jobs = await collectJobs(settings, ctx, env);
  // A `path` line that cannot be read is carried as a failed target, not counted as a job.
  const found = jobs.filter((j) => j.infoFile || j.requestedId).length;
  if (found === 0) {
    if (settings.jobIds.length > 0) throw new Error('No jobs found.');
    throw new Error(await noInfoFileMessage(settings.paths, settings.workspace));
  }
  core.info(`Found ${found} job(s).`);
  if (settings.cache && !settings.dryRun) await warnIfNoCache();
  // Ask the local rsync its version while the scheduler answers, when there may be something
  // to fetch (a job that has started has a working directory).
  if (jobs.some((j) => j.info?.workDir)) void detectRsync(env);
  await refreshStates(jobs, settings, ctx, {
    reread: false,
    all: false,
    warn: (m) => core.warning(m),
  });
  const jobCtx: JobContext = {
    settings,
    env,
    multiple: jobs.length > 1,
    debug: (m) => core.debug(m),
  };
  // One ssh connection per host pays off with several jobs, or with `follow` polling one job's
  // output; a single transfer would only add the master's spawn and its `ssh -O exit`.
  if (jobs.length > 1 || settings.follow) {
    jobCtx.ssh = await SshPool.open(sshSettingsOf(settings, env), (m) => core.debug(m));
  }
  try {
    if (settings.waitFor.size > 0) {
      const follower = settings.follow
        ? new Follower((job, file, offset) => readJobOutputChunk(job, file, offset, jobCtx))
        : undefined;
      await waitForStates(jobs, settings, ctx, follower);
    }
    const live = jobs.length === 1 || settings.parallel === 1;
    return await mapLimit(jobs, settings.parallel, (job) => syncJob(job, jobCtx, live));
  } finally {
    await jobCtx.ssh?.close();
  }
}

/** `cache: true` where the runner has no cache service: one warning for the step. */
async function warnIfNoCache(): Promise<void> {
  const { cacheAvailability } = await import('./action/cache.js');
  const availability = await cacheAvailability();
  if (!availability.available) {
    core.warning(availability.notice, { title: 'qq-sync: cache not available' });
  }
}

/** What tells this step's summary apart from another qq-sync step of the job. */
function summaryHeading(settings: Settings | undefined, env: NodeJS.ProcessEnv): string {
  const parts: string[] = [];
  // GITHUB_ACTION is the step's `id`, or `__owner_repo` (with a suffix) when it has none.
  const step = env.GITHUB_ACTION ?? '';
  if (step && !step.startsWith('__')) parts.push(`step ${step}`);
  if (settings) {
    const what = settings.jobIds.length > 0 ? settings.jobIds : settings.paths;
    const text = what.join(', ');
    parts.push(
      `${settings.jobIds.length > 0 ? 'job-id' : 'path'} ${text.length > 120 ? `${text.slice(0, 120)}…` : text}`,
    );
  }
  return parts.join(', ');
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let results: JobResult[] = [];
  let settings: Settings | undefined;
  let fatal = '';
  /** Why the step failed, for the summary's headline; '' if it passed. */
  let failure = '';
  const started = Date.now();
  try {
    settings = readSettings(undefined, env);
    results = await syncAll(settings, env);
    // One annotation per failed job: the step fails with them, without repeating them.
    annotate(results);
    const failed = results.filter((r) => r.status === 'failed');
    const hits = failOnHits(settings, results);
    if (failed.length > 0) {
      process.exitCode = core.ExitCode.Failure;
      failure =
        failed.length === 1
          ? `job ${failed[0]?.id} failed: ${failed[0]?.reason}`
          : `${failed.length} of ${results.length} jobs failed.`;
    }
    if (hits.length > 0) {
      const message = `fail-on: ${hits.join('; ')}.`;
      core.setFailed(message);
      failure = failure ? `${failure} ${message}` : message;
    }
  } catch (e) {
    fatal = errorMessage(e);
    core.setFailed(fatal);
  } finally {
    setOutputs(computeOutputs(results, fatal));
    const status = overallStatus(results);
    const counts = `${results.length} job(s), status ${status}, in ${((Date.now() - started) / 1000).toFixed(1)} s.`;
    const headline = fatal
      ? `The step failed: ${fatal}`
      : failure
        ? `The step failed: ${failure}`
        : counts;
    try {
      if (env.GITHUB_STEP_SUMMARY) {
        const summary = renderSummary(results, headline, {
          heading: summaryHeading(settings, env),
          detail: failure ? counts : undefined,
        });
        await core.summary.addRaw(summary).write();
      }
    } catch (e) {
      core.warning(`Could not write the job summary: ${errorMessage(e)}`);
    }
  }
}
