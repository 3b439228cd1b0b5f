/**
 * The in-process copy: a local job copied by the built-in copier in this process, with no
 * rsync spawned (choose.ts decides when: a small tree, or a new destination). If the copier
 * meets anything but the plain case — a device or socket (rsync -D makes devices as root),
 * an entry it cannot read, a type change refused — it stops there and rsync runs the job
 * (what the copier wrote is up to date for rsync's quick check; its files are counted with
 * rsync's), so that the result is rsync's and a failure is told in rsync's words.
 */
import { errorMessage } from '../util/errors.js';
import { copierAttempt } from './builtin.js';
import type { Job } from './job.js';
import type { ChangedEntry } from './path-filter.js';
import { type Outcome, runWhole, type Transport } from './transport.js';

/** The in-process copy, falling back to `rsync` (whose settle step it keeps). */
export function inProcessTransport(rsync: Transport): Transport {
  return {
    method: 'in-process copy',
    takesParts: false,
    attempt: (job, a) => copierAttempt(job, a, true),
    run: (job, prepare) => copyFirst(job, rsync, prepare),
    ...(rsync.settle ? { settle: rsync.settle } : {}),
  };
}

/** One pass of the copier; on anything out of the plain case, `rsync` runs the whole job. */
async function copyFirst(job: Job, rsync: Transport, prepare: () => Promise<void>) {
  const written = { files: 0, bytes: 0 };
  // A dry run's entries are told once the copier has gone through: after a fallback, rsync's
  // dry run names them all again.
  const held: ChangedEntry[] = [];
  const onChange = (entry: ChangedEntry) => {
    if (job.dryRun) {
      held.push(entry);
      return;
    }
    if (entry.kind === 'file') {
      written.files++;
      written.bytes += entry.size;
    }
    job.onChange?.(entry);
  };
  try {
    const out = await copierAttempt(
      { ...job, onChange },
      { remainingMs: job.deadline - Date.now(), signal: job.signal, onProgress: job.onProgress },
      true,
    );
    for (const entry of held) job.onChange?.(entry);
    return { ...out, attempts: 1, parts: 0, method: 'in-process copy' } satisfies Outcome;
  } catch (e) {
    job.signal?.throwIfAborted();
    if (Date.now() >= job.deadline) throw e;
    job.ssh.debug?.(`The in-process copy stopped (${errorMessage(e)}); rsync runs the job.`);
    await prepare();
    const out = await runWhole(rsync, job);
    return { ...out, files: out.files + written.files, bytes: out.bytes + written.bytes };
  }
}
