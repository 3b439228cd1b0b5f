/**
 * The one value a run ends with: the settings, each job's result, what failed the step, and
 * whether it was cancelled. Outputs (outputs.ts), the summary (summary/summary.ts) and the annotations
 * (annotations.ts) each read it, so they cannot disagree.
 *
 * action/report/ is what the run tells: this value, each job's result and its words
 * (result.ts), the log as it goes (log.ts), and from the report the outputs (outputs.ts, with
 * the files changes-output.ts and manifest.ts write), the annotations (annotations.ts), why a
 * job failed (why-failed.ts) and the job summary (summary/); publish.ts writes them out.
 */
import { type RealState, realStateFromName } from '../../domain/states.js';
import type { FailCondition, Settings } from '../inputs.js';
import { type JobResult, jobLabel, statePhrase } from './result.js';

export type { JobResult, JobStatus, ReasonCode } from './result.js';

/** A job that meets a `fail-on` condition. */
export interface FailOnHit {
  result: JobResult;
  condition: FailCondition;
}

export interface RunReport {
  /** Undefined when the inputs could not be read. */
  settings?: Settings;
  results: readonly JobResult[];
  /** The step's own error, before or without jobs ('' if none): qq's words where qq has them. */
  fatal: string;
  /** Ours beside `fatal` (the log, annotation and summary say both; `reason` only `fatal`). */
  fatalHint?: string;
  hits: readonly FailOnHit[];
  /** The signal that cancelled the run (`SIGINT`), undefined if it was not cancelled. */
  cancelled?: string;
  tookMs: number;
  /** What tells this step's summary apart from another qq-sync step of the job. */
  heading: string;
  /** Where relative paths start (the destination column). */
  workspace: string;
  /**
   * With `shard`: this step's shard (`label`: `shard 2/8`) and how many jobs the whole
   * campaign has (`of`); the step's own are `results`. For the summary's title, and to say
   * in words that a shard has no jobs.
   */
  shard?: ShardReport;
}

export interface ShardReport {
  index: number;
  count: number;
  label: string;
  /** Jobs (or unreadable targets) of all shards together. */
  of: number;
}

/** Which `fail-on` conditions the results meet, one hit per job and condition. */
export function failOnHits(settings: Settings, results: readonly JobResult[]): FailOnHit[] {
  const hits: FailOnHit[] = [];
  for (const result of results) {
    if (settings.failOn.has('unsuitable') && result.status === 'skipped') {
      hits.push({ result, condition: 'unsuitable' });
    }
    const state: RealState | undefined = result.state ? realStateFromName(result.state) : undefined;
    if (state && settings.failOn.has(state)) hits.push({ result, condition: state });
  }
  return hits;
}

/**
 * The order jobs are told in: those that fail the step (their fetch failed, or a `fail-on`
 * condition) first, then the others, each in the order they were found (qq's). The log's
 * groups follow it; the summary's rows should too.
 */
export function reportOrder(
  results: readonly JobResult[],
  hits: readonly FailOnHit[],
): JobResult[] {
  const hit = new Set(hits.map((h) => h.result));
  const failing = (r: JobResult) => r.status === 'failed' || hit.has(r);
  return [...results.filter(failing), ...results.filter((r) => !failing(r))];
}

/** How many jobs a message names before it says `and N more`. */
const NAMED = 10;

/** `fail-on: job 4242 failed (exit 1); job 4243 was killed.` */
export function failOnMessage(hits: readonly FailOnHit[]): string {
  const parts = hits
    .slice(0, NAMED)
    .map(({ result, condition }) =>
      condition === 'unsuitable'
        ? `job ${jobLabel(result)} had nothing to fetch (unsuitable)`
        : `job ${jobLabel(result)} ${statePhrase(result)}`,
    );
  const more = hits.length > NAMED ? `; and ${hits.length - NAMED} more` : '';
  return `fail-on: ${parts.join('; ')}${more}.`;
}

/**
 * `Cancelled (SIGINT): 3 of 10 job(s) not fetched.`, the step's error after a cancel: written
 * here only, for the step's error (action/cancel.ts cancelMessage) and the summary alike. Not
 * fetched is failed, as in the annotations: the jobs the cancel stopped and any that had
 * failed before it.
 */
export function cancelledSentence(signalName: string, results: readonly JobResult[]): string {
  const notFetched = results.filter((r) => r.status === 'failed').length;
  return `Cancelled (${signalName}): ${notFetched} of ${results.length} job(s) not fetched.`;
}

/** Why the step fails, in one sentence; '' if it passes. */
export function stepFailure(report: RunReport): string {
  if (report.fatal) return report.fatalHint ? `${report.fatal} ${report.fatalHint}` : report.fatal;
  const reasons: string[] = [];
  const failed = report.results.filter((r) => r.status === 'failed');
  if (report.cancelled) {
    reasons.push(cancelledSentence(report.cancelled, report.results));
  } else if (failed.length === 1) {
    reasons.push(`job ${jobLabel(failed[0] as JobResult)} could not be fetched.`);
  } else if (failed.length > 1) {
    reasons.push(`${failed.length} of ${report.results.length} jobs could not be fetched.`);
  }
  if (report.hits.length > 0) reasons.push(failOnMessage(report.hits));
  return reasons.join(' ');
}

/** What tells this step's summary apart from another qq-sync step of the job. */
export function summaryHeading(settings: Settings | undefined, env: NodeJS.ProcessEnv): string {
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
