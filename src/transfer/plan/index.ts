/**
 * The `plan/` room: parallel streams. Whether a job's tree is split into parts and how
 * (this file: planJob, and runParts, the façade's "run parts" step), the listing they are cut
 * from (list.ts), the cut itself (parts.ts), and the runner of the parts (streams.ts) with its
 * one progress line (progress.ts). A small tree, a dry run, the copier: one run of the tool.
 */
import { usableCores } from '../../util/cores.js';
import type { Job } from '../job.js';
import { type Outcome, runWhole, type Transport } from '../transport.js';
import { reservedExclude } from '../type-change.js';
import { addLocalSizes, listLocal, listRemote, openLatencyUs, pruneEmptyDirs } from './list.js';
import { type ListedEntry, type Plan, planParts } from './parts.js';
import { runStreams } from './streams.js';

/** Trees with fewer files than this are one stream: below it, listing and spawning cost more than they save. */
export const STREAMS_FROM_FILES = 2000;
/** …or fewer bytes than this (several streams over ssh use several cores to encrypt). */
export const STREAMS_FROM_BYTES = 256 * 1024 ** 2;
/**
 * A local tree whose files open faster than this (µs, the shortest of a few) is on a fast file
 * system (page cache, tmpfs, a local disk): one rsync is as fast as several there, and
 * cheaper (measured: docs/performance-streams.md). Lustre, GPFS and NFS take a round trip.
 */
export const SLOW_OPEN_US = 200;
/** Streams of `streams: auto` (measured: docs/performance-streams.md). */
export const AUTO_STREAMS = 8;
/** `streams: auto`'s count: AUTO_STREAMS, within the cores this process may use. */
export const autoStreams = (): number => Math.min(AUTO_STREAMS, usableCores());
/** Most entries in one part (fpsync's default) and most bytes (a larger file is a part alone). */
const PART_FILES = 2000;
/**
 * Parts per stream, at least: a stream that finishes early takes the next part, so that the
 * last parts do not run alone (20,000 files on the latency-bound bench file system, 8
 * streams: 10 parts of 2,000 took 18.5 s, 32 parts of 625 took less; docs/performance-streams.md).
 */
const PARTS_PER_STREAM = 4;
/** Fewest entries in a part: 5,000 files in 32 parts of 156 were slower than in 10 of 500. */
const PART_MIN_FILES = 500;
const PART_BYTES = 4 * 1024 ** 3;
/**
 * Most entries in a part read from a slow local file system. An rsync given `--files-from`
 * looks up every name of its list before it opens the first file; a kernel keeps a lookup
 * for a while only (FUSE's default: 1 s), so a part that takes longer looks its files up
 * twice (the bench's 625-file parts: 1,266 lookups for 625 files). 250 keep it to one.
 */
const SLOW_PART_FILES = 250;

/**
 * A plan and the streams that run it. `lookAhead`: the source is a slow local file system,
 * and a part's names are looked up ahead of its rsync (streams.ts).
 */
export type StreamsPlan = Plan & { streams: number; lookAhead?: boolean };

/** The façade's "run parts" step: the job as parallel streams where they pay, else one run. */
export async function runParts(
  transport: Transport,
  job: Job,
  prepare: () => Promise<void>,
): Promise<Outcome> {
  await prepare();
  const plan = await planJob(job, transport);
  if (!plan) return runWhole(transport, job);
  job.onMessage?.(
    `${plan.files} files: fetched as ${plan.parts.length} parts, ${plan.streams} streams at once.`,
  );
  const out = await runStreams(transport, job, plan);
  return { ...out, parts: plan.parts.length, method: transport.method };
}

/**
 * The streams asked for, or undefined where a local `auto` finds a fast file system; `slow`
 * where it found a slow one.
 */
async function streamsFor(job: Job): Promise<{ streams: number; slow?: boolean } | undefined> {
  const asked = job.ssh.streams;
  if (asked !== 'auto') return { streams: asked ?? 1 };
  // Over ssh on this VM's loopback several streams lost to one rsync (2.7× slower for
  // 20,000 files: two cores encrypting for eight); locally, a fast file system is not
  // worth even the walk. Only a slow local file system is split without being asked.
  if (job.host) return undefined;
  const us = await openLatencyUs(job.workDir);
  job.ssh.debug?.(
    `open takes ${us?.toFixed(0) ?? '?'} µs here: ${us !== undefined && us >= SLOW_OPEN_US ? 'a slow file system, parallel streams' : 'one rsync'} (streams from ${SLOW_OPEN_US} µs)`,
  );
  // No more rsyncs than the cores this process may use (affinity, cgroup quota): util/cores.ts.
  return us === undefined || us < SLOW_OPEN_US ? undefined : { streams: autoStreams(), slow: true };
}

/**
 * The parts of a parallel transfer, or undefined for one stream: a dry run, one stream asked
 * for, the copier, a selection the walk cannot apply, a small tree, or a listing that failed
 * (the one stream then reports why, in rsync's words).
 */
async function planJob(job: Job, transport: Transport): Promise<StreamsPlan | undefined> {
  const requested = job.ssh.streams === 'auto' ? autoStreams() : (job.ssh.streams ?? 1);
  if (requested < 2 || job.dryRun || !transport.takesParts) return undefined;
  const chosen = await streamsFor(job);
  if (chosen === undefined) return undefined;
  const { streams, slow } = chosen;
  const listing = await listJob(job);
  if (!listing) return undefined;
  if (job.selection.filter.pruneEmptyDirs) pruneEmptyDirs(listing);
  if (!job.host && listing.filter((e) => e.kind === 'file').length < STREAMS_FROM_FILES) {
    // Few files: their bytes decide (the local listing has no sizes; a remote one has).
    await addLocalSizes(job.workDir, listing, STREAMS_FROM_BYTES, job.signal);
  }
  const plan = planParts(listing, {
    maxFiles: slow ? SLOW_PART_FILES : PART_FILES,
    maxBytes: PART_BYTES,
    minParts: streams * PARTS_PER_STREAM,
    minFiles: slow ? SLOW_PART_FILES : PART_MIN_FILES,
  });
  const large = plan.files >= STREAMS_FROM_FILES || plan.bytes >= STREAMS_FROM_BYTES;
  if (!large || plan.parts.length < 2) return undefined;
  return { ...plan, streams, lookAhead: slow === true };
}

/** The job's tree as the selection leaves it: over ssh by rsync's rules, locally by the walk. */
async function listJob(job: Job): Promise<ListedEntry[] | undefined> {
  // The rules only: --max-size is left to each part's rsync, which counts what it leaves out.
  const rules = [
    ...(job.ownDir ? [reservedExclude(job.ownDir.name)] : []),
    ...job.selection.rsyncArgs.filter((arg) => !arg.startsWith('--max-size=')),
  ];
  const filter = job.selection.filter;
  if (job.host) {
    return listRemote(
      job.host,
      job.workDir,
      rules,
      job.ssh,
      Math.max(job.deadline - Date.now(), 1000),
      job.signal,
    );
  }
  return listLocal(
    job.workDir,
    { excludes: (rel, isDir) => filter.excludes(rel, isDir) },
    job.signal,
  ).catch(() => undefined);
}
