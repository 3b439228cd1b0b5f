/**
 * The action: read the inputs, find the jobs, ask the schedulers once, wait if asked to, fetch
 * each suitable job, report. Outputs are always set, also when the step fails or is cancelled
 * (src/action/cancel.ts).
 */
import { appendFileSync } from 'node:fs';
import * as core from '@actions/core';
import {
  type Cancellation,
  CancelledError,
  installCancellation,
  signalNameOf,
  unfinishedResult,
} from './action/cancel.js';
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
import { refreshStates } from './action/states.js';
import {
  type JobContext,
  readJobOutputChunk,
  shareSshConnections,
  syncJob,
} from './action/sync-job.js';
import { collectJobs, errorMessage, type Job } from './action/targets.js';
import { waitForStates } from './action/wait.js';
import type { BatchContext } from './batch/types.js';
import { realStateFromName } from './domain/states.js';
import { detectRsync } from './transfer/rsync.js';

function batchContext(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): BatchContext {
  return {
    timeoutMs: settings.schedulerTimeoutSec * 1000,
    env,
    debug: (m) => core.debug(m),
    signal,
  };
}

/** What a cancelled run knows when it must report before the jobs are done. */
interface Progress {
  jobs?: readonly Job[];
  done: Map<Job, JobResult>;
}

function resultsSoFar(progress: Progress, reason: unknown): JobResult[] {
  return (progress.jobs ?? []).map((j) => progress.done.get(j) ?? unfinishedResult(j, reason));
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

async function syncAll(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  cancel: Cancellation,
  progress: Progress,
): Promise<JobResult[]> {
  const ctx = batchContext(settings, env, cancel.signal);
  const jobs = await collectJobs(settings, ctx, env);
  progress.jobs = jobs;
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
    signal: cancel.signal,
  };
  // One ssh connection per host pays off with several jobs, or with `follow` polling one job's
  // output; a single transfer would only add the master's spawn and its `ssh -O exit`.
  const closeSsh =
    jobs.length > 1 || settings.follow ? await shareSshConnections(jobCtx) : async () => {};
  const unhook = cancel.onForcedExit(closeSsh);
  try {
    if (settings.waitFor.size > 0) {
      const follower = settings.follow
        ? new Follower((job, file, offset) => readJobOutputChunk(job, file, offset, jobCtx))
        : undefined;
      await waitForStates(jobs, settings, ctx, follower);
    }
    const live = jobs.length === 1 || settings.parallel === 1;
    return await mapLimit(jobs, settings.parallel, async (job) => {
      const result = await syncJob(job, jobCtx, live);
      progress.done.set(job, result);
      return result;
    });
  } finally {
    unhook();
    await closeSsh();
  }
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let results: JobResult[] = [];
  let fatal = '';
  let reported = false;
  const started = Date.now();
  const progress: Progress = { done: new Map() };
  /** The outputs and the summary, once; `now`: synchronously (the process exits next). */
  const report = async (now: boolean) => {
    if (reported) return;
    reported = true;
    setOutputs(computeOutputs(results, fatal));
    const status = overallStatus(results);
    const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    const headline = fatal
      ? `Failed: ${fatal}`
      : cancel.signal.aborted
        ? `Cancelled (${signalNameOf(cancel.signal.reason)}) after ${took}: ${results.length} job(s), status ${status}.`
        : `${results.length} job(s), status ${status}, in ${took}.`;
    try {
      if (env.GITHUB_STEP_SUMMARY) {
        const text = renderSummary(results, headline);
        if (now) appendFileSync(env.GITHUB_STEP_SUMMARY, text);
        else await core.summary.addRaw(text).write();
      }
    } catch (e) {
      core.warning(`Could not write the job summary: ${errorMessage(e)}`);
    }
  };
  const cancel = installCancellation({
    reportNow: () => {
      if (reported) return;
      results = resultsSoFar(progress, cancel.signal.reason);
      if (results.length === 0) fatal = cancelMessage(cancel, results);
      core.setFailed(cancelMessage(cancel, results));
      void report(true);
    },
  });
  try {
    const settings = readSettings(undefined, env);
    results = await syncAll(settings, env, cancel, progress);
    annotate(results);
    const failed = results.filter((r) => r.status === 'failed');
    const hits = failOnHits(settings, results);
    if (cancel.signal.aborted) {
      core.setFailed(cancelMessage(cancel, results));
    } else if (failed.length > 0) {
      core.setFailed(
        failed.length === 1
          ? (failed[0]?.reason ?? 'A job failed.')
          : `${failed.length} of ${results.length} jobs failed.`,
      );
    } else if (hits.length > 0) {
      core.setFailed(`fail-on: ${hits.join('; ')}.`);
    }
  } catch (e) {
    if (cancel.signal.aborted && progress.jobs) {
      results = resultsSoFar(progress, cancel.signal.reason);
      core.setFailed(cancelMessage(cancel, results));
    } else {
      fatal = cancel.signal.aborted ? cancelMessage(cancel, []) : errorMessage(e);
      core.setFailed(fatal);
    }
  } finally {
    await report(cancel.signal.aborted);
    cancel.done();
  }
}

/** The step's error message for a cancelled run. */
function cancelMessage(cancel: Cancellation, results: readonly JobResult[]): string {
  const reason = cancel.signal.reason;
  const name = signalNameOf(reason);
  const unfinished = results.filter(
    (r) => r.status === 'failed' && r.reason.startsWith(`Cancelled (${name})`),
  ).length;
  if (results.length === 0) {
    return reason instanceof CancelledError
      ? `Cancelled (${name}) before any job was found.`
      : errorMessage(reason);
  }
  return `Cancelled (${name}): ${unfinished} of ${results.length} job(s) not fetched.`;
}
