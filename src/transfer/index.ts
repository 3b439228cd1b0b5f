/**
 * The `transfer/` room: fetch one job's working directory into its destination, locally or
 * over ssh from the main node, with rsync or (locally) the built-in copier; under a lock on
 * the destination, within the transfer timeout, retrying transient failures with backoff.
 *
 * This file is the façade, one named step each: check (job.ts) → choose the transport
 * (choose.ts) → lock (lock/) → run the parts (plan/: one run of the tool, or a large tree as
 * parallel streams) → settle (the transport's own step: rsync's backup directory,
 * rsync/settle.ts) → result. Beside it: the transports (transport.ts, builtin.ts,
 * in-process.ts, rsync/), ssh (ssh/), what the user selects (select/, path-filter.ts), the
 * change log (changes.ts), the one retry (retry.ts), and the rules of a type change shared
 * by rsync and the copier (type-change.ts, copier/).
 */
import { transportFor } from './choose.js';
import {
  checkJob,
  type Job,
  type TransferRequest,
  type TransferResult,
  withOwnDir,
} from './job.js';
import { withDestinationLock } from './lock/index.js';
import { runParts } from './plan/index.js';
import { CONNECT_TIMEOUT_SEC } from './ssh/index.js';
import type { Outcome, RunJob, Transport } from './transport.js';
import { displacedName } from './type-change.js';

export { IN_PROCESS_BELOW_ENTRIES } from './choose.js';
export { rsyncFailure, TransferError, WorkDirMissingError } from './errors.js';
export type { TransferRequest, TransferResult, TransferSettings } from './job.js';
export { isLocal } from './locality.js';
export {
  AUTO_STREAMS,
  SLOW_OPEN_US,
  STREAMS_FROM_BYTES,
  STREAMS_FROM_FILES,
} from './plan/index.js';
export { splitFiles } from './select/files.js';

/** Fetch one job's working directory, retrying transient failures, under the destination's lock. */
export async function transferJob(req: TransferRequest): Promise<TransferResult> {
  const started = Date.now();
  const job = checkJob(req, started);
  const transport = await transportFor(job, req.settings);
  await connectFirst(job);
  // A dry run writes nothing: no lock, no run's own directory, nothing to settle.
  const out = job.dryRun
    ? await runJob(transport)(job, async () => {})
    : await locked(job, transport);
  return resultOf(out, started);
}

/** What the caller is told: the outcome and the time it took, retries and waits included. */
function resultOf(out: Outcome, started: number): TransferResult {
  return {
    files: out.files,
    bytes: out.bytes,
    method: out.method,
    attempts: out.attempts,
    parts: out.parts,
    durationMs: Date.now() - started,
    ...(out.overMaxSize ? { overMaxSize: out.overMaxSize } : {}),
  };
}

/** The run's shared ssh connection to the main node, opened first (whatever it answers). */
async function connectFirst(job: Job): Promise<void> {
  const s = job.ssh;
  if (!job.host || !s.connect) return;
  const connectSec = s.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC;
  await s.connect(
    job.host,
    Math.max(Math.min((connectSec + 5) * 1000, job.deadline - Date.now()), 1000),
  );
}

/** The whole job: the transport's own run, or the parts (plan/). */
function runJob(transport: Transport): RunJob {
  return transport.run ?? ((job, prepare) => runParts(transport, job, prepare));
}

/**
 * Under the destination's lock, with the run's own directory (type-change.ts) left out of the
 * job: the run, and the transport's settle step around it.
 */
function locked(job: Job, transport: Transport): Promise<Outcome> {
  return withDestinationLock(
    job.destination,
    (lock) => {
      const own = withOwnDir(job, { name: displacedName(lock.token), backup: false });
      const run = runJob(transport);
      return transport.settle ? transport.settle(lock, own, run) : run(own, async () => {});
    },
    {
      timeoutMs: job.timeoutSec * 1000,
      onWait: () =>
        job.onMessage?.(`Waiting for another sync into '${job.destination}' to finish.`),
      onLost: (reason) => job.onMessage?.(reason),
      onMessage: (text) => job.onMessage?.(text),
      signal: job.signal,
    },
  );
}
