/**
 * Slurm: `scontrol show job -o` (one job: qq's exact command; several jobs: one call listing
 * every job the controller knows, filtered here, because `scontrol show job` takes a single
 * id), then one `sacct` for the jobs scontrol no longer knows (spec §3.2), state as in
 * spec §2.4. Node lists are expanded with one `scontrol show hostnames` call.
 */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { QQError } from '../domain/errors.js';
import { BatchState } from '../domain/states.js';
import { errorMessage } from '../util/errors.js';
import { chunks, runScheduler, validateJobId } from './scheduler.js';
import type { BatchContext, BatchJobInfo, BatchSystem, BatchSystemName } from './types.js';

/** Ids per sacct call; N ≤ this costs one call. */
export const SACCT_IDS_PER_CALL = 500;

/** qq's sacct fields, in qq's order. */
export const SACCT_FIELDS = [
  'JobID',
  'Account',
  'State',
  'User',
  'JobName',
  'Partition',
  'WorkDir',
  'AllocCPUs',
  'ReqCPUs',
  'AllocTRES',
  'ReqTRES',
  'AllocNodes',
  'ReqNodes',
  'Submit',
  'Start',
  'End',
  'TimeLimit',
  'NodeList',
  'Reason',
  'ExitCode',
] as const;

/** The scontrol-style keys qq gives the sacct fields. */
export const SACCT_KEYS = [
  'JobId',
  'Account',
  'JobState',
  'UserId',
  'JobName',
  'Partition',
  'WorkDir',
  'AllocCPUs',
  'ReqCPUs',
  'AllocTRES',
  'ReqTRES',
  'AllocNodes',
  'ReqNodes',
  'SubmitTime',
  'StartTime',
  'EndTime',
  'TimeLimit',
  'NodeList',
  'Reason',
  'ExitCode',
] as const;

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
 * Keys `scontrol show job -o` prints (Slurm 20.11 … 24.x). Used only to decide where a
 * free-text value (a job name or comment with spaces and `=`) ends.
 */
export const SCONTROL_JOB_KEYS: ReadonlySet<string> = new Set([
  'JobId',
  'ArrayJobId',
  'ArrayTaskId',
  'ArrayTaskThrottle',
  'HetJobId',
  'HetJobOffset',
  'HetJobIdSet',
  'JobName',
  'UserId',
  'GroupId',
  'MCS_label',
  'Priority',
  'Nice',
  'Account',
  'QOS',
  'JobState',
  'Reason',
  'Dependency',
  'Requeue',
  'Restarts',
  'BatchFlag',
  'Reboot',
  'ExitCode',
  'DerivedExitCode',
  'RunTime',
  'TimeLimit',
  'TimeMin',
  'SubmitTime',
  'EligibleTime',
  'AccrueTime',
  'StartTime',
  'EndTime',
  'Deadline',
  'SuspendTime',
  'SecsPreSuspend',
  'LastSchedEval',
  'Scheduler',
  'PreemptEligibleTime',
  'PreemptTime',
  'ResizeTime',
  'Partition',
  'AllocNode:Sid',
  'ReqNodeList',
  'ExcNodeList',
  'NodeList',
  'SchedNodeList',
  'BatchHost',
  'NumNodes',
  'NumCPUs',
  'NumTasks',
  'CPUs/Task',
  'ReqB:S:C:T',
  'ReqTRES',
  'AllocTRES',
  'TRES',
  'Socks/Node',
  'NtasksPerN:B:S:C',
  'CoreSpec',
  'ThreadSpec',
  'MinCPUsNode',
  'MinMemoryNode',
  'MinMemoryCPU',
  'MinTmpDiskNode',
  'Features',
  'ClusterFeatures',
  'Prefer',
  'DelayBoot',
  'OverSubscribe',
  'Contiguous',
  'Licenses',
  'LicensesAlloc',
  'Network',
  'Command',
  'WorkDir',
  'AdminComment',
  'SystemComment',
  'Comment',
  'StdErr',
  'StdIn',
  'StdOut',
  'Power',
  'CpusPerTres',
  'MemPerTres',
  'TresBind',
  'TresFreq',
  'TresPerJob',
  'TresPerNode',
  'TresPerSocket',
  'TresPerTask',
  'MailUser',
  'MailType',
  'Reservation',
  'Container',
  'ContainerID',
  'CPU_Bind',
  'MemPerNode',
  'MemPerCPU',
  'NtasksPerTRES',
  'CpuFreqMin',
  'CpuFreqMax',
  'CpuFreqGov',
  'KillOInInvalidDependent',
  'BurstBuffer',
  'BurstBufferState',
  'Partitions',
  'JobStateReason',
  'StepMgrEnabled',
  'ResvPorts',
  'SegmentSize',
  'OOMKillStep',
  'Wckey',
  'WCKey',
  'GresEnforceBind',
  'SpreadJob',
  'MCS',
  'FedOrigin',
  'FedViableSiblings',
  'FedActiveSiblings',
  'Siblings',
  'TaskPerNode',
  'Tasks/Node',
  'RemoteRunTime',
  'NodeListOwner',
  'Cluster',
  'ClusterName',
  'EndTimeEstimate',
  'PreSusTime',
  'ExtraState',
  'Extra',
  'SelinuxContext',
  'UserName',
  'GroupName',
  'ArrayTaskString',
]);

/** Keys whose value is free text: it may contain spaces and `word=word` pieces. */
const FREE_TEXT_KEYS: ReadonlySet<string> = new Set([
  'JobName',
  'Comment',
  'AdminComment',
  'SystemComment',
  'Command',
]);

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

/** Spec §2.4: exact, upper-case match; PENDING with "Dependency" in the comment is HELD. */
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

/** A NodeList value worth expanding (qq: present and not containing `None`). */
function usableNodeList(value: string | undefined): value is string {
  return !!value && !value.includes('None') && value !== '(null)';
}

/** Split a hostlist at the commas outside brackets. */
function splitHostlist(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of list) {
    if (c === '[') depth++;
    else if (c === ']') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((s) => s.length > 0);
}

/** Most names one hostlist may expand to here (beyond that, scontrol does it). */
const MAX_EXPANDED = 100_000;

/**
 * Expand a Slurm hostlist (`cn[01-03,07],gpu5`, `a[1-2]b[3-4]`) the way
 * `scontrol show hostnames` does: brackets hold numbers and ranges, the width of a range is
 * that of its first number (`[08-10]` → 08 09 10, `[8-10]` → 8 9 10), several brackets make
 * a product with the first one outermost, order and duplicates are kept. Undefined for any
 * syntax this does not understand (then scontrol is asked).
 */
export function expandHostlist(list: string): string[] | undefined {
  const out: string[] = [];
  for (const item of splitHostlist(list)) {
    let names: string[] = [''];
    let rest = item;
    while (rest.length > 0) {
      const open = rest.indexOf('[');
      const literal = open < 0 ? rest : rest.slice(0, open);
      if (literal.includes(']')) return undefined;
      names = names.map((n) => n + literal);
      if (open < 0) break;
      const close = rest.indexOf(']', open);
      if (close < 0) return undefined;
      const values: string[] = [];
      for (const range of rest.slice(open + 1, close).split(',')) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(range);
        if (!m) return undefined;
        const loText = m[1] as string;
        const lo = Number(loText);
        const hi = m[2] === undefined ? lo : Number(m[2]);
        if (hi < lo || hi - lo >= MAX_EXPANDED) return undefined;
        for (let v = lo; v <= hi; v++) values.push(String(v).padStart(loText.length, '0'));
      }
      if (names.length * values.length > MAX_EXPANDED) return undefined;
      names = names.flatMap((n) => values.map((v) => n + v));
      rest = rest.slice(close + 1);
    }
    out.push(...names);
    if (out.length > MAX_EXPANDED) return undefined;
  }
  return out;
}

/** How many hosts a hostlist names, or undefined when its syntax is not understood. */
export function countHostlist(list: string): number | undefined {
  return expandHostlist(list)?.length;
}

/**
 * Expand NodeList values (spec §3.2). Lists in the plain hostlist syntax are expanded here,
 * exactly as `scontrol show hostnames` prints them, so that many jobs still cost one
 * scheduler call; only a list this does not understand is given to
 * `scontrol show hostnames <list>` (one call per such list). On a failure the list stays
 * compact (qq's fallback), with a debug message.
 */
export async function expandNodeLists(
  lists: readonly string[],
  ctx: BatchContext,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const list of new Set(lists)) {
    const local = expandHostlist(list);
    if (local) {
      out.set(list, local);
      continue;
    }
    if (list.startsWith('-') || /\s/.test(list)) {
      out.set(list, [list]);
      continue;
    }
    const fallback = (why: string) => {
      ctx.debug(`could not expand node list '${list}' (${why}); using it unexpanded`);
      out.set(list, [list]);
    };
    try {
      const r = await runScheduler(['scontrol', 'show', 'hostnames', list], ctx);
      const names = r.stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
      if (
        r.code !== 0 ||
        names.length === 0 ||
        /Invalid hostlist|Invalid range/.test(r.stdout + r.stderr)
      ) {
        fallback(`exit ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`);
      } else {
        out.set(list, names);
      }
    } catch (e) {
      fallback(errorMessage(e));
    }
  }
  return out;
}

/**
 * Python's `Path(workDir, jobName).with_suffix('.qqinfo')`, or undefined for a name that is
 * not a plain file name (empty, `.`/`..`, a `/` or NUL inside).
 */
export function infoFileCandidate(workDir: string, jobName: string): string | undefined {
  if (!jobName || jobName === '.' || jobName === '..' || /[/\0]/.test(jobName)) return undefined;
  const dot = jobName.lastIndexOf('.');
  const stem = dot > 0 && dot < jobName.length - 1 ? jobName.slice(0, dot) : jobName;
  return path.join(workDir, `${stem}.qqinfo`);
}

async function readableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** What the adapter answers from a Slurm record (scontrol or sacct keys). */
export async function slurmJobInfo(
  id: string,
  fields: Record<string, string>,
  nodes: string[],
  ctx?: BatchContext,
): Promise<BatchJobInfo> {
  const batchHost = fields.BatchHost;
  const mainNode = batchHost && !batchHost.includes('None') ? batchHost : nodes[0];
  let inputDir: string | undefined;
  if (fields.WorkDir) {
    const abs = path.resolve(fields.WorkDir);
    inputDir = await realpath(abs).catch(() => abs);
  }
  let infoFile: string | undefined;
  const name = fields.JobName || undefined;
  if (inputDir && name) {
    const candidate = infoFileCandidate(inputDir, name);
    if (candidate && (await readableFile(candidate))) infoFile = candidate;
    else
      ctx?.debug(`job '${id}': no readable info file at '${candidate ?? `${inputDir}/${name}`}'`);
  }
  return {
    id,
    found: true,
    state: slurmState(fields),
    mainNode,
    nodes,
    exitCode: slurmExitCode(fields.ExitCode),
    comment: slurmComment(fields),
    infoFile,
    inputDir,
    jobName: name,
    raw: fields,
  };
}

function unknownJob(id: string): BatchJobInfo {
  return { id, found: false, state: BatchState.UNKNOWN, nodes: [], raw: {} };
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
function pendingArrayRecord(
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
function indexRecords(records: Record<string, string>[]): Map<string, Record<string, string>> {
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

export class SlurmSystem implements BatchSystem {
  constructor(
    readonly name: BatchSystemName,
    readonly alwaysShared: boolean,
  ) {}

  async queryJobs(ids: readonly string[], ctx: BatchContext): Promise<Map<string, BatchJobInfo>> {
    const unique = [...new Set(ids)];
    for (const id of unique) validateJobId(id);
    const found = new Map<string, Record<string, string>>();
    if (unique.length === 0) return new Map();

    // 1. scontrol: qq's own command for one job; for several, one call for all jobs.
    const single = unique.length === 1;
    const argv = single
      ? ['scontrol', 'show', 'job', unique[0] as string, '-o']
      : ['scontrol', '-o', 'show', 'job'];
    const sc = await runScheduler(argv, ctx, { maxBuffer: 512 * 1024 * 1024 });
    if (sc.code === 0) {
      const records = parseScontrolOutput(sc.stdout);
      const index = indexRecords(records);
      for (const id of unique) {
        const r =
          index.get(id) ??
          pendingArrayRecord(id, records) ??
          (single && records.length === 1 ? records[0] : undefined);
        if (r) found.set(id, r);
      }
      if (single && !found.has(unique[0] as string) && records.length > 1) {
        ctx.debug(
          `scontrol printed ${records.length} records for job '${unique[0]}'; using the first`,
        );
        found.set(unique[0] as string, records[0] as Record<string, string>);
      }
    } else {
      ctx.debug(`scontrol failed (exit ${sc.code}): ${sc.stderr.trim()}; trying sacct`);
    }

    // 2. sacct for the jobs scontrol does not know (any more).
    const missing = unique.filter((id) => !found.has(id));
    for (const group of chunks(missing, SACCT_IDS_PER_CALL)) {
      let sa: Awaited<ReturnType<typeof runScheduler>>;
      try {
        sa = await runScheduler(sacctArgv(group), ctx, { maxBuffer: 64 * 1024 * 1024 });
      } catch (e) {
        // Without sacct qq's bash gets exit 127: no information, not an error.
        if (e instanceof QQError && /command not found/.test(e.message)) {
          ctx.debug(`${e.message} Jobs ${group.join(', ')} are unknown to Slurm.`);
          continue;
        }
        throw e;
      }
      if (sa.code !== 0) {
        ctx.debug(
          `sacct failed (exit ${sa.code}): ${sa.stderr.trim()}; no information about ${group.join(', ')}`,
        );
        continue;
      }
      const records: Record<string, string>[] = [];
      for (const line of sa.stdout.split(/\r?\n/)) {
        if (line.trim() === '') continue;
        const r = parseSacctLine(line.replace(/\r$/, ''));
        if (r) records.push(r);
        else {
          ctx.debug(
            `sacct line with a wrong number of fields (qq: 'Number of items in a sacct string'): ${line}`,
          );
        }
      }
      for (const id of group) {
        const r = pickSacctRecord(id, records, ctx.debug);
        if (r) found.set(id, r);
      }
    }

    // 3. Node lists, expanded in one call.
    const lists = [...found.values()].map((r) => r.NodeList).filter(usableNodeList);
    const expanded = lists.length > 0 ? await expandNodeLists(lists, ctx) : new Map();

    const answers = new Map<string, BatchJobInfo>();
    for (const id of unique) {
      const r = found.get(id);
      if (!r) {
        answers.set(id, unknownJob(id));
        continue;
      }
      const nodeList = r.NodeList;
      const nodes = usableNodeList(nodeList) ? (expanded.get(nodeList) ?? [nodeList]) : [];
      answers.set(id, await slurmJobInfo(id, r, nodes, ctx));
    }
    return answers;
  }
}
