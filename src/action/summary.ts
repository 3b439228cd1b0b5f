/**
 * The job summary: a heading that tells this step apart, one headline in words, why the step
 * failed (if it did), a bar of the jobs' states (several jobs in several states only), and one
 * table row per job with its outcome and reason on the row. Every value from a job is escaped
 * and bounded, and the whole stays under the runner's 1 MiB limit for campaigns of many
 * hundred jobs.
 */
import { relativeInside } from '../util/paths.js';
import type { RunReport } from './report.js';
import { stepFailure } from './report.js';
import {
  clip,
  formatBytes,
  formatDuration,
  type JobResult,
  jobLabel,
  leftOutWords,
  oneLine,
  outcomeMark,
  outcomeWords,
  plural,
  stateCodeOf,
  statePhrase,
  withHint,
} from './result.js';
import { countStates, squareOf, stateBar } from './summary-chart.js';

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

/** The summary stays well under the runner's 1 MiB limit for a step. */
export const SUMMARY_LIMIT = 900 * 1024;
/** The headline is one line a person reads at a glance. */
export const HEADLINE_MAX = 200;

/** A value from a job, cut to `max` characters before it is escaped (bounds every cell). */
function cell(text: string, max: number): string {
  return escapeHtml(clip(text, max));
}

/** A state in the summary's one vocabulary: the words fail-on and wait-for take. */
const stateWord = (r: JobResult) => stateCodeOf(r.state) || 'not known';

/** `6 fetched (18 files, 16.8 KiB), 1 nothing to fetch, 1 could not be fetched` */
function outcomeCounts(results: readonly JobResult[]): string {
  const n = (f: (r: JobResult) => boolean) => results.filter(f).length;
  const fetched = results.filter((r) => r.reasonCode === 'fetched');
  const files = fetched.reduce((a, r) => a + r.filesSynced, 0);
  const bytes = fetched.reduce((a, r) => a + r.bytesSynced, 0);
  const parts: Array<[number, string]> = [
    [fetched.length, `fetched (${plural(files, 'file')}, ${formatBytes(bytes)})`],
    [n((r) => r.reasonCode === 'dry-run'), 'would be fetched (dry run)'],
    [n((r) => r.status === 'skipped' && r.cacheHit), 'restored from the cache'],
    [n((r) => r.status === 'skipped' && !r.cacheHit), 'nothing to fetch'],
    [n((r) => r.status === 'failed'), 'could not be fetched'],
  ];
  return parts
    .filter(([c]) => c > 0)
    .map(([c, w]) => `${c} ${w}`)
    .join(', ');
}

/** `; 1 job failed on the cluster`: what the step may not fail on, but must not hide. */
function badEnds(results: readonly JobResult[]): string {
  const n = (code: string) => results.filter((r) => stateCodeOf(r.state) === code).length;
  const failed = n('failed');
  const killed = n('killed');
  const said = [
    failed > 0 ? `${plural(failed, 'job')} failed` : '',
    killed > 0 ? `${plural(killed, 'job')} ${killed === 1 ? 'was' : 'were'} killed` : '',
  ].filter(Boolean);
  return said.length === 0 ? '' : `; ${said.join(' and ')} on the cluster`;
}

/** What happened to one job, as a sentence's second half. */
function oneJobOutcome(r: JobResult): string {
  switch (r.reasonCode) {
    case 'fetched':
      if (r.filesSynced === 0) return 'its files here are up to date (nothing new to fetch)';
      return `its files were fetched (${plural(r.filesSynced, 'file')}, ${formatBytes(r.bytesSynced)})`;
    case 'dry-run':
      return `dry run: ${plural(r.filesSynced, 'file')} (${formatBytes(r.bytesSynced)}) would be fetched`;
    default:
      if (r.status === 'failed') return `it could not be fetched: ${oneLine(withHint(r))}`;
      return outcomeWords(r);
  }
}

/** One line, at most HEADLINE_MAX characters: what happened, in words, with the counts. */
export function headline(report: RunReport): string {
  const { results } = report;
  let text: string;
  if (report.fatal && results.length === 0) {
    text = `The step failed: ${oneLine(report.fatal)}`;
  } else if (results.length === 1) {
    const r = results[0] as JobResult;
    text = r.state
      ? `Job ${jobLabel(r)} ${statePhrase(r)}; ${oneJobOutcome(r)}.`
      : `Job ${jobLabel(r)}: ${oneJobOutcome(r)}.`;
  } else {
    // The states are in the bar under the headline, unless there is only one.
    const states = countStates(results.map(stateWord));
    const all = states.length === 1 ? `, all ${states[0]?.[0]}` : '';
    text = `${results.length} jobs${all}: ${outcomeCounts(results)}${badEnds(results)}.`;
  }
  if (report.cancelled) text = `Cancelled (${report.cancelled}). ${text}`;
  return clip(text.replace(/\.\.$/, '.'), HEADLINE_MAX);
}

/** Where the files went, relative to the workspace when inside it. */
function destinationCell(r: JobResult, workspace: string): string {
  if (!r.destination) return '';
  const rel = relativeInside(r.destination, workspace);
  const shown = rel === undefined ? r.destination : rel || '.';
  return cell(shown, 120);
}

/** The outcome on the row: a few words, the whole reason one click away. */
function outcomeCell(r: JobResult, withDetails: boolean): string {
  let words = outcomeWords(r, 80);
  if (r.status === 'synced') {
    // The amounts are in their own columns; here how they came, where it is not plain rsync.
    const how = [
      r.method === 'rsync over ssh'
        ? 'over ssh'
        : r.method === 'rsync' || r.method === 'in-process copy'
          ? ''
          : r.method,
      r.attempts > 1 ? `${r.attempts} attempts` : '',
    ].filter(Boolean);
    const verb =
      r.reasonCode === 'dry-run' ? 'would fetch' : r.filesSynced === 0 ? 'up to date' : 'fetched';
    words = `${verb}${how.length ? ` (${how.join(', ')})` : ''}${leftOutWords(r)}`;
  }
  const full = oneLine(withHint(r));
  if (!full || !withDetails || full === words) return escapeHtml(words);
  return `<details><summary>${escapeHtml(words)}</summary>${cell(full, 2000)}</details>`;
}

const HEADER =
  '<tr><th></th><th>Job</th><th>Name</th><th>State</th><th>Exit</th><th>Outcome</th><th>Files</th><th>Bytes</th><th>Destination</th><th>Time</th></tr>';

/** A number and its unit kept on one line (the narrow columns would break them). */
const nbsp = (text: string) => escapeHtml(text).replace(' ', '&nbsp;');

function row(r: JobResult, workspace: string, withDetails: boolean): string {
  const fetched = r.status === 'synced' || r.cacheHit;
  const state = stateWord(r);
  const cells = [
    outcomeMark(r),
    cell(r.id, 64),
    cell(r.name, 64),
    // The state's square, as in the bar above: the colour reads before the word.
    `${squareOf(state)}&nbsp;${escapeHtml(state)}`,
    String(r.exitCode ?? ''),
    outcomeCell(r, withDetails),
    fetched ? String(r.filesSynced) : '',
    fetched ? nbsp(formatBytes(r.bytesSynced)) : '',
    destinationCell(r, workspace),
    nbsp(formatDuration(r.durationMs)),
  ];
  return `<tr><td>${cells.join('</td><td>')}</td></tr>`;
}

/** The summary as HTML (GitHub renders it as Markdown with HTML). */
export function renderSummary(report: RunReport): string {
  const { results } = report;
  const title = report.heading ? `qq-sync: ${report.heading}` : 'qq-sync';
  const top = [
    `<h2>${escapeHtml(title)}</h2>\n<p><strong>${escapeHtml(headline(report))}</strong></p>\n`,
  ];
  const failure = stepFailure(report);
  const shownInHeadline =
    report.fatal && results.length === 0 && oneLine(report.fatal).length < HEADLINE_MAX - 20;
  if (failure && !shownInHeadline) {
    top.push(`<p>The step failed: ${cell(oneLine(failure), 4000)}</p>\n`);
  }
  if (results.length === 0) return top.join('');
  const states = countStates(results.map(stateWord));
  if (results.length > 1 && states.length > 1) top.push(stateBar(states));
  let size = top.join('').length + HEADER.length + 200;
  const rows: string[] = [];
  let omitted = 0;
  for (const r of results) {
    // Past a third of the budget, reasons stay on their rows in short, without the whole text.
    const text = row(r, report.workspace, size < SUMMARY_LIMIT / 3);
    if (size + text.length > SUMMARY_LIMIT) {
      omitted++;
      continue;
    }
    size += text.length;
    rows.push(text);
  }
  const parts = [...top, `<table>${HEADER}${rows.join('')}</table>\n`];
  if (omitted > 0) {
    parts.push(`<p>${omitted} more job(s) not shown: see the <code>jobs</code> output.</p>\n`);
  }
  return parts.join('');
}
