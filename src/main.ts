/**
 * The action: read the inputs, find the jobs, ask the schedulers once, wait if asked to, fetch
 * each suitable job, report. Outputs are always set, also when the step fails or is cancelled
 * (action/cancel.ts).
 *
 * Its parts live in src/action/, one room each: inputs (the inputs read and checked), jobs/
 * (which jobs, their shard, their real state, waiting and following), fetch/ (one job fetched),
 * cache/ (`cache: true`), report/ (what the run says: log, outputs, annotations, summary/);
 * beside them cancel.ts (a cancelled run) and runner-env.ts (where the action may run).
 */
import * as path from 'node:path';
import * as core from '@actions/core';
import { warnIfNoCache } from './action/cache/job-cache.js';
import {
  type Cancellation,
  cancelMessage,
  installCancellation,
  signalNameOf,
  unfinishedResult,
} from './action/cancel.js';
import { warnBwlimitUnapplied } from './action/fetch/bwlimit.js';
import { type JobContext, perJobDirectories, sshSettingsOf } from './action/fetch/job-context.js';
import { SshPool } from './action/fetch/ssh-pool.js';
import { syncJob } from './action/fetch/sync-job.js';
import { excludeCheck, warnUnmatchedExcludes } from './action/fetch/unmatched-exclude.js';
import { readSettings, type Settings } from './action/inputs.js';
import { Follower, readJobOutputChunk } from './action/jobs/follow.js';
import { NO_INFO_FILE, noInfoFileHint } from './action/jobs/not-found.js';
import { refreshStates } from './action/jobs/real-states.js';
import { describeShard, shardLine } from './action/jobs/shard.js';
import { collectJobs, type Job } from './action/jobs/targets.js';
import { waitForStates } from './action/jobs/wait.js';
import { holdYoungGeneration, releaseYoungGeneration } from './action/jobs/young-generation.js';
import { warnEarly } from './action/report/annotations.js';
import { JobLog } from './action/report/log.js';
import { publishReport } from './action/report/publish.js';
import { failOnHits, type RunReport, reportOrder, summaryHeading } from './action/report/report.js';
import { type JobResult, oneLine, withHint } from './action/report/result.js';
import { explainFailure, STDERR_JOBS } from './action/report/why-failed.js';
import { assertSupportedPlatform, hostedRunnerHint } from './action/runner-env.js';
import type { BatchContext } from './batch/types.js';
import { QQError } from './domain/errors.js';
import { detectRsync } from './transfer/rsync/index.js';
import { errorMessage } from './util/errors.js';
import { mapLimit } from './util/pool.js';
import { PROGRESS_EVERY_MS, throttle } from './util/throttle.js';

/** core.ExitCode.Failure, written out: @github/local-action's stand-in for core has no ExitCode. */
const EXIT_FAILURE = 1;

/** The step's error; the exit code is set here too, as local-action's setFailed does not. */
function failStep(message: string): void {
  // An annotation's message is one line (a raw line break would show as %0D%0A).
  core.setFailed(oneLine(message));
  process.exitCode = EXIT_FAILURE;
}

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
  /** With `shard`: the jobs of all shards together. */
  shardOf?: number;
}

function resultsSoFar(progress: Progress, reason: unknown): JobResult[] {
  return (progress.jobs ?? []).map((j) => progress.done.get(j) ?? unfinishedResult(j, reason));
}

export { failOnHits };

/** Find the jobs, ask their schedulers, wait if asked to, then fetch them, `parallel` at a time. */
async function syncAll(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  cancel: Cancellation,
  progress: Progress,
): Promise<JobResult[]> {
  const ctx = batchContext(settings, env, cancel.signal);
  // A campaign's young generation kept small; one job's left to V8 (young-generation.ts).
  holdYoungGeneration();
  const jobs = await findJobs(settings, ctx, env, progress);
  releaseYoungGeneration(jobs.length);
  // No jobs here is an empty shard: findJobs throws when the inputs found none at all.
  if (jobs.length === 0) return [];
  await warnBeforeFetching(settings, env);
  const refreshed = refreshStates(jobs, settings, ctx, {
    reread: false,
    all: false,
    warn: (m) => warnEarly(m),
  });
  // Ask the local rsync its version while the scheduler answers (once its call has started:
  // that call is what the step waits for), where a job that has started (it has a working
  // directory) may be fetched over ssh. A local job asks only if rsync runs (transfer/choose.ts).
  if (settings.sharedStorage !== 'true' && jobs.some((j) => j.info?.workDir)) {
    void detectRsync(env);
  }
  await refreshed;
  const jobCtx = await jobContextFor(settings, env, cancel, jobs);
  const closeSsh = async () => jobCtx.ssh?.close();
  const unhook = cancel.onForcedExit(closeSsh);
  try {
    let waited = new Map<Job, number>();
    if (settings.waitFor.size > 0) {
      const follower = settings.follow
        ? new Follower((job, file, offset) => readJobOutputChunk(job, file, offset, jobCtx))
        : undefined;
      waited = await waitForStates(jobs, settings, ctx, follower);
    }
    const results = await fetchAll(jobs, jobCtx, waited, progress);
    JobLog.printInOrder(reportOrder(results, failOnHits(settings, results)));
    warnUnmatchedExcludes(jobCtx.excludeCheck);
    return results;
  } finally {
    unhook();
    await closeSsh();
  }
}

/**
 * The jobs of the inputs (of this shard), said in the log; none when the shard is empty. No
 * job at all is the step's error.
 */
async function findJobs(
  settings: Settings,
  ctx: BatchContext,
  env: NodeJS.ProcessEnv,
  progress: Progress,
): Promise<Job[]> {
  const before = { all: 0 };
  const jobs = await collectJobs(settings, ctx, env, before);
  progress.jobs = jobs;
  if (settings.shard) {
    progress.shardOf = before.all;
    // An empty shard is no error: a matrix of n steps over fewer than n jobs has some.
    core.info(shardLine(settings.shard, jobs.length, before.all));
    if (jobs.length === 0 && before.all > 0) return [];
  }
  // A `path` line that cannot be read is carried as a failed target, not counted as a job.
  const found = jobs.filter((j) => j.infoFile || j.requestedId).length;
  if (found === 0) {
    if (settings.jobIds.length > 0) throw new Error('No jobs found.');
    throw new QQError(NO_INFO_FILE, await noInfoFileHint(settings.paths, settings.workspace));
  }
  // Only jobs whose info file was read: an id the scheduler does not know is no job found.
  const read = jobs.filter((j) => j.info && !j.error).length;
  if (read > 0) {
    const others = jobs.length - read;
    core.info(
      `Found ${read} job(s)${others > 0 ? `; ${others} other target(s) could not be found or read (below)` : ''}.`,
    );
  }
  return jobs;
}

/** Inputs that will not do what they seem to: said once, before any job's group. */
async function warnBeforeFetching(settings: Settings, env: NodeJS.ProcessEnv): Promise<void> {
  if (settings.follow && settings.waitFor.size === 0) {
    warnEarly(
      "follow: true streams a job's output only while waiting, and wait-for is empty: nothing is followed. Set wait-for (for example 'finished, failed, killed') or drop follow.",
      { title: 'qq-sync: follow without wait-for' },
    );
  }
  if (settings.cache && !settings.dryRun) await warnIfNoCache();
  await warnBwlimitUnapplied(settings, env, (m) => warnEarly(m, { title: 'qq-sync: bwlimit' }));
}

/** What every job shares; the run's ssh connections where they pay off. */
async function jobContextFor(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  cancel: Cancellation,
  jobs: readonly Job[],
): Promise<JobContext> {
  const jobCtx: JobContext = {
    settings,
    env,
    // From the inputs, not from how many jobs they matched (action/fetch/job-context.ts).
    multiple: perJobDirectories(settings),
    excludeCheck: excludeCheck(settings.exclude),
    debug: (m) => core.debug(m),
    signal: cancel.signal,
    jobs: jobs.length,
  };
  // One ssh connection per host pays off with several jobs, or with `follow` polling one job's
  // output; a single transfer would only add the master's spawn and its `ssh -O exit`.
  if (jobs.length > 1 || settings.follow) {
    jobCtx.ssh = await SshPool.open(sshSettingsOf(settings, env), (m) => core.debug(m));
  }
  return jobCtx;
}

/** Each job fetched and, where it failed, explained; `parallel` at a time. */
async function fetchAll(
  jobs: readonly Job[],
  jobCtx: JobContext,
  waited: ReadonlyMap<Job, number>,
  progress: Progress,
): Promise<JobResult[]> {
  const stderrBudget = { left: STDERR_JOBS };
  // A single job's lines are printed as they come; several jobs' as one group each, in the
  // summary's order once all are done (action/report/log.ts); meanwhile a count now and then.
  const live = jobs.length === 1;
  const count = new DoneCount(jobs.length, live);
  return mapLimit(jobs, jobCtx.settings.parallel, async (job) => {
    const result = await syncJob(job, jobCtx, live);
    result.waitedMs = waited.get(job);
    await explainFailure(job, result, jobCtx, stderrBudget);
    progress.done.set(job, result);
    count.add();
    return result;
  });
}

/** `Jobs done: 120 of 4000.`, at most every few seconds, while several jobs' groups are kept. */
class DoneCount {
  private done = 0;
  private readonly offer: ReturnType<typeof throttle>;
  constructor(
    private readonly total: number,
    quiet: boolean,
  ) {
    this.offer = throttle(quiet ? undefined : (line) => core.info(line), PROGRESS_EVERY_MS, {
      fromNow: true,
    });
  }
  add(): void {
    this.done++;
    this.offer(() =>
      this.done === this.total ? undefined : `Jobs done: ${this.done} of ${this.total}.`,
    );
  }
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const started = Date.now();
  const progress: Progress = { done: new Map() };
  const state: RunState = { results: [], fatal: '', fatalHint: '', reported: false };
  /** The outputs, annotations and summary, once; `now`: synchronously (the process exits next). */
  const report = async (now: boolean) => {
    if (state.reported) return;
    state.reported = true;
    const run = runReport(state, env, cancel, Date.now() - started, progress.shardOf);
    if (run.hits.length > 0 && !run.cancelled) process.exitCode = EXIT_FAILURE;
    await publishReport(run, env, now);
  };
  const cancel = installCancellation({
    reportNow: () => {
      if (state.reported) return;
      JobLog.flushOpen((progress.jobs ?? []).map((j) => progress.done.get(j)));
      state.results = resultsSoFar(progress, cancel.signal.reason);
      if (state.results.length === 0)
        state.fatal = cancelMessage(cancel.signal.reason, state.results);
      failStep(cancelMessage(cancel.signal.reason, state.results));
      void report(true);
    },
  });
  try {
    assertSupportedPlatform();
    state.settings = readSettings(undefined, env);
    state.results = await syncAll(state.settings, env, cancel, progress);
    if (cancel.signal.aborted) failStep(cancelMessage(cancel.signal.reason, state.results));
    // Failed jobs fail the step; their annotations say why, so only the exit code is set.
    else if (state.results.some((r) => r.status === 'failed')) {
      process.exitCode = EXIT_FAILURE;
    }
  } catch (e) {
    if (cancel.signal.aborted && progress.jobs) {
      state.results = resultsSoFar(progress, cancel.signal.reason);
      failStep(cancelMessage(cancel.signal.reason, state.results));
    } else {
      if (cancel.signal.aborted) state.fatal = cancelMessage(cancel.signal.reason, []);
      else {
        // `reason` keeps qq's words; what we add goes beside them (log, annotation, summary).
        state.fatal = errorMessage(e);
        const hints = [e instanceof QQError ? e.hint : undefined, hostedRunnerHint(env)];
        state.fatalHint = hints.filter(Boolean).join(' ');
      }
      failStep(withHint({ reason: state.fatal, hint: state.fatalHint }));
    }
  } finally {
    await report(cancel.signal.aborted);
    cancel.done();
  }
}

/** What the run knows so far; `run()` fills it in as it goes. */
interface RunState {
  settings?: Settings;
  results: JobResult[];
  fatal: string;
  /** Ours beside `fatal` (which keeps qq's words): what was searched, what this runner is. */
  fatalHint: string;
  reported: boolean;
}

function runReport(
  state: RunState,
  env: NodeJS.ProcessEnv,
  cancel: Cancellation,
  tookMs: number,
  shardOf: number | undefined,
): RunReport {
  const cancelled = cancel.signal.aborted ? signalNameOf(cancel.signal.reason) : undefined;
  const shard = state.settings?.shard;
  return {
    shard: shard && { ...shard, label: describeShard(shard), of: shardOf ?? 0 },
    settings: state.settings,
    results: state.results,
    fatal: state.fatal,
    fatalHint: state.fatalHint,
    hits: state.settings && !cancelled ? failOnHits(state.settings, state.results) : [],
    cancelled,
    tookMs,
    heading: summaryHeading(state.settings, env),
    workspace: state.settings?.workspace ?? path.resolve(env.GITHUB_WORKSPACE || process.cwd()),
  };
}
