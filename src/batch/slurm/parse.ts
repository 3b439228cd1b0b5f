/**
 * Parsers of what Slurm prints: `scontrol show job -o` lines, `sacct --parsable2` lines, the
 * state and exit code (docs/qq-behaviour.md §2.4), and which record answers which id.
 */
import { BatchState } from '../../domain/states.js';
import { FREE_TEXT_KEYS, SACCT_FIELDS, SACCT_KEYS, SCONTROL_JOB_KEYS } from './keys.js';

/** The sacct argv for `ids` (qq's command, ids comma-joined). */
export function sacctArgv(ids: readonly string[]): string[] {
  return [
    'sacct',
    '--allocations',
    '--noheader',
    '--parsable2',
    '-j',
    ids.join(','),
    `--format=${SACCT_FIELDS.join(',')}`,
  ];
}

/**
 * One line of `scontrol show job -o` into key/value pairs. qq splits on whitespace and keeps
 * the pieces holding `=`, split at the first `=`. That loses the rest of a value with a
 * space (`JobName=my job`, `WorkDir=/a b`) and lets a comment (`Comment=a b=c`) invent keys.
 * Here a piece without `=` continues the previous value, and after a free-text key
 * (JobName, Comment, …) a `key=` piece starts a new pair only if it is a key scontrol prints
 * and has not been seen yet in the line. Keys are otherwise taken as qq takes them.
 */
export function parseScontrolLine(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  // Candidate boundaries: start of line or whitespace, then `key=`.
  const re = /(^|\s+)([^\s=]+)=/g;
  const starts: { key: string; keyStart: number; valueStart: number }[] = [];
  const seen = new Set<string>();
  let freeText = false;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    const key = m[2] as string;
    const keyStart = m.index + (m[1] as string).length;
    if (starts.length > 0 && freeText && (!SCONTROL_JOB_KEYS.has(key) || seen.has(key))) continue;
    starts.push({ key, keyStart, valueStart: m.index + m[0].length });
    seen.add(key);
    freeText = FREE_TEXT_KEYS.has(key);
  }
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i] as (typeof starts)[number];
    const end =
      i + 1 < starts.length ? (starts[i + 1] as (typeof starts)[number]).keyStart : line.length;
    out[s.key] = line.slice(s.valueStart, end).trim();
  }
  return out;
}

/** Every non-empty line of `scontrol show job -o` output. */
export function parseScontrolOutput(text: string): Record<string, string>[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && l.includes('='))
    .map(parseScontrolLine);
}

/**
 * One `sacct --parsable2` line into scontrol-style keys, as qq's `fromSacctString`, or
 * undefined when it does not have exactly 20 fields (where qq raises "Number of items in a
 * sacct string …").
 */
export function parseSacctLine(line: string): Record<string, string> | undefined {
  const parts = line.split('|');
  if (parts.length !== SACCT_KEYS.length) return undefined;
  const info: Record<string, string> = {};
  SACCT_KEYS.forEach((k, i) => {
    info[k] = parts[i] as string;
  });
  info.JobState = (info.JobState ?? '').trim().split(/\s+/)[0] ?? '';
  const assign = (alloc: string, req: string, target: string) => {
    const a = info[alloc];
    info[target] = a && a !== '0' && a !== 'None' ? a : (info[req] ?? '');
  };
  assign('AllocCPUs', 'ReqCPUs', 'NumCPUs');
  assign('AllocNodes', 'ReqNodes', 'NumNodes');
  return info;
}

const STATE_MAP: Readonly<Record<string, BatchState>> = {
  BOOT_FAIL: BatchState.FAILED,
  CANCELLED: BatchState.FAILED,
  COMPLETED: BatchState.FINISHED,
  DEADLINE: BatchState.FAILED,
  FAILED: BatchState.FAILED,
  NODE_FAIL: BatchState.FAILED,
  OUT_OF_MEMORY: BatchState.FAILED,
  PENDING: BatchState.QUEUED,
  PREEMPTED: BatchState.SUSPENDED,
  RUNNING: BatchState.RUNNING,
  SUSPENDED: BatchState.SUSPENDED,
  TIMEOUT: BatchState.FAILED,
};

/** qq's comment: `Reason: <Reason>` when Reason is present and not `None`. */
export function slurmComment(fields: Record<string, string>): string | undefined {
  const reason = fields.Reason;
  return reason && reason !== 'None' ? `Reason: ${reason}` : undefined;
}

/** docs/qq-behaviour.md §2.4: exact, upper-case match; PENDING with "Dependency" in the comment is HELD. */
export function slurmState(fields: Record<string, string>): BatchState {
  const raw = fields.JobState;
  if (!raw) return BatchState.UNKNOWN;
  const state = STATE_MAP[raw] ?? BatchState.UNKNOWN;
  if (state === BatchState.QUEUED && slurmComment(fields)?.includes('Dependency')) {
    return BatchState.HELD;
  }
  return state;
}

/** `ExitCode=<code>:<signal>` → code if non-zero, else signal; unparsable → undefined. */
export function slurmExitCode(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const parts = raw.split(':');
  if (parts.length !== 2) return undefined;
  const nums = parts.map((p) => (/^\s*[+-]?\d+\s*$/.test(p) ? Number.parseInt(p, 10) : Number.NaN));
  const [code, signal] = nums as [number, number];
  if (Number.isNaN(code) || Number.isNaN(signal)) return undefined;
  return code || signal;
}

/** The ids a scontrol record answers to: JobId, `ArrayJobId_ArrayTaskId`, `HetJobId+HetJobOffset`. */
function recordIds(fields: Record<string, string>): string[] {
  const ids: string[] = [];
  if (fields.JobId) ids.push(fields.JobId);
  if (fields.ArrayJobId && fields.ArrayTaskId && /^\d+$/.test(fields.ArrayTaskId)) {
    ids.push(`${fields.ArrayJobId}_${fields.ArrayTaskId}`);
  }
  if (fields.HetJobId && fields.HetJobOffset) ids.push(`${fields.HetJobId}+${fields.HetJobOffset}`);
  return ids;
}

/** Does an ArrayTaskId like `3-10%2`, `1,4,7-9` or `5` contain task `n`? */
export function arrayTaskIdsContain(spec: string, n: number): boolean {
  const body = spec.split('%', 1)[0] ?? '';
  return body.split(',').some((part) => {
    const m = /^(\d+)(?:-(\d+))?(?::(\d+))?$/.exec(part.trim());
    if (!m) return false;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    return n >= lo && n <= hi && step > 0 && (n - lo) % step === 0;
  });
}

/**
 * The record for an array task `<job>_<n>` that scontrol still shows inside the pending
 * array record (`ArrayJobId=<job> ArrayTaskId=3-10`), as `scontrol show job <job>_<n>` would.
 */
export function pendingArrayRecord(
  id: string,
  records: readonly Record<string, string>[],
): Record<string, string> | undefined {
  const m = /^(\d+)_(\d+)$/.exec(id);
  if (!m) return undefined;
  return records.find(
    (r) =>
      r.ArrayJobId === m[1] &&
      r.ArrayTaskId !== undefined &&
      !/^\d+$/.test(r.ArrayTaskId) &&
      arrayTaskIdsContain(r.ArrayTaskId, Number(m[2])),
  );
}

/** Index scontrol records by every id they answer to (first record wins). */
export function indexRecords(
  records: Record<string, string>[],
): Map<string, Record<string, string>> {
  const index = new Map<string, Record<string, string>>();
  for (const r of records) for (const id of recordIds(r)) if (!index.has(id)) index.set(id, r);
  return index;
}

/**
 * Choose the sacct line for `id` among all lines of one sacct call: the line whose JobID is
 * the id (the last one if several, i.e. the newest), else a heterogeneous job's leader
 * `id+0`. Array jobs (`id_1`, `id_2`, …) and ids with no line get undefined: qq raises
 * "Number of items in a sacct string …" there; we say so in a debug message and answer
 * UNKNOWN.
 */
export function pickSacctRecord(
  id: string,
  records: readonly Record<string, string>[],
  debug: (m: string) => void = () => {},
): Record<string, string> | undefined {
  const exact = records.filter((r) => r.JobId === id);
  if (exact.length > 1) {
    debug(`sacct printed ${exact.length} lines for job '${id}'; using the last (newest)`);
  }
  if (exact.length > 0) return exact[exact.length - 1];
  const leader = records.find((r) => r.JobId === `${id}+0`);
  if (leader) {
    debug(`sacct: job '${id}' is a heterogeneous job; using its leader '${id}+0'`);
    return leader;
  }
  const related = records.filter(
    (r) => r.JobId?.startsWith(`${id}_`) || r.JobId?.startsWith(`${id}+`),
  );
  if (related.length > 0) {
    debug(
      `sacct printed ${related.length} lines for job '${id}' (an array job?) and none for the id itself; qq fails here with 'Number of items in a sacct string'; treating the job as unknown`,
    );
  } else {
    debug(
      `sacct printed no line for job '${id}'; qq fails here with 'Number of items in a sacct string'; treating the job as unknown`,
    );
  }
  return undefined;
}
