/**
 * From the `path` and `job-id` inputs to the list of jobs, in qq's order: ids first, then the
 * info files of each path (each directory's files oldest first). A target that cannot be
 * prepared carries its error and fails alone (qq v0.11+: per-job isolation).
 *
 * action/jobs/ is which jobs a run has and in what state: this file (the targets), the
 * `shard` input (shard.ts), what to say when no info file is found (not-found.ts), the
 * schedulers asked (real-states.ts), `wait-for` (wait.ts) and `follow` (follow.ts).
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import {
  getBatchSystem,
  infoFileNotReachable,
  jobDoesNotExist,
  notAQqJob,
  resolveBatchSystemName,
  resolveJobIds,
} from '../../batch/index.js';
import { infoFileCandidate } from '../../batch/slurm/index.js';
import type {
  BatchContext,
  BatchJobInfo,
  BatchSystem,
  BatchSystemName,
} from '../../batch/types.js';
import { QQError } from '../../domain/errors.js';
import type { InfoFile } from '../../domain/info/index.js';
import { jobIdMatches } from '../../domain/suitability.js';
import { findInfoFiles, readInfoFile } from '../../jobs/infofiles.js';
import { compactCopy } from '../../util/compact.js';
import { errorMessage } from '../../util/errors.js';
import { mapLimit } from '../../util/pool.js';
import type { Settings } from '../inputs.js';
import { inShard } from './shard.js';

export interface Job {
  /** What identifies the job before its info file is read: the id asked for, or the file. */
  label: string;
  requestedId?: string;
  infoFile?: string;
  info?: InfoFile;
  system?: BatchSystem;
  batch?: BatchJobInfo;
  /** A preparation error: the job is reported as failed with it. */
  error?: string;
  /** What kind of error, where it is not just `error` (action/report/result.ts ReasonCode). */
  errorCode?: 'wait-timeout' | 'cancelled';
  /** Our hint about `error` (qq's words, kept exact): for the log, annotation and summary. */
  hint?: string;
}

const GLOB_CHARS = /[*?[\]{}]/;

/** Expand one `path` line to info files (absolute), or throw a QQError for that line. */
async function expandPathLine(line: string, workspace: string): Promise<string[]> {
  const absolute = path.resolve(workspace, line);
  const candidates = GLOB_CHARS.test(line)
    ? (
        await (
          await (
            await import('@actions/glob')
          ).create(absolute, {
            implicitDescendants: false,
            matchDirectories: true,
          })
        ).glob()
      ).sort()
    : [absolute];
  if (candidates.length === 0) throw new QQError(`No file or directory matches '${line}'.`);
  const files: string[] = [];
  for (const candidate of candidates) {
    let s: Awaited<ReturnType<typeof stat>>;
    try {
      s = await stat(candidate);
    } catch {
      throw new QQError(`Path '${line}' does not exist.`);
    }
    if (s.isDirectory()) files.push(...(await findInfoFiles(candidate)));
    else if (candidate.endsWith('.qqinfo')) files.push(candidate);
    else if (!GLOB_CHARS.test(line)) {
      throw new QQError(`Path '${line}' is neither a directory nor a .qqinfo file.`);
    }
  }
  return files;
}

/** Read an info file into the job, or record the error on it. */
export async function loadInfo(job: Job, override: BatchSystemName | undefined): Promise<void> {
  if (!job.infoFile) return;
  try {
    // Kept until the report for every job of the step: compact (util/compact.ts).
    const info = compactCopy(await readInfoFile(job.infoFile));
    job.info = info;
    job.system = getBatchSystem(override ?? info.batchSystem);
    job.error = undefined;
  } catch (e) {
    job.error = errorMessage(e);
    if (e instanceof QQError && e.hint) job.hint = e.hint;
  }
}

/**
 * Info files read and parsed at once. All of a campaign's at once (4,000 on the bench) kept
 * thousands of reads and YAML parses in flight: the heap grew to 180 MiB for a live set of
 * 24 MiB, and V8 keeps such a heap for the rest of the run (docs/performance-streams.md §(d)).
 * A few at a time read them as fast: the disk and libuv's four threads are the limit anyway.
 */
export const INFO_READS_AT_ONCE = 16;

/** `loadInfo` for every job, a few at a time (`then`: what to do with each, after it). */
export async function loadInfos(
  jobs: readonly Job[],
  override: BatchSystemName | undefined,
  then?: (job: Job) => void,
): Promise<void> {
  await mapLimit(jobs, INFO_READS_AT_ONCE, async (job) => {
    await loadInfo(job, override);
    then?.(job);
  });
}

/**
 * What a job keeps of its scheduler's answer: its fields, compact (util/compact.ts), without
 * `raw` (the whole `qstat`/`scontrol` record, which the action never reads).
 */
export function keptAnswer(answer: BatchJobInfo | undefined): BatchJobInfo | undefined {
  if (!answer) return undefined;
  return compactCopy({ ...answer, raw: {} });
}

/** After qq's `Job '…' does not exist.`: PBS finds a job of another server by its full id. */
function idHint(id: string, system: string): string | undefined {
  return system === 'PBS' && !id.includes('.')
    ? `A job of another PBS server needs its full id, NNN.server, as qstat prints it (for example '${id}.pbs-m1.metacentrum.cz').`
    : undefined;
}

/**
 * After qq's `Job '…' is not a valid qq job.`: where qq looked for the job's info file (Slurm:
 * the job's WorkDir and JobName; PBS: its QQ_INFO variable).
 */
function whereInfoFileWasLooked(answer: BatchJobInfo | undefined, system: string): string {
  if (system === 'PBS') {
    return "Its info file is named by the job's QQ_INFO variable, which the scheduler does not report: the job was not submitted by qq.";
  }
  const candidate =
    answer?.inputDir && answer.jobName
      ? infoFileCandidate(answer.inputDir, answer.jobName)
      : undefined;
  return candidate
    ? `Its info file would be '${candidate}' (the job's WorkDir and JobName), which does not exist or cannot be read here.`
    : "The scheduler reports no WorkDir and JobName for it, which name qq's info file.";
}

/** qq's §3.4 for every id, with one scheduler call for all of them. */
async function jobsFromIds(
  settings: Settings,
  ctx: BatchContext,
  env: NodeJS.ProcessEnv,
): Promise<Job[]> {
  // Another shard's ids are left out before the scheduler is asked: one call per shard, for
  // its own jobs only.
  const ids = settings.jobIds.filter((id) => inShard(id, settings.shard));
  if (ids.length === 0) return [];
  const system = getBatchSystem(await resolveBatchSystemName(settings.batchSystem, env));
  const resolved = await resolveJobIds(ids, system, ctx);
  const jobs: Job[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const r = resolved.get(id);
    const job: Job = { label: id, requestedId: id, system, batch: keptAnswer(r?.info) };
    if (!r) job.error = jobDoesNotExist(id);
    else if (!r.ok) {
      job.error = r.error;
      if (r.error === notAQqJob(id)) job.hint = whereInfoFileWasLooked(r.info, system.name);
    } else job.infoFile = r.infoFile;
    if (job.error === jobDoesNotExist(id)) job.hint = idHint(id, system.name);
    jobs.push(job);
  }
  await loadInfos(
    jobs.filter((j) => j.infoFile),
    settings.batchSystem,
    (job) => {
      if (job.info && !jobIdMatches(job.label, job.info.jobId)) {
        job.error = infoFileNotReachable(job.label);
        job.hint = `The scheduler names the info file '${job.infoFile}', which is of job '${job.info.jobId}'.`;
        job.info = undefined;
      }
      // Keep the system the id was resolved with: its answer is the one we have.
      job.system = system;
    },
  );
  return jobs;
}

/** Jobs (or unreadable targets) found in all, before the `shard` input kept its own. */
export interface Found {
  all: number;
}

export async function collectJobs(
  settings: Settings,
  ctx: BatchContext,
  env: NodeJS.ProcessEnv,
  found: Found = { all: 0 },
): Promise<Job[]> {
  const jobs: Job[] = settings.jobIds.length > 0 ? await jobsFromIds(settings, ctx, env) : [];
  found.all = new Set(settings.jobIds).size;
  const seen = new Set(jobs.map((j) => j.infoFile).filter(Boolean));
  for (const line of settings.paths) {
    let files: string[];
    try {
      files = await expandPathLine(line, settings.workspace);
    } catch (e) {
      jobs.push({
        label: line,
        error: errorMessage(e),
        hint: e instanceof QQError ? e.hint : undefined,
      });
      continue;
    }
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      jobs.push({ label: path.relative(settings.workspace, file) || file, infoFile: file });
    }
  }
  const fromIds = jobs.filter((j) => j.requestedId).length;
  const fromPaths = jobs.slice(fromIds);
  await loadInfos(
    fromPaths.filter((j) => !j.info && !j.error),
    settings.batchSystem,
  );
  found.all += fromPaths.length;
  if (!settings.shard) return jobs;
  // A job found through `path` has its id once its info file is read; a target without one
  // (unreadable) goes by its label, so that it too is reported by exactly one shard.
  return [
    ...jobs.slice(0, fromIds),
    ...fromPaths.filter((j) => inShard(j.info?.jobId ?? j.label, settings.shard)),
  ];
}
