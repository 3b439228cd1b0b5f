/**
 * One job's outcome. `reasonCode` says what happened, for code to branch on; `reason` keeps the
 * words, for people (qq's where qq has them), so nothing tells outcomes apart by message text.
 */

import {
  type RealState,
  realStateCode,
  realStateFromName,
  realStateToString,
} from '../../domain/states.js';
import type { UnsuitableCode } from '../../domain/suitability.js';
import type { PathList } from '../../transfer/changes.js';
import type { ChangedEntry, LeftOut } from '../../transfer/path-filter.js';
import type { Method } from '../../transfer/transport.js';
import { formatBytes } from '../../util/bytes.js';
import type { Job } from '../jobs/targets.js';
import type { WhyFailed } from './why-failed.js';

/** `dry-run`: the job would have been `synced`; nothing was written (`dry-run: true`). */
export type JobStatus = 'synced' | 'dry-run' | 'skipped' | 'failed';

/**
 * What happened to a job. synced: `fetched`, `copied` (qq had synchronized it: its input
 * directory copied into `destination`). dry-run: `dry-run`. skipped (qq's suitability, or the
 * cache): `queued`, `synchronized`, `implicitly-synchronized`, `killed-no-work-dir`,
 * `restored`. failed: `work-dir-missing`, `transfer-failed`, `wait-timeout`, `cancelled`,
 * `error` (anything else: an unreadable info file, an unknown job id, a refused path).
 */
export type ReasonCode =
  | 'fetched'
  | 'copied'
  | 'dry-run'
  | UnsuitableCode
  | 'restored'
  | 'work-dir-missing'
  | 'transfer-failed'
  | 'wait-timeout'
  | 'cancelled'
  | 'error';

/** One job's outcome; the `jobs` output is an array of the public part of these. */
export interface JobResult {
  id: string;
  name: string;
  infoFile: string;
  /** Real state as qq prints it (`running`, `in an inconsistent state`), '' if not known. */
  state: string;
  status: JobStatus;
  reasonCode: ReasonCode;
  /**
   * Why the job was not fetched (qq's words) or the error; '' when fetched from its working
   * directory; qq's words on why it was copied from its input directory instead (`copied`).
   */
  reason: string;
  /**
   * A hint of ours about `reason` (which input to fix): in the log, the annotation and the
   * summary, never in `reason`, which keeps qq's words exactly.
   */
  hint?: string;
  exitCode: number | null;
  /** Files and bytes written (0 in a dry run). */
  filesSynced: number;
  bytesSynced: number;
  /** Files and bytes that would be written: set by a dry run only (status `dry-run`). */
  filesWouldSync?: number;
  bytesWouldSync?: number;
  /** Where the files came from when not the working directory: the input directory. */
  source?: string;
  /** Why qq would not sync it (set with `copied`: which synchronized case it was). */
  unsuitable?: UnsuitableCode;
  destination: string;
  cacheHit: boolean;
  cacheKey: string;
  /** Not in the `jobs` output, but in the single-job outputs and the summary. */
  mainNode: string;
  workDir: string;
  inputDir: string;
  durationMs: number;
  /** How the files came (`rsync`, `rsync over ssh`, `built-in copier`, …), '' if they did not. */
  method: Method | '';
  /** Transfer attempts (more than 1 after a transient failure). */
  attempts: number;
  /** Entries of `files` that matched nothing in the working directory (qq skips them silently). */
  unmatchedFiles?: string[];
  /**
   * What this run wrote into `destination` (relative to it, byte strings), for the manifest:
   * set only when a manifest is written (100,000 objects for a job of as many files).
   */
  changes?: ChangedEntry[];
  /** The paths written, relative to the workspace (absolute outside it), as text. */
  changedFiles?: PathList;
  /** With `max-size`: files left out for it and their bytes (unknown with rsync < 3.1). */
  overMaxSize?: LeftOut;
  /** Time spent in `wait-for` until the job reached a wanted state (the summary's Time). */
  waitedMs?: number;
  /** A failed or killed job: its stderr's last lines and the scheduler's account (summary). */
  whyFailed?: WhyFailed;
}

/** The result of a job before anything is done: failed, with what its info file says. */
export function newResult(job: Job, state: RealState | undefined): JobResult {
  const info = job.info;
  return {
    id: info?.jobId ?? job.requestedId ?? job.label,
    name: info?.jobName ?? '',
    infoFile: job.infoFile ?? '',
    state: state ? realStateToString(state) : '',
    status: 'failed',
    reasonCode: 'error',
    reason: '',
    exitCode: info?.jobExitCode ?? null,
    filesSynced: 0,
    bytesSynced: 0,
    destination: '',
    cacheHit: false,
    cacheKey: '',
    mainNode: info?.mainNode ?? '',
    workDir: info?.workDir ?? '',
    inputDir: info?.inputDir ?? '',
    durationMs: 0,
    method: '',
    attempts: 0,
  };
}

export function unmatchedMessage(entry: string, workDir: string): string {
  return `'files' entry '${entry}' matched nothing in the working directory '${workDir}': nothing was fetched for it.`;
}

/** The reason with our hint after it, for people (the annotation, the summary): not `reason`. */
export function withHint(r: Pick<JobResult, 'reason' | 'hint'>): string {
  return r.hint ? `${r.reason} ${r.hint}` : r.reason;
}

/** The real state of a result, or undefined if not known. */
export function stateOf(r: Pick<JobResult, 'state'>): RealState | undefined {
  return r.state ? realStateFromName(r.state) : undefined;
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
  if (results.some((r) => r.status === 'synced')) return 'synced';
  return results.some((r) => r.status === 'dry-run') ? 'dry-run' : 'skipped';
}

/** A job that ended badly on the cluster (its files may still have been fetched). */
export function endedBadly(r: JobResult): boolean {
  const code = stateCodeOf(r.state);
  return code === 'failed' || code === 'killed';
}

/** Line breaks and other control characters out: what is left fits on one line. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** At most `max` characters, an ellipsis marking the cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `5001.pbs-m1 (ala-300K)`: how a job is named in titles and annotations. */
export function jobLabel(r: Pick<JobResult, 'id' | 'name'>): string {
  return oneLine(r.name ? `${clip(r.id, 80)} (${clip(r.name, 60)})` : clip(r.id, 80));
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export { plural };

/** Why a skipped job had nothing to fetch, in a few words (the full text is `reason`). */
const SKIP_WORDS: Partial<Record<ReasonCode, string>> = {
  synchronized: 'already synchronized by qq',
  'implicitly-synchronized': 'ran in its input directory',
  'killed-no-work-dir': 'killed before it had a working directory',
  restored: 'restored from the cache',
};

/**
 * The outcome in a few words, the same in log titles, the table and annotations:
 * `fetched 4 files, 157 B`, `nothing to fetch (not started yet)`, `failed: <short reason>`.
 */
export function outcomeWords(r: JobResult, reasonMax = 100): string {
  const amount = `${plural(r.filesSynced, 'file')}, ${formatBytes(r.bytesSynced)}`;
  const left = leftOutWords(r);
  if (r.reasonCode === 'fetched') {
    return `${r.filesSynced === 0 ? 'up to date' : `fetched ${amount}`}${left}`;
  }
  if (r.reasonCode === 'copied') {
    return `copied ${amount} from the input directory (${SKIP_WORDS[r.unsuitable ?? 'synchronized'] ?? 'already synchronized by qq'})${left}`;
  }
  if (r.reasonCode === 'dry-run') {
    const would = `${plural(r.filesWouldSync ?? 0, 'file')}, ${formatBytes(r.bytesWouldSync ?? 0)}`;
    const from = r.source ? ' from the input directory' : '';
    return `would ${r.source ? 'copy' : 'fetch'} ${would}${from} (dry run)${left}`;
  }
  if (r.reasonCode === 'restored' || (r.cacheHit && r.status === 'skipped')) {
    return 'restored from the cache';
  }
  if (r.reasonCode === 'queued') return `nothing to fetch (${stateCodeOf(r.state) || 'queued'})`;
  if (r.status === 'skipped') {
    return `nothing to fetch (${SKIP_WORDS[r.reasonCode] ?? clip(oneLine(r.reason), reasonMax)})`;
  }
  const words = FAIL_WORDS[r.reasonCode];
  return `failed: ${words ?? clip(oneLine(r.reason), reasonMax)}`;
}

/** `; left out 2 files over max-size (1.5 GiB)`, or '' when max-size left nothing out. */
export function leftOutWords(r: Pick<JobResult, 'overMaxSize'>): string {
  const over = r.overMaxSize;
  if (!over || over.files === 0) return '';
  return `; left out ${plural(over.files, 'file')} over max-size (${formatBytes(over.bytes)})`;
}

/** Why a job failed, in a few words, where the code says it (the full text is `reason`). */
const FAIL_WORDS: Partial<Record<ReasonCode, string>> = {
  'work-dir-missing': 'working directory not found',
  'wait-timeout': 'timed out waiting for its state',
  cancelled: 'cancelled',
};

/** ✔ fetched, – nothing to fetch, ✖ failed: the mark before a job in titles and the table. */
export function outcomeMark(r: JobResult): string {
  if (r.status === 'failed') return '✖';
  return r.status === 'synced' || r.status === 'dry-run' || r.cacheHit ? '✔' : '–';
}

/** `failed (exit 1)`, `was killed`, `is running`: the job's state as a predicate. */
export function statePhrase(r: Pick<JobResult, 'state' | 'exitCode'>): string {
  const code = stateCodeOf(r.state);
  const exit = r.exitCode == null ? '' : ` (exit ${r.exitCode})`;
  switch (code) {
    case '':
      return 'is in a state not known';
    case 'finished':
      return `finished${exit}`;
    case 'failed':
      return `failed${exit}`;
    case 'killed':
      return `was killed${exit}`;
    case 'unknown':
      return 'is in an unknown state';
    case 'inconsistent':
      return 'is in an inconsistent state';
    default:
      return `is ${r.state}`;
  }
}
