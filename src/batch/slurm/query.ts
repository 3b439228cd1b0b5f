/**
 * The Slurm adapter: `scontrol show job -o` (one job: qq's exact command; several jobs: one
 * call listing every job the controller knows, filtered here, because `scontrol show job`
 * takes a single id), then `sacct` for the jobs scontrol no longer knows (docs/qq-behaviour.md §3.2).
 */
import { QQError } from '../../domain/errors.js';
import {
  chunks,
  noRecordReason,
  runScheduler,
  SCONTROL_ALL_JOBS_BYTES,
  sample,
  validateJobId,
} from '../scheduler.js';
import type { BatchContext, BatchJobInfo, BatchSystem, BatchSystemName } from '../types.js';
import { unknownJob } from '../unknown-job.js';
import { expandNodeLists, usableNodeList } from './hostlist.js';
import { slurmJobInfo } from './job-info.js';
import {
  indexRecords,
  parseSacctLine,
  parseScontrolOutput,
  pendingArrayRecord,
  pickSacctRecord,
  sacctArgv,
} from './parse.js';

/** Ids per sacct call; N ≤ this costs one call. */
export const SACCT_IDS_PER_CALL = 500;

type SlurmRecord = Record<string, string>;

/**
 * The lines of `scontrol -o show job` (every job of the cluster) that can answer for `ids`:
 * those naming one of their numbers as JobId, ArrayJobId or HetJobId. Streamed, so that only
 * these lines are kept of a listing of tens of thousands of jobs.
 */
function listingFilter(ids: readonly string[]) {
  const wanted = new Set(ids.map((id) => /^\d+/.exec(id)?.[0]).filter(Boolean));
  const kept: string[] = [];
  let records = 0;
  let other = '';
  return {
    onLine(line: string): void {
      if (line.trim() === '' || line.trim() === 'No jobs in the system') return;
      if (!/^JobId=\d/.test(line)) {
        other ||= line;
        return;
      }
      records++;
      for (const m of line.matchAll(/(?:^|\s)(?:JobId|ArrayJobId|HetJobId)=(\d+)/g)) {
        if (wanted.has(m[1])) {
          kept.push(line);
          return;
        }
      }
    },
    /** The lines kept, and an answer that had lines but no record at all (garbage). */
    result: () => ({ text: kept.join('\n'), garbage: records === 0 ? other : '' }),
  };
}

/** Step 1: the scontrol records of `ids`, into `found`. A failed scontrol finds none. */
async function fromScontrol(
  ids: readonly string[],
  found: Map<string, SlurmRecord>,
  ctx: BatchContext,
): Promise<void> {
  const single = ids.length === 1 ? ids[0] : undefined;
  const filter = single === undefined ? listingFilter(ids) : undefined;
  const sc =
    single !== undefined
      ? await runScheduler(['scontrol', 'show', 'job', single, '-o'], ctx)
      : await runScheduler(['scontrol', '-o', 'show', 'job'], ctx, {
          maxStdout: SCONTROL_ALL_JOBS_BYTES,
          onStdoutLine: filter?.onLine,
        });
  if (sc.code !== 0) {
    ctx.debug(`scontrol failed (exit ${sc.code}): ${sc.stderr.trim()}; trying sacct`);
    return;
  }
  const listing = filter?.result();
  const records = parseScontrolOutput(listing ? listing.text : sc.stdout);
  // Exit 0 without a single record: not an answer (qq would read an empty job), and not a
  // reason to ask sacct either. The caller warns once, and the info files' state is used.
  if (single !== undefined && !records.some((r) => r.JobId)) {
    throw new QQError(noRecordReason('scontrol', sc));
  }
  if (listing?.garbage) {
    throw new QQError(
      `scontrol printed no job record (exit 0: ${sample(listing.garbage)}) listing the jobs`,
    );
  }
  const index = indexRecords(records);
  for (const id of ids) {
    const r =
      index.get(id) ??
      pendingArrayRecord(id, records) ??
      (single !== undefined && records.length === 1 ? records[0] : undefined);
    if (r) found.set(id, r);
  }
  const first = records[0];
  if (single !== undefined && !found.has(single) && first && records.length > 1) {
    ctx.debug(`scontrol printed ${records.length} records for job '${single}'; using the first`);
    found.set(single, first);
  }
}

/** Step 2: the sacct records of `ids` (one call per SACCT_IDS_PER_CALL), into `found`. */
async function fromSacct(
  ids: readonly string[],
  found: Map<string, SlurmRecord>,
  ctx: BatchContext,
  notAnswered: Map<string, string>,
): Promise<void> {
  for (const group of chunks(ids, SACCT_IDS_PER_CALL)) {
    let sa: Awaited<ReturnType<typeof runScheduler>>;
    try {
      sa = await runScheduler(sacctArgv(group), ctx);
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
    const records: SlurmRecord[] = [];
    const unparsed: string[] = [];
    for (const line of sa.stdout.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const r = parseSacctLine(line.replace(/\r$/, ''));
      if (r) records.push(r);
      else {
        unparsed.push(line);
        ctx.debug(
          `sacct line with a wrong number of fields (qq: 'Number of items in a sacct string'): ${line}`,
        );
      }
    }
    // Lines, but not one sacct record: garbage, not "unknown to accounting" (which is no
    // line at all). The jobs keep their info files' state, with one warning for the call.
    const garbage =
      records.length === 0 && unparsed.length > 0
        ? `sacct printed no job record (exit 0, ${unparsed.length} line(s) without the 20 fields: ${sample(unparsed[0] ?? '')})`
        : undefined;
    for (const id of group) {
      const r = pickSacctRecord(id, records, ctx.debug);
      if (r) found.set(id, r);
      else if (garbage) notAnswered.set(id, garbage);
    }
  }
}

export class SlurmSystem implements BatchSystem {
  constructor(
    readonly name: BatchSystemName,
    readonly alwaysShared: boolean,
  ) {}

  async queryJobs(ids: readonly string[], ctx: BatchContext): Promise<Map<string, BatchJobInfo>> {
    const unique = [...new Set(ids)];
    for (const id of unique) validateJobId(id);
    if (unique.length === 0) return new Map();
    const found = new Map<string, SlurmRecord>();
    await fromScontrol(unique, found, ctx);
    const notAnswered = new Map<string, string>();
    await fromSacct(
      unique.filter((id) => !found.has(id)),
      found,
      ctx,
      notAnswered,
    );
    // Step 3: node lists, expanded here where the syntax is plain (no scheduler call), by
    // `scontrol show hostnames` one call per list otherwise.
    const lists = [...found.values()].map((r) => r.NodeList).filter(usableNodeList);
    const expanded = lists.length > 0 ? await expandNodeLists(lists, ctx) : new Map();
    const answers = new Map<string, BatchJobInfo>();
    for (const id of unique) {
      const r = found.get(id);
      if (!r) {
        const why = notAnswered.get(id);
        answers.set(id, why ? { ...unknownJob(id), queryError: why } : unknownJob(id));
        continue;
      }
      const nodeList = r.NodeList;
      const nodes = usableNodeList(nodeList) ? (expanded.get(nodeList) ?? [nodeList]) : [];
      answers.set(id, await slurmJobInfo(id, r, nodes, ctx));
    }
    return answers;
  }
}
