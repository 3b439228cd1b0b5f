/**
 * The action: read the inputs, find the jobs, ask the schedulers once, wait if asked to, fetch
 * each suitable job, report. Outputs are always set, also when the step fails or is cancelled
 * (src/action/cancel.ts).
 */
import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { annotate, warnEarly } from './action/annotations.js';
import {
  type Cancellation,
  CancelledError,
  installCancellation,
  signalNameOf,
  unfinishedResult,
} from './action/cancel.js';
import { writeChangeOutputs } from './action/changes-output.js';
import { Follower, readJobOutputChunk } from './action/follow.js';
import { readSettings, type Settings } from './action/inputs.js';
import { type JobContext, perJobDirectories, sshSettingsOf } from './action/job-context.js';
import { JobLog } from './action/log.js';
import { NO_INFO_FILE, noInfoFileHint } from './action/not-found.js';
import { setOutputs } from './action/outputs.js';
import { failOnHits, type RunReport, reportOrder } from './action/report.js';
import { type JobResult, oneLine, withHint } from './action/result.js';
import { assertSupportedPlatform, hostedRunnerHint } from './action/runner-env.js';
import { describeShard, shardLine } from './action/shard.js';
import { SshPool } from './action/ssh-pool.js';
import { refreshStates } from './action/states.js';
import { renderSummary } from './action/summary.js';
import { syncJob } from './action/sync-job.js';
import { collectJobs, type Job } from './action/targets.js';
import {
  type ExcludeCheck,
  excludeCheck,
  unmatchedExcludeMessage,
} from './action/unmatched-exclude.js';
import { waitForStates } from './action/wait.js';
import { explainFailure, STDERR_JOBS } from './action/why-failed.js';
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
  if (settings.follow && settings.waitFor.size === 0) {
    warnEarly(
      "follow: true streams a job's output only while waiting, and wait-for is empty: nothing is followed. Set wait-for (for example 'finished, failed, killed') or drop follow.",
      { title: 'qq-sync: follow without wait-for' },
    );
  }
  if (settings.cache && !settings.dryRun) await warnIfNoCache();
  // Ask the local rsync its version while the scheduler answers, when there may be something
  // to fetch (a job that has started has a working directory).
  if (jobs.some((j) => j.info?.workDir)) void detectRsync(env);
  await refreshStates(jobs, settings, ctx, {
    reread: false,
    all: false,
    warn: (m) => warnEarly(m),
  });
  const jobCtx: JobContext = {
    settings,
    env,
    // From the inputs, not from how many jobs they matched (job-context.ts).
    multiple: perJobDirectories(settings),
    excludeCheck: excludeCheck(settings.exclude),
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
    let waited = new Map<Job, number>();
    if (settings.waitFor.size > 0) {
      const follower = settings.follow
        ? new Follower((job, file, offset) => readJobOutputChunk(job, file, offset, jobCtx))
        : undefined;
      waited = await waitForStates(jobs, settings, ctx, follower);
    }
    const stderrBudget = { left: STDERR_JOBS };
    // A single job's lines are printed as they come; several jobs' as one group each, in the
    // summary's order once all are done (log.ts); meanwhile a count now and then.
    const live = jobs.length === 1;
    const count = new DoneCount(jobs.length, live);
    const results = await mapLimit(jobs, settings.parallel, async (job) => {
      const result = await syncJob(job, jobCtx, live);
      result.waitedMs = waited.get(job);
      await explainFailure(job, result, jobCtx, stderrBudget);
      progress.done.set(job, result);
      count.add();
      return result;
    });
    JobLog.printInOrder(reportOrder(results, failOnHits(settings, results)));
    warnUnmatchedExcludes(jobCtx.excludeCheck);
    return results;
  } finally {
    unhook();
    await closeSsh();
  }
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

/** One warning per `exclude` pattern that matched nothing in any job whose files were read. */
function warnUnmatchedExcludes(check: ExcludeCheck | undefined): void {
  if (!check || check.unknown || check.checked === 0) return;
  for (const pattern of check.unmatched) {
    warnEarly(unmatchedExcludeMessage(pattern, check.checked), {
      title: `qq-sync: exclude '${pattern}' matched nothing`,
    });
  }
}

/** `cache: true` where the runner has no cache service: one warning for the step. */
async function warnIfNoCache(): Promise<void> {
  const { cacheAvailability } = await import('./action/cache.js');
  const availability = await cacheAvailability();
  if (!availability.available) {
    warnEarly(availability.notice, { title: 'qq-sync: cache not available' });
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
  const started = Date.now();
  const progress: Progress = { done: new Map() };
  const state: RunState = { results: [], fatal: '', fatalHint: '', reported: false };
  /** The outputs, annotations and summary, once; `now`: synchronously (the process exits next). */
  const report = async (now: boolean) => {
    if (state.reported) return;
    state.reported = true;
    const run = runReport(state, env, cancel, Date.now() - started, progress.shardOf);
    setOutputs(run, changeOutputs(run, env));
    // A fatal error was already set as the step's error by setFailed, with nothing to add.
    if (!run.fatal) annotate(run);
    if (run.hits.length > 0 && !run.cancelled) process.exitCode = EXIT_FAILURE;
    await writeSummary(renderSummary(run), env, now);
  };
  const cancel = installCancellation({
    reportNow: () => {
      if (state.reported) return;
      JobLog.flushOpen((progress.jobs ?? []).map((j) => progress.done.get(j)));
      state.results = resultsSoFar(progress, cancel.signal.reason);
      if (state.results.length === 0) state.fatal = cancelMessage(cancel, state.results);
      failStep(cancelMessage(cancel, state.results));
      void report(true);
    },
  });
  try {
    assertSupportedPlatform();
    state.settings = readSettings(undefined, env);
    state.results = await syncAll(state.settings, env, cancel, progress);
    if (cancel.signal.aborted) failStep(cancelMessage(cancel, state.results));
    // Failed jobs fail the step; their annotations say why, so only the exit code is set.
    else if (state.results.some((r) => r.status === 'failed')) {
      process.exitCode = EXIT_FAILURE;
    }
  } catch (e) {
    if (cancel.signal.aborted && progress.jobs) {
      state.results = resultsSoFar(progress, cancel.signal.reason);
      failStep(cancelMessage(cancel, state.results));
    } else {
      if (cancel.signal.aborted) state.fatal = cancelMessage(cancel, []);
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

/** The outputs that are files under RUNNER_TEMP (changed-files-file, manifest); none on error. */
function changeOutputs(run: RunReport, env: NodeJS.ProcessEnv) {
  if (!run.settings) return undefined;
  try {
    return writeChangeOutputs(run.results, { ...run.settings, env, info: (m) => core.info(m) });
  } catch (e) {
    core.warning(`Could not write the changed-files list or the manifest: ${errorMessage(e)}`);
    return undefined;
  }
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

async function writeSummary(text: string, env: NodeJS.ProcessEnv, now: boolean): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) return;
  try {
    if (now) appendFileSync(env.GITHUB_STEP_SUMMARY, text);
    else await core.summary.addRaw(text).write();
  } catch (e) {
    core.warning(`Could not write the job summary: ${errorMessage(e)}`);
  }
}

/** The step's error message for a cancelled run. */
function cancelMessage(cancel: Cancellation, results: readonly JobResult[]): string {
  const reason = cancel.signal.reason;
  const name = signalNameOf(reason);
  const unfinished = results.filter((r) => r.reasonCode === 'cancelled').length;
  if (results.length === 0) {
    return reason instanceof CancelledError
      ? `Cancelled (${name}) before any job was found.`
      : errorMessage(reason);
  }
  return `Cancelled (${name}): ${unfinished} of ${results.length} job(s) not fetched.`;
}
