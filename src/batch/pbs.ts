/**
 * PBS Pro (and OpenPBS, its open-source edition, which the tests run): `qstat -fxw id1 id2 …`
 * in one call for many jobs, parsed as qq parses one job (docs/qq-behaviour.md §3.1), state as in docs/qq-behaviour.md §2.3.
 */
import { QQError } from '../domain/errors.js';
import { BatchState, batchStateFromCode } from '../domain/states.js';
import { chunks, noRecordReason, runScheduler, validateJobId } from './scheduler.js';
import type { BatchContext, BatchJobInfo, BatchSystem } from './types.js';
import { unknownJob } from './unknown-job.js';
import { pbsUsage } from './usage.js';

/** Ids per qstat call; N ≤ this costs one call. */
export const PBS_IDS_PER_CALL = 500;

export interface PbsRecord {
  /** The id after `Job Id:` (full, e.g. `123.server.example.com`). */
  id: string;
  fields: Record<string, string>;
}

const RECORD_START = /^Job Id:\s*(\S+)\s*$/;

/**
 * Split `qstat -f` output into records. A record starts with `Job Id: <id>`; inside it every
 * line holding ` = ` is `key = value` split at the first ` = ` and trimmed (qq's rule). A
 * line that starts with a tab and has no ` = ` continues the previous value (qstat without
 * `-w` wraps long values that way; with `-w` it never happens). Lines before the first
 * `Job Id:` are ignored.
 */
export function parseQstatRecords(text: string): PbsRecord[] {
  const records: PbsRecord[] = [];
  let current: PbsRecord | undefined;
  let lastKey: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const start = RECORD_START.exec(line);
    if (start?.[1]) {
      current = { id: start[1], fields: {} };
      records.push(current);
      lastKey = undefined;
      continue;
    }
    if (!current) continue;
    const at = line.indexOf(' = ');
    if (at >= 0) {
      const key = line.slice(0, at).trim();
      if (!key) continue;
      current.fields[key] = line.slice(at + 3).trim();
      lastKey = key;
    } else if (line.startsWith('\t') && lastKey !== undefined) {
      current.fields[lastKey] = `${current.fields[lastKey] ?? ''}${line.trim()}`;
    } else if (line.trim() === '') {
      lastKey = undefined;
    }
  }
  return records;
}

/** Python's `int(str)` for what qstat prints: optional spaces and sign, digits. */
function parseIntStrict(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (!/^[+-]?\d+$/.test(t)) return undefined;
  const n = Number.parseInt(t, 10);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `Exit_status` as an integer, or undefined when missing or not an integer. */
export function pbsExitCode(fields: Record<string, string>): number | undefined {
  return parseIntStrict(fields.Exit_status);
}

/** Spec §2.3: job_state (+ Exit_status for F/X) → BatchState. */
export function pbsState(fields: Record<string, string>): BatchState {
  const raw = fields.job_state;
  if (raw === undefined || raw === '') return BatchState.UNKNOWN;
  let code = raw.trim().toUpperCase();
  if (code === 'X') code = 'F';
  if (code === 'F') {
    return pbsExitCode(fields) === 0 ? BatchState.FINISHED : BatchState.FAILED;
  }
  return batchStateFromCode(code);
}

/** One node of exec_host2 / exec_vnode: cut at the first `:`, then `/`, drop parentheses. */
export function cleanPbsNodeName(part: string): string {
  let s = part.trim();
  const colon = s.indexOf(':');
  if (colon >= 0) s = s.slice(0, colon);
  const slash = s.indexOf('/');
  if (slash >= 0) s = s.slice(0, slash);
  return s.replaceAll('(', '').replaceAll(')', '').trim();
}

/** Split a `+`-joined node list and clean each part. */
function nodeList(raw: string): string[] {
  return raw
    .split('+')
    .map(cleanPbsNodeName)
    .filter((n) => n.length > 0);
}

/**
 * Nodes, the first being the main node. qq reads `exec_host2` (PBS Pro:
 * `node1.x:15002/0*8+node2.x:15002/0*8`), taken as qq takes it. OpenPBS never prints
 * `exec_host2`, only `exec_host` (`node1/0*8+node2/0*8`, the mom's names) and `exec_vnode`
 * (`(node1:ncpus=8)+(node2:ncpus=8)`): without `exec_host2` the nodes come from `exec_host`,
 * else from `exec_vnode`, each node once (a host holding several chunks appears once per chunk).
 */
export function pbsNodes(fields: Record<string, string>): string[] {
  if (fields.exec_host2) return nodeList(fields.exec_host2);
  const fallback = fields.exec_host || fields.exec_vnode;
  return fallback ? [...new Set(nodeList(fallback))] : [];
}

/**
 * `Variable_List` (`K=V,K=V,…`) as a map. PBS escapes a comma inside a value as `\,`; that is
 * honoured (qq splits on every comma, which only matters for values holding commas).
 */
export function parseVariableList(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  // Split at each comma that no backslash escapes; `\,` is a comma of the value. (Sliced, not
  // built a character at a time: the list is kilobytes long, and read for every job.)
  for (const raw of value.split(/(?<!\\),/)) {
    const item = raw.includes('\\,') ? raw.replaceAll('\\,', ',') : raw;
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    out[item.slice(0, eq).trim()] = item.slice(eq + 1);
  }
  return out;
}

/** A PBS record as the adapter's answer for `id`. */
export function pbsJobInfo(id: string, fields: Record<string, string>): BatchJobInfo {
  const vars = parseVariableList(fields.Variable_List);
  const nodes = pbsNodes(fields);
  const nonEmpty = (v: string | undefined) => (v ? v : undefined);
  return {
    id,
    found: true,
    state: pbsState(fields),
    mainNode: nodes[0],
    nodes,
    exitCode: pbsExitCode(fields),
    comment: nonEmpty(fields.comment),
    infoFile: nonEmpty(vars.QQ_INFO),
    inputDir:
      nonEmpty(vars.PBS_O_WORKDIR) ?? nonEmpty(vars.QQ_INPUT_DIR) ?? nonEmpty(vars.INF_INPUT_DIR),
    jobName: nonEmpty(fields.Job_Name),
    usage: pbsUsage(fields),
    raw: fields,
  };
}

const prefix = (id: string) => id.split('.', 1)[0] ?? id;

/**
 * Pair asked ids with records. Exact id first; then a record whose id extends the asked one
 * (`123.srv` → `123.srv.example.com`, or the reverse); an asked id without a server part
 * (`123`) matches a record with the same part before the first `.` (qstat completes it with
 * the default server). A record answers at most one asked id.
 */
export function matchPbsRecords(
  ids: readonly string[],
  records: readonly PbsRecord[],
): Map<string, PbsRecord> {
  const out = new Map<string, PbsRecord>();
  const used = new Set<PbsRecord>();
  const claim = (id: string, pick: (r: PbsRecord) => boolean) => {
    if (out.has(id)) return;
    const r = records.find((rec) => !used.has(rec) && pick(rec));
    if (r) {
      out.set(id, r);
      used.add(r);
    }
  };
  for (const id of ids) claim(id, (r) => r.id === id);
  for (const id of ids) {
    claim(id, (r) => r.id.startsWith(`${id}.`) || id.startsWith(`${r.id}.`));
  }
  for (const id of ids) {
    if (id.includes('.')) continue;
    claim(id, (r) => prefix(r.id) === id);
  }
  return out;
}

/** What qstat's stderr says about ids it printed no record for. */
export interface QstatFailures {
  /** Ids whose PBS server could not be reached, with qstat's line. */
  unreachable: Map<string, string>;
  /** Ids qstat refused to parse (`illegally formed job identifier`), with qstat's line. */
  refused: Map<string, string>;
}

const CANNOT_CONNECT = /^qstat: cannot connect to server /;
const ILLEGAL_ID = /^qstat: illegally formed job identifier: (\S+)\s*$/;

/**
 * Pair qstat's error lines with the ids it printed no record for. qstat handles its ids in
 * order and prints one line per id it fails on: `Unknown Job Id <full id>` (unknown to PBS),
 * `illegally formed job identifier: <id>` (it names the id as given: a server name that does
 * not resolve), or `cannot connect to server <default server> (errno=…)` — which names the
 * DEFAULT server whatever server the id is on, so it is paired by order with the ids that no
 * other line names.
 */
export function qstatFailures(stderr: string, missing: readonly string[]): QstatFailures {
  const out: QstatFailures = { unreachable: new Map(), refused: new Map() };
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const named = new Set<string>();
  for (const line of lines) {
    const illegal = ILLEGAL_ID.exec(line)?.[1];
    if (illegal && missing.includes(illegal)) {
      out.refused.set(illegal, line);
      named.add(illegal);
      continue;
    }
    const unknown = /^qstat: Unknown Job Id (\S+)\s*$/.exec(line)?.[1];
    if (unknown) {
      const id = missing.find(
        (m) =>
          !named.has(m) &&
          (m === unknown || unknown.startsWith(`${m}.`) || m.startsWith(`${unknown}.`)),
      );
      if (id) named.add(id);
    }
  }
  const connectLines = lines.filter((l) => CANNOT_CONNECT.test(l));
  const rest = missing.filter((m) => !named.has(m));
  connectLines.forEach((line, i) => {
    const id = rest[i];
    if (id) out.unreachable.set(id, line);
  });
  return out;
}

/** The server an id names (`123.srv` → `PBS server 'srv'`), or the default one. */
function serverOf(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? 'the default PBS server' : `PBS server '${id.slice(dot + 1)}'`;
}

export class PbsSystem implements BatchSystem {
  readonly name = 'PBS' as const;
  readonly alwaysShared = false;

  async queryJobs(ids: readonly string[], ctx: BatchContext): Promise<Map<string, BatchJobInfo>> {
    const unique = [...new Set(ids)];
    for (const id of unique) validateJobId(id);
    const answers = new Map<string, BatchJobInfo>();
    for (const group of chunks(unique, PBS_IDS_PER_CALL)) {
      const result = await runScheduler(['qstat', '-fxw', ...group], ctx);
      const records = parseQstatRecords(result.stdout);
      // No record at all, yet something printed or exit 0 (qstat prints its errors on stderr
      // and exits non-zero for unknown ids): not an answer. The jobs of this call keep their
      // info files' state, with one warning for the call.
      if (records.length === 0 && (result.code === 0 || result.stdout.trim() !== '')) {
        const why = noRecordReason('qstat', result);
        ctx.debug(`${why}; treating ${group.length} job(s) as not answered`);
        for (const id of group) answers.set(id, { ...unknownJob(id), queryError: why });
        continue;
      }
      const matched = matchPbsRecords(group, records);
      const missing = group.filter((id) => !matched.has(id));
      const failures = qstatFailures(result.stderr, missing);
      // A server that does not answer is not an answer: when qstat reached no server at all
      // (PBS down), the whole call could not be asked, as for a missing or hung qstat.
      if (
        records.length === 0 &&
        missing.length > 0 &&
        failures.unreachable.size === missing.length
      ) {
        const line = failures.unreachable.values().next().value as string;
        throw new QQError(`qstat could not reach the PBS server: ${line.replace(/^qstat: /, '')}`);
      }
      for (const id of group) {
        const record = matched.get(id);
        const unreachable = failures.unreachable.get(id);
        const refused = failures.refused.get(id);
        if (record) {
          answers.set(id, pbsJobInfo(id, record.fields));
        } else if (unreachable) {
          answers.set(id, {
            ...unknownJob(id),
            queryError: `qstat could not reach ${serverOf(id)} (${unreachable.replace(/^qstat: cannot connect to server \S+ /, '')})`,
          });
        } else if (refused) {
          answers.set(id, {
            ...unknownJob(id),
            queryError: `PBS refused job id '${id}' (${refused.replace(/^qstat: /, '').replace(/: \S+$/, '')}: is its server name right?)`,
          });
        } else {
          ctx.debug(`qstat has no record for job '${id}': unknown to PBS`);
          answers.set(id, unknownJob(id));
        }
      }
      const extra = records.filter((r) => ![...matched.values()].includes(r));
      if (extra.length > 0) {
        ctx.debug(`qstat printed records nobody asked for: ${extra.map((r) => r.id).join(', ')}`);
      }
    }
    return answers;
  }
}
