/**
 * The job summary: a heading that tells this step apart (and names its shard), one headline in
 * words, why the step failed (if it did), a bar of the jobs' states (several jobs in several
 * states only), one table row per job — the rows that made the step fail first, the first
 * column the outcome for the user — and, for jobs that failed or were killed on the cluster,
 * their stderr's last lines and the scheduler's account (failures.ts). Every value from
 * a job is escaped and bounded, and the whole stays under the runner's 1 MiB limit for
 * campaigns of many hundred jobs.
 *
 * action/report/summary/ is the job summary alone: this file (heading, headline, table),
 * the states' bar (chart.ts), the why-it-failed blocks (failures.ts) and HTML escaping
 * (escape.ts).
 */
import { formatBytes } from '../../../util/bytes.js';
import { relativeInside } from '../../../util/paths.js';
import { describeShard } from '../../jobs/shard.js';
import type { RunReport } from '../report.js';
import { stepFailure } from '../report.js';
import {
  clip,
  endedBadly,
  formatDuration,
  type JobResult,
  jobLabel,
  leftOutWords,
  oneLine,
  outcomeWords,
  plural,
  stateCodeOf,
  statePhrase,
  withHint,
} from '../result.js';
import { countStates, squareOf, stateBar } from './chart.js';
import { escapeHtml } from './escape.js';
import { failureSection, limitNote } from './failures.js';

export { escapeHtml };

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
  const sum = (rs: JobResult[], f: (r: JobResult) => number) => rs.reduce((a, r) => a + f(r), 0);
  const got = results.filter((r) => r.status === 'synced' && !isDryRun(r));
  const files = sum(got, (r) => r.filesSynced);
  const bytes = sum(got, (r) => r.bytesSynced);
  const dry = results.filter(isDryRun);
  const dryFiles = sum(dry, (r) => wouldSync(r).files);
  const dryBytes = sum(dry, (r) => wouldSync(r).bytes);
  const parts: Array<[number, string]> = [
    [got.length, `fetched (${plural(files, 'file')}, ${formatBytes(bytes)})`],
    [
      dry.length,
      `would be fetched (${plural(dryFiles, 'file')}, ${formatBytes(dryBytes)}; dry run)`,
    ],
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
    case 'dry-run': {
      const w = wouldSync(r);
      return `dry run: ${plural(w.files, 'file')} (${formatBytes(w.bytes)}) would be fetched`;
    }
    default:
      if (r.status === 'failed') return `it could not be fetched: ${oneLine(withHint(r))}`;
      return outcomeWords(r);
  }
}

/** One line, at most HEADLINE_MAX characters: what happened, in words, with the counts. */
export function headline(report: RunReport): string {
  const { results } = report;
  let text: string;
  const shard = report.settings?.shard;
  if (report.fatal && results.length === 0) {
    text = `The step failed: ${oneLine(stepFailure(report))}`;
  } else if (results.length === 0 && shard) {
    text = `No jobs in ${describeShard(shard)}: every job found belongs to another shard of the matrix.`;
  } else if (results.length === 0) {
    text = 'No jobs.';
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

/** What a dry run would write (the `edges-action` fields; the counts themselves before). */
function wouldSync(r: JobResult): { files: number; bytes: number } {
  const w = r as JobResult & { filesWouldSync?: number; bytesWouldSync?: number };
  return { files: w.filesWouldSync ?? r.filesSynced, bytes: w.bytesWouldSync ?? r.bytesSynced };
}

const isDryRun = (r: JobResult) => r.reasonCode === 'dry-run';
/** Files of this job are in its destination now (fetched or up to date, or from the cache). */
const fetched = (r: JobResult) => !isDryRun(r) && (r.status === 'synced' || r.cacheHit);

/**
 * The outcome for the user, as the first column's mark: what is in the destination, and
 * whether the job itself ended well. The legend under the table says the marks it uses.
 */
const MARKS = {
  fetched: ['✔', 'fetched'],
  fetchedBad: ['⚠️', 'fetched, but the job failed or was killed'],
  notFetched: ['✖', 'not fetched: an error (the step fails)'],
  nothing: ['–', 'nothing to fetch'],
  dryRun: ['○', 'would be fetched (dry run)'],
} as const;

function markKey(r: JobResult): keyof typeof MARKS {
  if (r.status === 'failed') return 'notFetched';
  if (isDryRun(r)) return 'dryRun';
  if (fetched(r)) return endedBadly(r) ? 'fetchedBad' : 'fetched';
  return 'nothing';
}

export const markOf = (r: JobResult): string => MARKS[markKey(r)][0];

/** Where the files went, relative to the workspace when inside it; '' when nothing is there. */
function destinationCell(r: JobResult, workspace: string): string {
  if (!r.destination || !(fetched(r) || r.filesSynced > 0)) return '';
  const rel = relativeInside(r.destination, workspace);
  const shown = rel === undefined ? r.destination : rel || '.';
  return cell(shown, 120);
}

/** The outcome on the row: a few words, the whole reason one click away. */
function outcomeCell(r: JobResult, withDetails: boolean): string {
  let words = outcomeWords(r, 80);
  if (isDryRun(r)) {
    const w = wouldSync(r);
    words = `would fetch ${plural(w.files, 'file')} (${formatBytes(w.bytes)})${leftOutWords(r)}`;
  } else if (r.status === 'synced' && r.reasonCode === 'fetched') {
    // The amounts are in their own columns; here how they came, where it is not plain rsync.
    // (Another way of getting them, such as a copy from the input directory, keeps its words.)
    const how = [
      r.method === 'rsync over ssh'
        ? 'over ssh'
        : r.method === 'rsync' || r.method === 'in-process copy'
          ? ''
          : r.method,
      r.attempts > 1 ? `${r.attempts} attempts` : '',
    ].filter(Boolean);
    const verb = r.filesSynced === 0 ? 'up to date' : 'fetched';
    words = `${verb}${how.length ? ` (${how.join(', ')})` : ''}${leftOutWords(r)}`;
  }
  const full = oneLine(withHint(r));
  if (!full || full === words) return escapeHtml(words);
  // A failure's whole reason stays one click away, also in a campaign past the budget.
  if (!withDetails && r.status !== 'failed') return escapeHtml(words);
  return `<details><summary>${escapeHtml(words)}</summary>${cell(full, 4000)}</details>`;
}

const HEADER =
  '<tr><th></th><th>Job</th><th>Name</th><th>State</th><th>Exit</th><th>Outcome</th><th>Files</th><th>Bytes</th><th>Destination</th><th>Time</th></tr>';

/** A number and its unit kept on one line (the narrow columns would break them). */
const nbsp = (text: string) => escapeHtml(text).replace(' ', '&nbsp;');

/** The job's time in this step: waiting for its state (wait-for), then fetching. */
function timeCell(r: JobResult): string {
  const waited = r.waitedMs ?? 0;
  const total = nbsp(formatDuration(r.durationMs + waited));
  return waited > 0 ? `${total}<br><sub>waited&nbsp;${nbsp(formatDuration(waited))}</sub>` : total;
}

function row(r: JobResult, workspace: string, withDetails: boolean): string {
  const state = stateWord(r);
  const limit = limitNote(r);
  const amounts = isDryRun(r) ? wouldSync(r) : { files: r.filesSynced, bytes: r.bytesSynced };
  const shows = fetched(r) || isDryRun(r) || r.filesSynced > 0;
  const cells = [
    markOf(r),
    cell(r.id, 64),
    cell(r.name, 64),
    // The state's square, as in the bar above: the colour reads before the word.
    `${squareOf(state)}&nbsp;${escapeHtml(state)}${limit ? `<br><sub>${escapeHtml(limit)}</sub>` : ''}`,
    String(r.exitCode ?? ''),
    outcomeCell(r, withDetails),
    shows ? String(amounts.files) : '',
    shows ? nbsp(formatBytes(amounts.bytes)) : '',
    destinationCell(r, workspace),
    timeCell(r),
  ];
  return `<tr><td>${cells.join('</td><td>')}</td></tr>`;
}

/**
 * The rows in the order a reader needs them: what made the step fail (not fetched, or a
 * fail-on condition), then jobs that failed or were killed on the cluster, then the rest; each
 * group in the order of the run.
 */
export function summaryOrder(report: RunReport): JobResult[] {
  const hit = new Set(report.hits.map((h) => h.result));
  const rank = (r: JobResult) => (r.status === 'failed' || hit.has(r) ? 0 : endedBadly(r) ? 1 : 2);
  return report.results
    .map((r, i) => ({ r, i, k: rank(r) }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map(({ r }) => r);
}

/** `qq-sync: step sync, path campaign, shard 2/8` */
function title(report: RunReport): string {
  const shard = report.settings?.shard;
  const parts = [report.heading];
  if (shard && !report.heading.includes('shard')) parts.push(describeShard(shard));
  const text = parts.filter(Boolean).join(', ');
  return text ? `qq-sync: ${text}` : 'qq-sync';
}

/** The legend of the first column: the marks this table uses. */
function legend(rows: readonly JobResult[]): string {
  const used = [...new Set(rows.map(markKey))].sort(
    (a, b) => Object.keys(MARKS).indexOf(a) - Object.keys(MARKS).indexOf(b),
  );
  return `<p><sub>${used.map((k) => `${MARKS[k][0]} ${MARKS[k][1]}`).join(' · ')}</sub></p>\n`;
}

/** The summary as HTML (GitHub renders it as Markdown with HTML). */
export function renderSummary(report: RunReport): string {
  const { results } = report;
  const top = [`<h2>${escapeHtml(title(report))}</h2>\n`];
  const failure = stepFailure(report);
  if (report.fatal && results.length === 0) {
    // The step's one error, said once, whole.
    top.push(`<p><strong>The step failed: ${cell(oneLine(failure), 4000)}</strong></p>\n`);
    return top.join('');
  }
  top.push(`<p><strong>${escapeHtml(headline(report))}</strong></p>\n`);
  if (failure) top.push(`<p>The step failed: ${cell(oneLine(failure), 4000)}</p>\n`);
  if (results.length === 0) return top.join('');
  const states = countStates(results.map(stateWord));
  if (results.length > 1 && states.length > 1) top.push(stateBar(states));
  const ordered = summaryOrder(report);
  // The jobs' own errors take at most a third of the budget; the table gets the rest.
  const failures = failureSection(ordered, markOf, SUMMARY_LIMIT / 3);
  let size = top.join('').length + HEADER.length + failures.html.length + 600;
  const rows: string[] = [];
  const shown: JobResult[] = [];
  let omitted = 0;
  for (const r of ordered) {
    // Past a third of the budget, reasons stay on their rows in short, without the whole text.
    const text = row(r, report.workspace, size < SUMMARY_LIMIT / 3);
    if (size + text.length > SUMMARY_LIMIT) {
      omitted++;
      continue;
    }
    size += text.length;
    rows.push(text);
    shown.push(r);
  }
  const parts = [...top, `<table>${HEADER}${rows.join('')}</table>\n`, legend(shown)];
  if (omitted > 0) {
    parts.push(`<p>${omitted} more job(s) not shown: see the <code>jobs</code> output.</p>\n`);
  }
  parts.push(failures.html);
  return parts.join('');
}
