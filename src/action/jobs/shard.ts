/**
 * The `shard` input (`2/8`): a campaign too big for one runner is split over a matrix of
 * steps, each fetching the jobs of its shard. A job's shard follows from its id alone
 * (shardOf), so every step of the matrix agrees without talking to the others, and each job
 * lands in exactly one shard. Pure: no I/O.
 */
import { InputError } from '../../domain/errors.js';

export interface Shard {
  /** 1-based, as the user writes it. */
  index: number;
  count: number;
}

/** `'2/8'` → { index: 2, count: 8 }; '' → undefined (no sharding). */
export function parseShard(text: string): Shard | undefined {
  const raw = text.trim();
  if (raw === '') return undefined;
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(raw);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > 10_000 || index < 1 || index > count) {
    throw new InputError(
      `Input 'shard' must be 'k/n' with 1 ≤ k ≤ n ≤ 10000 (this step's shard of n, e.g. '2/8'); got '${raw}'.`,
    );
  }
  return { index, count };
}

/**
 * The shard (0-based) of a job: an id whose first part (before the first `.`) is a number
 * goes by that number modulo n, so consecutive ids (`6001.pbs-m1`, `6002.pbs-m1`, …, as a
 * campaign submitted at once gets them) spread evenly, one by one, over the shards; any other
 * id (a Slurm array task `123_4`, an unreadable target's label) by a stable hash of that first
 * part. Only the first part: `123.pbs-server` and `123` are one job to qq (jobIdMatches), so
 * they land in the same shard whichever form a step sees. Never the id's place in a list: a
 * step that sees more or fewer jobs puts each where the others do.
 */
export function shardOf(id: string, count: number): number {
  const dot = id.indexOf('.');
  const head = dot < 0 ? id : id.slice(0, dot);
  if (/^\d{1,300}$/.test(head)) return Number(BigInt(head) % BigInt(count));
  return shardKey(head) % count;
}

/**
 * FNV-1a (32 bits) of the id's first part, with murmur3's final mix: FNV's low bits depend
 * only on the low bits of each character, which would fill the shards unevenly.
 */
export function shardKey(id: string): number {
  const dot = id.indexOf('.');
  const head = dot < 0 ? id : id.slice(0, dot);
  let h = 0x811c9dc5;
  for (let i = 0; i < head.length; i++) {
    h ^= head.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Whether the job with this id (or, without one, this label) belongs to `shard`. */
export function inShard(id: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(id, shard.count) === shard.index - 1;
}

/** `Shard 2/8` for messages and the summary's title. */
/** `shard 2/8`, as it stands inside a sentence or a title. */
export function describeShard(shard: Shard): string {
  return `shard ${shard.index}/${shard.count}`;
}

/** The log line of a shard: `Shard 1/4: 5 of 20 jobs.`, or in words when it has none. */
export function shardLine(shard: Shard, jobs: number, of: number): string {
  return jobs === 0
    ? `Shard ${shard.index}/${shard.count} has no jobs.`
    : `Shard ${shard.index}/${shard.count}: ${jobs} of ${of} jobs.`;
}
