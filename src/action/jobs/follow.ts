/**
 * `follow: true`: while waiting, the new lines of each job's stdout/stderr files (in its
 * working directory) are printed to the log — fenced, since they come from the cluster. The
 * files are read through src/jobs/job-output.ts: a name that leads out of the working directory
 * (a symlink, `..`), a FIFO or a device is refused, and said once.
 */
import * as core from '@actions/core';
import {
  FOLLOW_CHUNK_BYTES,
  type JobFileRead,
  readJobFileHere,
  readJobFileOver,
} from '../../jobs/job-output.js';
import { type JobContext, readsLocally, transferSettings } from '../fetch/job-context.js';
import { printUntrusted } from '../report/log.js';
import type { Job } from './targets.js';

/** Reads the bytes of `name` (in the job's working directory) from `offset` on. */
export type ChunkReader = (job: Job, name: string, offset: number) => Promise<JobFileRead>;

export class Follower {
  private readonly offsets = new Map<string, number>();
  private readonly partial = new Map<string, string>();
  private readonly refused = new Set<string>();

  constructor(private readonly read: ChunkReader) {}

  private files(job: Job): string[] {
    const info = job.info;
    if (!info?.workDir || !info.mainNode) return [];
    return [info.stdoutFile, info.stderrFile].filter(Boolean);
  }

  /** Print what was appended since the last poll. */
  async poll(jobs: readonly Job[]): Promise<void> {
    for (const job of jobs) {
      for (const name of this.files(job)) {
        const key = `${job.info?.workDir}\0${name}`;
        if (this.refused.has(key)) continue;
        const offset = this.offsets.get(key) ?? 0;
        let read: JobFileRead;
        try {
          read = await this.read(job, name, offset);
        } catch {
          continue;
        }
        if (!read.ok) {
          if (!read.missing) {
            this.refused.add(key);
            // The name is the job's: fenced like its content.
            printUntrusted(`── ${job.info?.jobId} ${name}: not followed: ${read.why} ──`);
          }
          continue;
        }
        const piece = read.bytes.subarray(0, FOLLOW_CHUNK_BYTES);
        if (piece.length === 0) continue;
        this.offsets.set(key, offset + piece.length);
        const text = (this.partial.get(key) ?? '') + piece.toString('utf8');
        const cut = text.lastIndexOf('\n');
        this.partial.set(key, cut < 0 ? text : text.slice(cut + 1));
        if (cut < 0) continue;
        printUntrusted(`── ${job.info?.jobId} ${name} ──\n${text.slice(0, cut)}`);
      }
    }
  }
}

/** The ChunkReader of a run: the file read here, or over ssh from the job's main node. */
export async function readJobOutputChunk(
  job: Job,
  name: string,
  offset: number,
  ctx: JobContext,
): Promise<JobFileRead> {
  const dir = job.info?.workDir;
  const range = { offset, max: FOLLOW_CHUNK_BYTES };
  if (!dir) return { ok: false, missing: true, why: 'no working directory' };
  if (await readsLocally(job, ctx)) return readJobFileHere(dir, name, range);
  const host = job.info?.mainNode;
  if (!host) return { ok: false, missing: true, why: 'no main node' };
  ctx.ssh?.use(host);
  core.debug(`follow: reading '${name}' on ${host}`);
  return readJobFileOver(host, dir, name, range, transferSettings(ctx));
}
