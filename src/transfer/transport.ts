/**
 * What moves the bytes of one job: rsync (locally or over ssh: rsync/transport.ts), the
 * built-in copier (builtin.ts) or the in-process copy of a small local tree (in-process.ts),
 * behind one interface, so that the façade (index.ts) and the runner of parallel streams
 * (plan/streams.ts) do not care which. One `attempt` is one run of the tool, stopped at
 * `remainingMs`; retrying is the caller's (retry.ts). The built-in copier is one sequential
 * walk in this process: it takes the whole tree, never a part.
 */
import type { Job } from './job.js';
import type { HeldLock } from './lock/index.js';
import type { LeftOut } from './path-filter.js';
import { retryTransfer } from './retry.js';

export interface Counts {
  files: number;
  bytes: number;
  /** With `max-size`: files left out for it and their bytes. */
  overMaxSize?: LeftOut;
}

/** 'in-process copy': a small local job copied by the built-in copier instead of a spawned rsync. */
export type Method = 'rsync' | 'rsync over ssh' | 'built-in copier' | 'in-process copy';

export interface Attempt {
  remainingMs: number;
  /** Ends the attempt: the run was cancelled, or another stream of the job failed. */
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  /** Only these entries (a part of the plan): a file of NUL-separated relative names. */
  filesFrom?: string;
}

/** What a whole job's run gives: the counts, the attempts, the parts, and what moved them. */
export interface Outcome extends Counts {
  attempts: number;
  /** Parts run as parallel streams (0: one run of the tool). */
  parts: number;
  method: Method;
}

/**
 * The whole job (every part and retry). `prepare` runs once before rsync first writes into the
 * destination (the rsync transport's backup directory); it is not run when nothing spawns rsync.
 */
export type RunJob = (job: Job, prepare: () => Promise<void>) => Promise<Outcome>;

export interface Transport {
  readonly method: Method;
  /** Whether `attempt` takes a part (`filesFrom`): what parallel streams need. */
  readonly takesParts: boolean;
  attempt(job: Job, a: Attempt): Promise<Counts>;
  /** The whole job, where it is not the façade's parts (plan/): the in-process copy. */
  run?: RunJob;
  /**
   * Under the destination's lock, around the whole run: what the transport prepares and
   * settles after it (rsync: its backup directory, type-change.ts). Without it: the run alone.
   */
  settle?(lock: HeldLock, job: Job, run: RunJob): Promise<Outcome>;
}

/** The job as one run of the tool, retried whole on a transient failure. */
export async function runWhole(transport: Transport, job: Job): Promise<Outcome> {
  const out = await retryTransfer(
    () =>
      transport.attempt(job, {
        remainingMs: job.deadline - Date.now(),
        signal: job.signal,
        onProgress: job.onProgress,
      }),
    job,
  );
  return { ...out.value, attempts: out.attempts, parts: 0, method: transport.method };
}
