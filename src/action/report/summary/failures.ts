/**
 * The summary's "why it failed" part: one `<details>` per job that failed or was killed on the
 * cluster, its line the scheduler's account (walltime used of asked, memory, a kill at a limit),
 * its body the last lines of the job's stderr in a `<pre>`. The text is the job's: every
 * character that means something to HTML is escaped, and its line breaks are written as `&#10;`
 * so the whole block stays on one line — a blank line in the text cannot end the HTML block and
 * hand the rest to the Markdown parser (a table, a heading, a fence).
 */
import type { JobUsage } from '../../../batch/types.js';
import { formatBytes } from '../../../util/bytes.js';
import {
  clip,
  type JobResult,
  jobLabel,
  oneLine,
  plural,
  stateCodeOf,
  statePhrase,
} from '../result.js';
import { escapeHtml } from './escape.js';

/** PBS sizes (`3817452kb`, `8gb`: powers of 1024) in the summary's units; anything else as said. */
export function memoryWords(size: string): string {
  const m = /^(\d+)(b|kb|mb|gb|tb|pb)?$/i.exec(size.trim());
  if (!m) return size;
  const power = ['b', 'kb', 'mb', 'gb', 'tb', 'pb'].indexOf((m[2] ?? 'b').toLowerCase());
  return formatBytes(Number(m[1]) * 1024 ** power);
}

/** `walltime 00:10:02 of 01:00:00 · memory 1.2gb of 4gb · stopped at its walltime limit (…)` */
export function usageWords(usage: JobUsage | undefined): string {
  if (!usage) return '';
  const of = (used: string | undefined, limit: string | undefined) =>
    used && limit ? `${used} of ${limit}` : used ? used : limit ? `? of ${limit}` : '';
  const mem = (v: string | undefined) => (v ? memoryWords(v) : undefined);
  const parts = [
    of(usage.walltime, usage.walltimeLimit) &&
      `walltime ${of(usage.walltime, usage.walltimeLimit)}`,
    of(mem(usage.mem), mem(usage.memLimit)) && `memory ${of(mem(usage.mem), mem(usage.memLimit))}`,
    usage.limitKill &&
      `the scheduler stopped it at its ${usage.limitKill.limit} limit (${usage.limitKill.said})`,
  ].filter(Boolean);
  return oneLine(parts.join(' · '));
}

/** A limit kill in two words for the table's state cell, or ''. */
export function limitNote(r: JobResult): string {
  const kill = r.whyFailed?.usage?.limitKill;
  return kill ? `${kill.limit} limit` : '';
}

/** The job's text in a `<pre>`: escaped, one line of HTML. */
function pre(text: string): string {
  return `<pre>${escapeHtml(text).replaceAll('\n', '&#10;')}</pre>`;
}

/** One job's block; `open` for the only one (what a CI user reads first). */
export function failureBlock(r: JobResult, mark: string, open: boolean): string {
  const why = r.whyFailed;
  if (!why) return '';
  const usage = usageWords(why.usage);
  const head = `${mark} ${clip(jobLabel(r), 150)} ${statePhrase(r)}${usage ? ` · ${usage}` : ''}`;
  const err = why.stderr;
  let body = '';
  if (err?.text !== undefined) {
    const lines = err.cut
      ? `Last ${plural(err.lines, 'line')}`
      : err.lines === 1
        ? 'The one line'
        : `All ${err.lines} lines`;
    body = `<p>${lines} of <code>${escapeHtml(clip(oneLine(err.name), 120))}</code> (${escapeHtml(err.where ?? '')}):</p>${pre(err.text)}`;
  } else if (err) {
    body = `<p>Its stderr <code>${escapeHtml(clip(oneLine(err.name), 120))}</code> is not shown: ${escapeHtml(oneLine(err.unavailable ?? 'not available'))}.</p>`;
  } else {
    body = '<p>Its stderr is not shown (stderr-lines: 0).</p>';
  }
  return `<details${open ? ' open' : ''}><summary>${escapeHtml(head)}</summary>${body}</details>\n`;
}

/**
 * The blocks for `results` (already in the summary's order), as long as they fit in `budget`
 * characters; how many did not fit.
 */
export function failureSection(
  results: readonly JobResult[],
  markOf: (r: JobResult) => string,
  budget: number,
): { html: string; omitted: number } {
  const explained = results.filter((r) => r.whyFailed);
  if (explained.length === 0) return { html: '', omitted: 0 };
  const killed = explained.some((r) => stateCodeOf(r.state) === 'killed');
  const failed = explained.some((r) => stateCodeOf(r.state) === 'failed');
  const verbs = [failed ? 'failed' : '', killed ? 'were killed' : ''].filter(Boolean).join(' or ');
  const title =
    explained.length === 1
      ? `Why the job ${killed ? 'was killed' : 'failed'}`
      : `Why the jobs ${verbs}`;
  let html = `<h3>${title}</h3>\n`;
  let omitted = 0;
  for (const r of explained) {
    const block = failureBlock(r, markOf(r), explained.length === 1);
    if (html.length + block.length > budget) {
      omitted++;
      continue;
    }
    html += block;
  }
  if (omitted > 0) html += `<p>${omitted} more not shown (the summary's size limit).</p>\n`;
  return { html, omitted };
}
