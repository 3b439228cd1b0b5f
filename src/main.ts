/**
 * The action: read the inputs, find the jobs, ask the schedulers once, wait if asked to, fetch
 * each suitable job, report. Outputs are always set, also when the step fails.
 */
import * as core from './action/core.js';
import { Follower } from './action/follow.js';
import { readSettings, type Settings } from './action/inputs.js';
import { mapLimit } from './action/pool.js';
import {
  annotate,
  computeOutputs,
  type JobResult,
  overallStatus,
  renderSummary,
  setOutputs,
} from './action/report.js';
import { assertSupportedPlatform, explainOnHostedRunner } from './action/runner-env.js';
import { refreshStates } from './action/states.js';
import {
  type JobContext,
  readJobOutputChunk,
  shareSshConnections,
  syncJob,
} from './action/sync-job.js';
import { collectJobs, errorMessage } from './action/targets.js';
import { waitForStates } from './action/wait.js';
import type { BatchContext } from './batch/types.js';
import { realStateFromName } from './domain/states.js';
import { detectRsync } from './transfer/rsync.js';

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
  if (jobs.length === 0) {
    throw new Error(settings.jobIds.length > 0 ? 'No jobs found.' : 'No qq job info file found.');
  }
  core.info(`Found ${jobs.length} job(s).`);
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
  const closeSsh =
    jobs.length > 1 || settings.follow ? await shareSshConnections(jobCtx) : async () => {};
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
    await closeSsh();
  }
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let results: JobResult[] = [];
  let fatal = '';
  const started = Date.now();
  try {
    assertSupportedPlatform();
    const settings = readSettings(undefined, env);
    results = await syncAll(settings, env);
    annotate(results);
    const failed = results.filter((r) => r.status === 'failed');
    const hits = failOnHits(settings, results);
    if (failed.length > 0) {
      core.setFailed(
        failed.length === 1
          ? (failed[0]?.reason ?? 'A job failed.')
          : `${failed.length} of ${results.length} jobs failed.`,
      );
    } else if (hits.length > 0) {
      core.setFailed(`fail-on: ${hits.join('; ')}.`);
    }
  } catch (e) {
    fatal = explainOnHostedRunner(errorMessage(e), env);
    core.setFailed(fatal);
  } finally {
    setOutputs(computeOutputs(results, fatal));
    const status = overallStatus(results);
    const headline = fatal
      ? `Failed: ${fatal}`
      : `${results.length} job(s), status ${status}, in ${((Date.now() - started) / 1000).toFixed(1)} s.`;
    try {
      if (env.GITHUB_STEP_SUMMARY) {
        await core.summary.addRaw(renderSummary(results, headline)).write();
      }
    } catch (e) {
      core.warning(`Could not write the job summary: ${errorMessage(e)}`);
    }
  }
}
