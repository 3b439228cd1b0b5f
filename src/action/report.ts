/**
 * What the workflow sees at the end: step outputs (always all set), the job summary (escaped,
 * bounded) and annotations (aggregated beyond what the runner shows).
 */
import * as core from './core.js';

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
}

export function overallStatus(results: readonly JobResult[]): JobStatus {
  if (results.length === 0 || results.some((r) => r.status === 'failed')) return 'failed';
  return results.some((r) => r.status === 'synced') ? 'synced' : 'skipped';
}

/** The public JSON of one job (the contract of the `jobs` output). */
export function jobJson(r: JobResult) {
  return {
    id: r.id,
    name: r.name,
    infoFile: r.infoFile,
    state: r.state,
    status: r.status,
    reason: r.reason,
    exitCode: r.exitCode,
    filesSynced: r.filesSynced,
    bytesSynced: r.bytesSynced,
    destination: r.destination,
    cacheHit: r.cacheHit,
    cacheKey: r.cacheKey,
  };
}

export const OUTPUT_NAMES = [
  'status',
  'state',
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
  return {
    status: overallStatus(results),
    state: first?.state ?? '',
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
    jobs: JSON.stringify(results.map(jobJson)),
    'cache-hit': results.some((r) => r.cacheHit) ? 'true' : 'false',
    'cache-key': first?.cacheKey ?? '',
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

/** The job summary as HTML/Markdown text; every value from a job is escaped. */
export function renderSummary(results: readonly JobResult[], headline: string): string {
  const header =
    '<tr><th>Job</th><th>Name</th><th>State</th><th>Done</th><th>Files</th><th>Bytes</th><th>Time</th></tr>';
  const parts: string[] = [`<h2>qq-sync</h2>\n<p>${escapeHtml(headline)}</p>\n`];
  let size = parts[0]?.length ?? 0;
  const rows: string[] = [];
  const reasons: string[] = [];
  let omitted = 0;
  for (const r of results) {
    const row = `<tr><td><code>${escapeHtml(r.id)}</code></td><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.state)}</td><td>${escapeHtml(r.action)}</td><td>${r.filesSynced}</td><td>${escapeHtml(formatBytes(r.bytesSynced))}</td><td>${escapeHtml(formatDuration(r.durationMs))}</td></tr>`;
    const reason = r.reason
      ? `<li><code>${escapeHtml(r.id)}</code>: ${escapeHtml(r.reason.length > 2000 ? `${r.reason.slice(0, 2000)}…` : r.reason)}</li>`
      : '';
    if (size + row.length + reason.length > SUMMARY_LIMIT) {
      omitted++;
      continue;
    }
    size += row.length + reason.length;
    rows.push(row);
    if (reason) reasons.push(reason);
  }
  parts.push(`<table>${header}${rows.join('')}</table>\n`);
  if (omitted > 0) {
    parts.push(`<p>${omitted} more job(s) not shown: see the <code>jobs</code> output.</p>\n`);
  }
  if (reasons.length > 0) parts.push(`<h3>Reasons</h3>\n<ul>${reasons.join('')}</ul>\n`);
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

export function annotate(results: readonly JobResult[]): void {
  const warnings = results
    .filter((r) => r.status === 'skipped')
    .map((r) => ({ title: `qq-sync: ${r.id} not fetched`, message: r.reason }));
  const errors = results
    .filter((r) => r.status === 'failed')
    .map((r) => ({ title: `qq-sync: ${r.id} failed`, message: r.reason }));
  for (const a of aggregateAnnotations(warnings, 'jobs not fetched')) {
    core.warning(a.message, { title: a.title });
  }
  for (const a of aggregateAnnotations(errors, 'jobs failed')) {
    core.error(a.message, { title: a.title });
  }
}
