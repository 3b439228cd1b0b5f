/**
 * `follow: true`: while waiting, the new lines of each job's stdout/stderr files (in its
 * working directory) are printed to the log — fenced, since they come from the cluster.
 */
import { open } from 'node:fs/promises';
import { FOLLOW_CHUNK_BYTES, readRemoteChunk } from '../transfer/ssh.js';
import { type JobContext, readsLocally, transferSettings } from './job-context.js';
import { printUntrusted } from './log.js';
import type { Job } from './targets.js';

/** Reads the bytes of `file` from `offset` on, or undefined if it cannot be read (yet). */
export type ChunkReader = (job: Job, file: string, offset: number) => Promise<Buffer | undefined>;

export class Follower {
  private readonly offsets = new Map<string, number>();
  private readonly partial = new Map<string, string>();

  constructor(private readonly read: ChunkReader) {}

  private files(job: Job): string[] {
    const info = job.info;
    if (!info?.workDir || !info.mainNode) return [];
    const dir = info.workDir.replace(/\/+$/, '');
    return [info.stdoutFile, info.stderrFile].filter(Boolean).map((f) => `${dir}/${f}`);
  }

  /** Print what was appended since the last poll. */
  async poll(jobs: readonly Job[]): Promise<void> {
    for (const job of jobs) {
      for (const file of this.files(job)) {
        const offset = this.offsets.get(file) ?? 0;
        let chunk: Buffer | undefined;
        try {
          chunk = await this.read(job, file, offset);
        } catch {
          chunk = undefined;
        }
        if (!chunk || chunk.length === 0) continue;
        const piece = chunk.subarray(0, FOLLOW_CHUNK_BYTES);
        this.offsets.set(file, offset + piece.length);
        const text = (this.partial.get(file) ?? '') + piece.toString('utf8');
        const cut = text.lastIndexOf('\n');
        this.partial.set(file, cut < 0 ? text : text.slice(cut + 1));
        if (cut < 0) continue;
        const name = file.slice(file.lastIndexOf('/') + 1);
        printUntrusted(`── ${job.info?.jobId} ${name} ──\n${text.slice(0, cut)}`);
      }
    }
  }
}

/** The ChunkReader of a run: the file read here, or over ssh from the job's main node. */
export async function readJobOutputChunk(
  job: Job,
  file: string,
  offset: number,
  ctx: JobContext,
): Promise<Buffer | undefined> {
  if (await readsLocally(job, ctx)) {
    const handle = await open(file, 'r');
    try {
      const buf = Buffer.alloc(FOLLOW_CHUNK_BYTES);
      const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
  const host = job.info?.mainNode;
  if (!host) return undefined;
  ctx.ssh?.use(host);
  return readRemoteChunk(host, file, offset, transferSettings(ctx));
}
