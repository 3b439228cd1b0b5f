/**
 * The Slurm adapter: `scontrol show job -o` (one job: qq's exact command; several jobs: one
 * call listing every job the controller knows, filtered here, because `scontrol show job`
 * takes a single id), then `sacct` for the jobs scontrol no longer knows (docs/qq-behaviour.md §3.2).
 */
import { QQError } from '../../domain/errors.js';
import { chunks, runScheduler, SCONTROL_ALL_JOBS_BYTES, validateJobId } from '../scheduler.js';
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

/** Step 1: the scontrol records of `ids`, into `found`. A failed scontrol finds none. */
async function fromScontrol(
  ids: readonly string[],
  found: Map<string, SlurmRecord>,
  ctx: BatchContext,
): Promise<void> {
  const single = ids.length === 1 ? ids[0] : undefined;
  const argv =
    single !== undefined
      ? ['scontrol', 'show', 'job', single, '-o']
      : ['scontrol', '-o', 'show', 'job'];
  const sc = await runScheduler(argv, ctx, { maxBuffer: SCONTROL_ALL_JOBS_BYTES });
  if (sc.code !== 0) {
    ctx.debug(`scontrol failed (exit ${sc.code}): ${sc.stderr.trim()}; trying sacct`);
    return;
  }
  const records = parseScontrolOutput(sc.stdout);
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
    await fromSacct(
      unique.filter((id) => !found.has(id)),
      found,
      ctx,
    );
    // Step 3: node lists, expanded here where the syntax is plain (no scheduler call), by
    // `scontrol show hostnames` one call per list otherwise.
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
