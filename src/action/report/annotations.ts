/**
 * The annotations of a run, read from its RunReport: an error per job that could not be
 * fetched and one for `fail-on`; a warning per job that failed or was killed on the cluster
 * when the step does not fail on it (the step stays green: `fail-on` is the gate), per job
 * not fetched, per `files` entry that matched nothing; a notice per job whose files are already
 * in place. Every message names its job and is one line (the log view shows no title, and a
 * raw line break would show as %0D%0A); at most ANNOTATION_LIMIT of a kind, the last summing
 * up the rest.
 */
import * as core from '@actions/core';
import { failOnMessage, type RunReport } from './report.js';
import {
  clip,
  endedBadly,
  type JobResult,
  jobLabel,
  oneLine,
  outcomeWords,
  stateCodeOf,
  statePhrase,
  unmatchedMessage,
  withHint,
} from './result.js';

/** The runner shows at most this many annotations of each kind per step. */
export const ANNOTATION_LIMIT = 10;
/**
 * Warnings printed while the run went on (a scheduler that could not be asked, no cache
 * service, follow without wait-for): they count against the same limit as the report's.
 */
let earlyWarnings = 0;

/** A warning before the report, counted (see earlyWarnings). */
export function warnEarly(message: string, properties?: core.AnnotationProperties): void {
  earlyWarnings++;
  core.warning(message, properties);
}

/** Long enough for any reason of ours; an annotation is read, not scrolled. */
const MESSAGE_MAX = 4000;

export interface Annotation {
  title: string;
  message: string;
}

export interface Annotations {
  error: Annotation[];
  warning: Annotation[];
  notice: Annotation[];
}

/** One line, bounded: what may go into an annotation. */
function clean(a: Annotation): Annotation {
  return { title: clip(oneLine(a.title), 200), message: clip(oneLine(a.message), MESSAGE_MAX) };
}

/**
 * At most ANNOTATION_LIMIT of a kind: the first LIMIT-1 as they are, and one that sums up
 * the rest, so nothing is silently dropped.
 */
export function aggregateAnnotations(
  items: readonly Annotation[],
  noun: string,
  limit = ANNOTATION_LIMIT,
): Annotation[] {
  if (items.length <= limit) return [...items];
  const shown = items.slice(0, limit - 1);
  const rest = items.slice(limit - 1);
  const names = rest.map((a) => a.title.replace(/^qq-sync: /, '')).join(', ');
  return [
    ...shown,
    {
      title: `qq-sync: ${rest.length} more ${noun}`,
      message: `${rest.length} more ${noun}: ${clip(names, 3000)}. See the job summary.`,
    },
  ];
}

/** Files already where they belong: a notice (a scheduled sync would stay yellow forever). */
const inPlace = (r: JobResult) =>
  r.reasonCode === 'synchronized' ||
  r.reasonCode === 'implicitly-synchronized' ||
  r.reasonCode === 'restored';

/** A job that failed or was killed, and `fail-on` does not gate on that state. */
function ungatedBadEnd(r: JobResult, report: RunReport): boolean {
  if (r.status === 'failed' || !endedBadly(r)) return false;
  return !report.hits.some((h) => h.result === r && h.condition !== 'unsuitable');
}

function unmatchedWarnings(results: readonly JobResult[]): Annotation[] {
  const byEntry = new Map<string, JobResult[]>();
  for (const r of results) {
    for (const f of r.unmatchedFiles ?? []) byEntry.set(f, [...(byEntry.get(f) ?? []), r]);
  }
  return [...byEntry].map(([entry, jobs]) => {
    const first = jobs[0] as JobResult;
    return {
      title: `qq-sync: '${entry}' matched nothing`,
      message:
        jobs.length === 1
          ? `${unmatchedMessage(entry, first.workDir)} (job ${jobLabel(first)})`
          : `'files' entry '${entry}' matched nothing in the working directories of ${jobs.length} jobs (${jobs
              .slice(0, 10)
              .map((j) => `${j.id}: '${j.workDir}'`)
              .join(', ')}${jobs.length > 10 ? ', …' : ''}): nothing was fetched for it.`,
    };
  });
}

/** Every annotation of the run, each kind within the runner's limit. */
export function annotationsOf(report: RunReport, warnedBefore = earlyWarnings): Annotations {
  const error: Annotation[] = [];
  const warning: Annotation[] = [];
  const notice: Annotation[] = [];
  if (report.hits.length > 0) {
    error.push({ title: 'qq-sync: fail-on', message: failOnMessage(report.hits) });
  }
  for (const r of report.results) {
    const label = jobLabel(r);
    if (r.status === 'failed') {
      error.push({ title: `qq-sync: ${r.id} not fetched`, message: `${label}: ${withHint(r)}` });
    } else if (ungatedBadEnd(r, report)) {
      // The job's end matters more than what was fetched; one annotation says both.
      warning.push({
        title: `qq-sync: ${r.id} ${stateCodeOf(r.state)}`,
        message: `Job ${label} ${statePhrase(r)}; ${outcomeWords(r)}. The step does not fail on it (fail-on: ${stateCodeOf(r.state)} would).`,
      });
    } else if (r.status === 'skipped' && inPlace(r)) {
      notice.push({
        title: `qq-sync: ${r.id} already in place`,
        message: `${label}: ${withHint(r)}`,
      });
    } else if (r.status === 'skipped') {
      warning.push({ title: `qq-sync: ${r.id} not fetched`, message: `${label}: ${withHint(r)}` });
    }
  }
  warning.push(...unmatchedWarnings(report.results));
  return {
    // A cancelled run's step error (setFailed) is one more error annotation.
    error: aggregateAnnotations(
      error.map(clean),
      'jobs not fetched',
      ANNOTATION_LIMIT - (report.cancelled ? 1 : 0),
    ),
    // At least one: what was not said in a warning of its own is summed up in it.
    warning: aggregateAnnotations(
      warning.map(clean),
      'warnings',
      Math.max(1, ANNOTATION_LIMIT - warnedBefore),
    ),
    notice: aggregateAnnotations(notice.map(clean), 'jobs already in place'),
  };
}

export function annotate(report: RunReport): void {
  const all = annotationsOf(report);
  for (const a of all.notice) core.notice(a.message, { title: a.title });
  for (const a of all.warning) core.warning(a.message, { title: a.title });
  for (const a of all.error) core.error(a.message, { title: a.title });
}
