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
import { Follower, readJobOutputChunk } from './action/follow.js';
import { readSettings, type Settings } from './action/inputs.js';
import { type JobContext, sshSettingsOf } from './action/job-context.js';
import { noInfoFileMessage } from './action/not-found.js';
import {
  annotate,
  computeOutputs,
  type JobResult,
  overallStatus,
  renderSummary,
  setOutputs,
} from './action/report.js';
import { assertSupportedPlatform, explainOnHostedRunner } from './action/runner-env.js';
import { describeShard } from './action/shard.js';
import { SshPool } from './action/ssh-pool.js';
import { refreshStates } from './action/states.js';
import { syncJob } from './action/sync-job.js';
import { collectJobs, type Job } from './action/targets.js';
import { waitForStates } from './action/wait.js';
import type { BatchContext } from './batch/types.js';
import { realStateFromName } from './domain/states.js';
import { detectRsync } from './transfer/rsync.js';
import { errorMessage } from './util/errors.js';
import { mapLimit } from './util/pool.js';

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
  const before = { all: 0 };
  const jobs = await collectJobs(settings, ctx, env, before);
  progress.jobs = jobs;
  // A `path` line that cannot be read is carried as a failed target, not counted as a job.
  const found = jobs.filter((j) => j.infoFile || j.requestedId).length;
  if (settings.shard) {
    // An empty shard is no error: a matrix of n steps over fewer than n jobs has some.
    core.info(`${describeShard(settings.shard)}: ${jobs.length} of ${before.all} target(s).`);
    if (jobs.length === 0 && before.all > 0) return [];
  }
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
    signal: cancel.signal,
  };
  // One ssh connection per host pays off with several jobs, or with `follow` polling one job's
  // output; a single transfer would only add the master's spawn and its `ssh -O exit`.
  if (jobs.length > 1 || settings.follow) {
    jobCtx.ssh = await SshPool.open(sshSettingsOf(settings, env), (m) => core.debug(m));
  }
  const closeSsh = async () => jobCtx.ssh?.close();
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
    const counts = `${results.length} job(s), status ${status}, in ${took}.`;
    const headline = fatal
      ? `The step failed: ${fatal}`
      : cancel.signal.aborted
        ? `Cancelled (${signalNameOf(cancel.signal.reason)}) after ${took}: ${results.length} job(s), status ${status}.`
        : failure
          ? `The step failed: ${failure}`
          : counts;
    try {
      if (env.GITHUB_STEP_SUMMARY) {
        const text = renderSummary(results, headline, {
          heading: summaryHeading(settings, env),
          detail: failure ? counts : undefined,
        });
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
    assertSupportedPlatform();
    settings = readSettings(undefined, env);
    results = await syncAll(settings, env, cancel, progress);
    // One annotation per failed job: the step fails with them, without repeating them.
    annotate(results);
    if (cancel.signal.aborted) {
      core.setFailed(cancelMessage(cancel, results));
    } else {
      failure = judge(settings, results);
    }
  } catch (e) {
    if (cancel.signal.aborted && progress.jobs) {
      results = resultsSoFar(progress, cancel.signal.reason);
      core.setFailed(cancelMessage(cancel, results));
    } else {
      fatal = cancel.signal.aborted
        ? cancelMessage(cancel, [])
        : explainOnHostedRunner(errorMessage(e), env);
      core.setFailed(fatal);
    }
  } finally {
    await report(cancel.signal.aborted);
    cancel.done();
  }
}

/**
 * Fail the step for failed jobs (their annotations say why, so only the exit code is set) and
 * for `fail-on` hits; what failed it, for the summary's headline ('' when it passed).
 */
function judge(settings: Settings, results: readonly JobResult[]): string {
  let failure = '';
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    process.exitCode = core.ExitCode.Failure;
    failure =
      failed.length === 1
        ? `job ${failed[0]?.id} failed: ${failed[0]?.reason}`
        : `${failed.length} of ${results.length} jobs failed.`;
  }
  const hits = failOnHits(settings, results);
  if (hits.length > 0) {
    const message = `fail-on: ${hits.join('; ')}.`;
    core.setFailed(message);
    failure = failure ? `${failure} ${message}` : message;
  }
  return failure;
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
