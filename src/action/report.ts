/**
 * What the workflow sees at the end: step outputs (always all set), the job summary (escaped,
 * bounded) and annotations (aggregated beyond what the runner shows).
 */
import * as core from '@actions/core';
import { realStateCode, realStateFromName } from '../domain/states.js';
import { IMPLICITLY_SYNCHRONIZED_MESSAGE, SYNCHRONIZED_MESSAGE } from '../domain/suitability.js';
import { CHANGED_LIST_LIMIT, takeWithin } from '../transfer/changes.js';
import type { ChangedEntry } from '../transfer/path-filter.js';
import { countBy, countsLine, mermaidPie } from './summary-chart.js';

export type JobStatus = 'synced' | 'skipped' | 'failed';

/** One job's outcome; the `jobs` output is an array of the public part of these. */
export interface JobResult {
  id: string;
  name: string;
  infoFile: string;
  /** Real state as qq prints it (`running`, `in an inconsistent state`), '' if not known. */
  state: string;
  status: JobStatus;
  /** Why the job was not fetched (qq's words) or the error; '' when fetched. */
  reason: string;
  exitCode: number | null;
  filesSynced: number;
  bytesSynced: number;
  destination: string;
  cacheHit: boolean;
  cacheKey: string;
  /** Not in the `jobs` output, but in the single-job outputs and the summary. */
  mainNode: string;
  workDir: string;
  inputDir: string;
  durationMs: number;
  /** What was done, for the summary (`fetched`, `dry run: would fetch`, `skipped`, …). */
  action: string;
  /** Entries of `files` that matched nothing in the working directory (qq skips them silently). */
  unmatchedFiles?: string[];
  /** What this run wrote into `destination` (relative to it, byte strings), for the manifest. */
  changes?: ChangedEntry[];
  /** The same paths relative to the workspace (absolute outside it), as text. */
  changedFiles?: string[];
  /** With `max-size`: files left out for it and their bytes (unknown with rsync < 3.1). */
  overMaxSize?: { files: number; bytes: number };
}

export function unmatchedMessage(entry: string, workDir: string): string {
  return `'files' entry '${entry}' matched nothing in the working directory '${workDir}': nothing was fetched for it.`;
}

/**
 * The real state in the words `fail-on` and `wait-for` take (`failed`, `inconsistent`, …),
 * for workflows to compare; '' if not known. `state` stays qq's text.
 */
export function stateCodeOf(stateText: string): string {
  const state = stateText ? realStateFromName(stateText) : undefined;
  return state ? realStateCode(state) : '';
}

export function overallStatus(results: readonly JobResult[]): JobStatus {
  if (results.length === 0 || results.some((r) => r.status === 'failed')) return 'failed';
  return results.some((r) => r.status === 'synced') ? 'synced' : 'skipped';
}

/**
 * The public JSON of one job (the contract of the `jobs` output). `changedFiles`: the first of
 * the job's changed paths that fit (all, unless `changedFilesCount` is larger).
 */
export function jobJson(r: JobResult, changedFiles: string[] = r.changedFiles ?? []) {
  return {
    id: r.id,
    name: r.name,
    infoFile: r.infoFile,
    state: r.state,
    stateCode: stateCodeOf(r.state),
    status: r.status,
    reason: r.reason,
    exitCode: r.exitCode,
    filesSynced: r.filesSynced,
    bytesSynced: r.bytesSynced,
    destination: r.destination,
    cacheHit: r.cacheHit,
    cacheKey: r.cacheKey,
    changedFiles,
    changedFilesCount: r.changedFiles?.length ?? 0,
  };
}

export const OUTPUT_NAMES = [
  'status',
  'state',
  'state-code',
  'job-id',
  'job-name',
  'exit-code',
  'main-node',
  'work-dir',
  'input-dir',
  'destination',
  'reason',
  'files-synced',
  'bytes-synced',
  'jobs',
  'cache-hit',
  'cache-key',
  'changed-files',
  'changed-files-file',
  'manifest',
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

export function computeOutputs(
  results: readonly JobResult[],
  fallbackReason = '',
): Record<OutputName, string> {
  const first = results[0];
  const reason =
    results.find((r) => r.status === 'failed')?.reason ??
    results.find((r) => r.status === 'skipped')?.reason ??
    fallbackReason;
  // Within GitHub's output size: the full lists go to a file (see changes-output.ts).
  const perJob = { left: CHANGED_LIST_LIMIT };
  const changed = results.flatMap((r) => r.changedFiles ?? []);
  return {
    status: overallStatus(results),
    state: first?.state ?? '',
    'state-code': stateCodeOf(first?.state ?? ''),
    'job-id': first?.id ?? '',
    'job-name': first?.name ?? '',
    'exit-code': first?.exitCode == null ? '' : String(first.exitCode),
    'main-node': first?.mainNode ?? '',
    'work-dir': first?.workDir ?? '',
    'input-dir': first?.inputDir ?? '',
    destination: first?.destination ?? '',
    reason: results.length === 0 ? fallbackReason : reason,
    'files-synced': String(results.reduce((n, r) => n + r.filesSynced, 0)),
    'bytes-synced': String(results.reduce((n, r) => n + r.bytesSynced, 0)),
    jobs: JSON.stringify(results.map((r) => jobJson(r, takeWithin(r.changedFiles ?? [], perJob)))),
    'cache-hit': results.some((r) => r.cacheHit) ? 'true' : 'false',
    'cache-key': first?.cacheKey ?? '',
    'changed-files': JSON.stringify(takeWithin(changed, { left: CHANGED_LIST_LIMIT })),
    'changed-files-file': '',
    manifest: '',
  };
}

export function setOutputs(outputs: Record<OutputName, string>): void {
  for (const name of OUTPUT_NAMES) core.setOutput(name, outputs[name]);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The summary stays well under the runner's 1 MiB limit for a step. */
export const SUMMARY_LIMIT = 900 * 1024;

/** A value from a job, cut to `max` characters before it is escaped (bounds every row). */
function cell(text: string, max: number): string {
  return escapeHtml(text.length > max ? `${text.slice(0, max)}…` : text);
}

export interface SummaryOptions {
  /** What tells this step apart from another qq-sync step of the job (step id, paths). */
  heading?: string;
  /** A second line under the headline (the counts and time when the headline is a failure). */
  detail?: string;
}

/**
 * The job summary as HTML/Markdown text; every value from a job is escaped. At the top the
 * counts per state and per outcome (and, with several jobs, a chart of them), then one row per
 * job — complete for campaigns of many hundred jobs, each cell bounded — then the reasons,
 * each once with the jobs it applies to, in what is left of the size limit.
 */
export function renderSummary(
  results: readonly JobResult[],
  headline: string,
  options: SummaryOptions = {},
): string {
  const title = options.heading ? `qq-sync: ${options.heading}` : 'qq-sync';
  const top: string[] = [
    `<h2>${escapeHtml(title)}</h2>\n<p><strong>${escapeHtml(headline)}</strong></p>\n`,
  ];
  if (options.detail) top.push(`<p>${escapeHtml(options.detail)}</p>\n`);
  if (results.length === 0) return top.join('');
  const byState = countBy(results, (r) => stateCodeOf(r.state) || 'not known');
  const byOutcome = countBy(results, (r) => r.status);
  top.push(
    `<p>By state: ${escapeHtml(countsLine(byState))}<br>By outcome: ${escapeHtml(countsLine(byOutcome))}</p>\n`,
  );
  if (results.length > 1) {
    top.push(mermaidPie('Jobs by state', byState), mermaidPie('Jobs by outcome', byOutcome));
  }
  const header =
    '<tr><th>Job</th><th>Name</th><th>State</th><th>Done</th><th>Exit code</th><th>Files</th><th>Bytes</th><th>Time</th></tr>';
  let size = top.join('').length + header.length + 200;
  const rows: string[] = [];
  const reasons = new Map<string, string[]>();
  let omitted = 0;
  for (const r of results) {
    const row = `<tr><td><code>${cell(r.id, 64)}</code></td><td>${cell(r.name, 64)}</td><td>${escapeHtml(r.state)}</td><td>${cell(r.action, 120)}</td><td>${r.exitCode ?? ''}</td><td>${r.filesSynced}</td><td>${escapeHtml(formatBytes(r.bytesSynced))}</td><td>${escapeHtml(formatDuration(r.durationMs))}</td></tr>`;
    if (size + row.length > SUMMARY_LIMIT) {
      omitted++;
      continue;
    }
    size += row.length;
    rows.push(row);
    if (r.reason) reasons.set(r.reason, [...(reasons.get(r.reason) ?? []), r.id]);
  }
  const parts = [...top, `<table>${header}${rows.join('')}</table>\n`];
  if (omitted > 0) {
    parts.push(`<p>${omitted} more job(s) not shown: see the <code>jobs</code> output.</p>\n`);
  }
  const items: string[] = [];
  let reasonsLeft = 0;
  for (const [reason, ids] of reasons) {
    const shown = ids.slice(0, 20).map((id) => `<code>${cell(id, 64)}</code>`);
    const more = ids.length > shown.length ? ` and ${ids.length - shown.length} more` : '';
    const item = `<li>${cell(reason, 2000)} (${ids.length === 1 ? 'job' : `${ids.length} jobs:`} ${shown.join(', ')}${more})</li>`;
    if (size + item.length > SUMMARY_LIMIT) {
      reasonsLeft++;
      continue;
    }
    size += item.length;
    items.push(item);
  }
  if (items.length > 0) parts.push(`<h3>Reasons</h3>\n<ul>${items.join('')}</ul>\n`);
  if (reasonsLeft > 0) {
    parts.push(
      `<p>${reasonsLeft} more reason(s) not shown: see the <code>jobs</code> output.</p>\n`,
    );
  }
  return parts.join('');
}

/** The runner shows at most this many annotations of each kind per step. */
export const ANNOTATION_LIMIT = 10;

export interface Annotation {
  title: string;
  message: string;
}

/**
 * At most ANNOTATION_LIMIT of a kind: the first LIMIT-1 as they are, and one that aggregates
 * the rest, so nothing is silently dropped.
 */
export function aggregateAnnotations(items: readonly Annotation[], noun: string): Annotation[] {
  if (items.length <= ANNOTATION_LIMIT) return [...items];
  const shown = items.slice(0, ANNOTATION_LIMIT - 1);
  const rest = items.slice(ANNOTATION_LIMIT - 1);
  const names = rest.map((a) => a.title).join(', ');
  return [
    ...shown,
    {
      title: `${rest.length} more ${noun}`,
      message: `${rest.length} more ${noun}: ${names.length > 3000 ? `${names.slice(0, 3000)}…` : names}. See the job summary.`,
    },
  ];
}

/**
 * Reasons that mean the files are already where they belong: a notice, not a warning (a
 * scheduled sync would otherwise stay yellow forever once the job has ended).
 */
const ALREADY_IN_PLACE: ReadonlySet<string> = new Set([
  SYNCHRONIZED_MESSAGE,
  IMPLICITLY_SYNCHRONIZED_MESSAGE,
]);

/** One annotation per job that was not fetched (notice or warning) or failed (error). */
export function annotate(results: readonly JobResult[]): void {
  const notices = results
    .filter((r) => r.status === 'skipped' && ALREADY_IN_PLACE.has(r.reason))
    .map((r) => ({ title: `qq-sync: ${r.id} already in place`, message: r.reason }));
  const warnings = results
    .filter((r) => r.status === 'skipped' && !ALREADY_IN_PLACE.has(r.reason))
    .map((r) => ({ title: `qq-sync: ${r.id} not fetched`, message: r.reason }));
  const errors = results
    .filter((r) => r.status === 'failed')
    .map((r) => ({ title: `qq-sync: ${r.id} failed`, message: r.reason }));
  for (const a of aggregateAnnotations(notices, 'jobs already in place')) {
    core.notice(a.message, { title: a.title });
  }
  // One warning per `files` entry, with the jobs whose working directory lacks it.
  const unmatched = new Map<string, JobResult[]>();
  for (const r of results) {
    for (const f of r.unmatchedFiles ?? []) unmatched.set(f, [...(unmatched.get(f) ?? []), r]);
  }
  for (const [entry, jobs] of unmatched) {
    const first = jobs[0] as JobResult;
    warnings.push({
      title: `qq-sync: '${entry}' matched nothing`,
      message:
        jobs.length === 1
          ? `${unmatchedMessage(entry, first.workDir)} (job ${first.id})`
          : `'files' entry '${entry}' matched nothing in the working directories of ${jobs.length} jobs (${jobs
              .slice(0, 10)
              .map((j) => `${j.id}: '${j.workDir}'`)
              .join(', ')}${jobs.length > 10 ? ', …' : ''}): nothing was fetched for it.`,
    });
  }
  for (const a of aggregateAnnotations(warnings, 'jobs not fetched or files matching nothing')) {
    core.warning(a.message, { title: a.title });
  }
  for (const a of aggregateAnnotations(errors, 'jobs failed')) {
    core.error(a.message, { title: a.title });
  }
}
