/**
 * qq's Navigator predicates (docs/qq-behaviour.md §4), `Syncer.ensure_suitable` (§5.1) in its exact order with
 * its exact messages, the no-destination error of `Syncer.sync`, and the state texts of the
 * job status panel (§2.6).
 *
 * Pure: no I/O. (`workDirIsInputDir` anchors relative paths to `process.cwd()` unless a cwd
 * is given; it never touches the file system.)
 */

import { posix } from 'node:path';
import { QQError } from './errors.js';
import {
  type InfoFile,
  jobIdMatches,
  type TransferMode,
  transferModeMatches,
  usesScratch,
} from './info/index.js';
import { RealState } from './states.js';

export { jobIdMatches };

// qq's messages (docs/qq-behaviour.md §5.1), verbatim.
export const IMPLICITLY_SYNCHRONIZED_MESSAGE =
  'Working directory of the job is the input directory of the job: implicitly synchronized.';
export const SYNCHRONIZED_MESSAGE =
  'Job has been completed and was synchronized: working directory no longer exists.';
export const KILLED_NO_WORK_DIR_MESSAGE =
  'Job has been killed and no working directory is available.';
export const QUEUED_MESSAGE = 'Job is queued or booting: nothing to sync.';
export const NO_DESTINATION_MESSAGE =
  "Host ('main_node') or working directory ('work_dir') are not defined.";

/** The destination fields of an info file (Navigator: taken only from the file). */
export type DestinationFields = Pick<InfoFile, 'mainNode' | 'workDir'>;

/** Navigator.has_destination: both `main_node` and `work_dir` present and non-empty. */
export function hasDestination(info: DestinationFields): boolean {
  return Boolean(info.mainNode) && Boolean(info.workDir);
}

/** `{host, workDir}` when the job has a destination, else undefined (Informer.get_destination). */
export function getDestination(
  info: DestinationFields,
): { host: string; workDir: string } | undefined {
  return info.mainNode && info.workDir ? { host: info.mainNode, workDir: info.workDir } : undefined;
}

/** Navigator.is_queued: QUEUED, BOOTING, HELD or WAITING. */
export function isQueued(state: RealState): boolean {
  return (
    state === RealState.QUEUED ||
    state === RealState.BOOTING ||
    state === RealState.HELD ||
    state === RealState.WAITING
  );
}

/** Navigator.is_killed: KILLED, or EXITING without an exit code (being killed). */
export function isKilled(state: RealState, exitCode: number | undefined): boolean {
  return state === RealState.KILLED || (state === RealState.EXITING && exitCode === undefined);
}

/**
 * Navigator.is_synchronized (v0.8+): an exit code is recorded and at least one transfer mode
 * matches it. Deliberately ignores the real state and whether the directory exists.
 */
export function isSynchronized(
  exitCode: number | undefined,
  transferModes: readonly TransferMode[],
): boolean {
  if (exitCode === undefined) return false;
  return transferModes.some((m) => transferModeMatches(m, exitCode));
}

/**
 * The logical absolute form of a path (qq's `logical_resolve`, v0.10+): relative paths are
 * anchored to `cwd`, then `.` and `..` are collapsed as text; symlinks are never followed and
 * a trailing `/` is dropped.
 */
export function normalizeLogical(p: string, cwd: string = process.cwd()): string {
  return posix.resolve(cwd, p);
}

/**
 * Host names compare equal case-insensitively (a trailing root `.` ignored), or when one is a
 * short name (no dot) equal to the first label of the other: qq ≤ 0.9 wrote short names,
 * v0.10+ FQDNs (docs/qq-behaviour.md §10.1). Empty or missing names never match.
 */
export function hostsMatch(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const norm = (h: string) => h.trim().toLowerCase().replace(/\.$/, '');
  const x = norm(a);
  const y = norm(b);
  if (x === '' || y === '') return false;
  if (x === y) return true;
  const first = (h: string) => h.split('.', 1)[0] as string;
  if (!x.includes('.') && y.includes('.')) return x === first(y);
  if (!y.includes('.') && x.includes('.')) return y === first(x);
  return false;
}

/** The fields `workDirIsInputDir` reads. */
export type WorkDirFields = Pick<
  InfoFile,
  'mainNode' | 'workDir' | 'inputDir' | 'inputMachine' | 'resources'
>;

/**
 * Navigator.work_dir_is_input_dir (v0.8+): the job has a destination, its work dir is the input
 * dir (logical paths), and the job does not use scratch or ran on the input machine
 * (`main_node` vs the file's `input_machine`, compared with `hostsMatch`).
 */
export function workDirIsInputDir(info: WorkDirFields, cwd?: string): boolean {
  const destination = getDestination(info);
  if (!destination) return false;
  const base = cwd ?? process.cwd();
  if (normalizeLogical(destination.workDir, base) !== normalizeLogical(info.inputDir, base)) {
    return false;
  }
  return !usesScratch(info) || hostsMatch(info.mainNode, info.inputMachine);
}

/** The fields the suitability check reads. */
export type SuitabilityFields = WorkDirFields & Pick<InfoFile, 'jobExitCode' | 'transferMode'>;

/** Why a job is not worth syncing: one code per qq message (the code decides, never the text). */
export type UnsuitableCode =
  | 'implicitly-synchronized'
  | 'synchronized'
  | 'killed-no-work-dir'
  | 'queued';

export interface Unsuitable {
  code: UnsuitableCode;
  /** qq's message, to the letter. */
  message: string;
}

const UNSUITABLE: Readonly<Record<UnsuitableCode, string>> = {
  'implicitly-synchronized': IMPLICITLY_SYNCHRONIZED_MESSAGE,
  synchronized: SYNCHRONIZED_MESSAGE,
  'killed-no-work-dir': KILLED_NO_WORK_DIR_MESSAGE,
  queued: QUEUED_MESSAGE,
};

const unsuitable = (code: UnsuitableCode): Unsuitable => ({ code, message: UNSUITABLE[code] });

/**
 * Syncer.ensure_suitable (v0.8 … v0.12), as a value: why the job is not suitable (code and qq's
 * message), or undefined when it is worth syncing. Order: input-dir, synchronized, killed
 * without destination, queued.
 */
export function checkSuitable(
  info: SuitabilityFields,
  state: RealState,
  cwd?: string,
): Unsuitable | undefined {
  if (workDirIsInputDir(info, cwd)) return unsuitable('implicitly-synchronized');
  if (isSynchronized(info.jobExitCode, info.transferMode)) return unsuitable('synchronized');
  if (isKilled(state, info.jobExitCode) && !hasDestination(info)) {
    return unsuitable('killed-no-work-dir');
  }
  if (isQueued(state)) return unsuitable('queued');
  return undefined;
}

/** The check at the start of Syncer.sync: throws QQError without a destination. */
export function ensureDestination(info: DestinationFields): { host: string; workDir: string } {
  const destination = getDestination(info);
  if (!destination) throw new QQError(NO_DESTINATION_MESSAGE);
  return destination;
}

// ---------------------------------------------------------------------------------------------
// Texts of the job status panel (docs/qq-behaviour.md §2.6)

const STATE_MESSAGES: Readonly<Record<RealState, string>> = {
  QUEUED: 'Job is queued',
  HELD: 'Job is held',
  WAITING: 'Job is waiting',
  SUSPENDED: 'Job is suspended',
  RUNNING: 'Job is running',
  BOOTING: 'Job is booting',
  KILLED: 'Job has been killed',
  FAILED: 'Job has failed',
  FINISHED: 'Job has finished',
  EXITING: 'Job is exiting',
  IN_AN_INCONSISTENT_STATE: 'Job is in an inconsistent state',
  UNKNOWN: 'Job is in an unknown state',
};

/** The `Job state:` message of qq's panel (`Job is running`, `Job has been killed`, …). */
export function stateMessage(state: RealState): string {
  return STATE_MESSAGES[state];
}

/** qq's `format_duration_wdhhmmss`: `[Nw ][Nd ]HH:MM:SS`. */
export function formatDurationWdhhmmss(totalSecondsIn: number): string {
  const total = Math.trunc(totalSecondsIn);
  // Python's divmod floors; keep that for negative spans too.
  const divmod = (a: number, b: number): [number, number] => {
    const q = Math.floor(a / b);
    return [q, a - q * b];
  };
  const [weeks, r1] = divmod(total, 7 * 24 * 3600);
  const [days, r2] = divmod(r1, 24 * 3600);
  const [hours, r3] = divmod(r2, 3600);
  const [minutes, seconds] = divmod(r3, 60);
  const parts: string[] = [];
  if (weeks > 0) parts.push(`${weeks}w`);
  if (days > 0) parts.push(`${days}d`);
  const p = (n: number) => String(n).padStart(2, '0');
  parts.push(`${p(hours)}:${p(minutes)}:${p(seconds)}`);
  return parts.join(' ');
}

/** Seconds since the epoch of a `YYYY-MM-DD HH:MM:SS` local timestamp (as qq's naive datetime). */
function naiveSeconds(ts: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(ts);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
}

/** A Date as a naive local `YYYY-MM-DD HH:MM:SS` (qq's `datetime.now()`). */
export function formatLocalTimestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ` +
    `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`
  );
}

export interface StateDetailsOptions {
  /** "Now" for open-ended spans (default: the current time). */
  now?: Date;
  /** Main node from the scheduler (qq uses it for BOOTING). */
  batchMainNode?: string;
}

/** The fields the state details read. */
export type StateDetailsFields = Pick<
  InfoFile,
  'submissionTime' | 'startTime' | 'completionTime' | 'mainNode' | 'allNodes' | 'jobExitCode'
>;

/**
 * The details line under the state message of qq's panel (docs/qq-behaviour.md §2.6); empty for SUSPENDED.
 * Spans run from `start_time` (or `submission_time`) to `completion_time` (or now).
 */
export function stateDetails(
  state: RealState,
  info: StateDetailsFields,
  options: StateDetailsOptions = {},
): string {
  const begin = info.startTime ?? info.submissionTime;
  const end = info.completionTime ?? formatLocalTimestamp(options.now ?? new Date());
  const duration = () => {
    const a = naiveSeconds(begin);
    const b = naiveSeconds(end);
    return a === undefined || b === undefined ? '??:??:??' : formatDurationWdhhmmss(b - a);
  };
  switch (state) {
    case RealState.QUEUED:
    case RealState.HELD:
    case RealState.WAITING:
      return `In queue for ${duration()}`;
    case RealState.SUSPENDED:
      return '';
    case RealState.RUNNING: {
      const all = info.allNodes;
      let nodes: string;
      if (!all || all.length === 0 || !info.mainNode) nodes = 'unknown node(s)';
      else if (all.length === 1) nodes = `'${info.mainNode}'`;
      else
        nodes = `'${info.mainNode}' and ${all.length - 1} other node${all.length > 2 ? 's' : ''}`;
      return `Running for ${duration()} on ${nodes}`;
    }
    case RealState.BOOTING:
      // qq prints Python's None when the scheduler does not know the node.
      return `Preparing working directory on '${options.batchMainNode ?? 'None'}'`;
    case RealState.KILLED:
      return `Killed at ${end}`;
    case RealState.FAILED:
      return `Failed at ${end} [exit code: ${info.jobExitCode ?? 'None'}]`;
    case RealState.FINISHED:
      return `Completed at ${end}`;
    case RealState.EXITING:
      if (info.jobExitCode === undefined) return 'Job is being killed';
      if (info.jobExitCode === 0) return 'Job is finishing successfully';
      return `Job is failing [exit code: ${info.jobExitCode}]`;
    case RealState.IN_AN_INCONSISTENT_STATE:
      return 'The batch system and qq disagree on the status of the job';
    default:
      return 'Job is in a state that qq does not recognize';
  }
}
