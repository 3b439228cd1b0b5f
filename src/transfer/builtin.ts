/**
 * The built-in copier as a Transport: rsync -rltD's result for a local copy where rsync is not
 * installed (or `force-builtin`). One sequential walk of synchronous calls in this process
 * (copier/walk.ts), so it takes the whole tree, never a part: parallel streams of it would
 * only take turns on the one thread.
 */
import { QQError } from '../domain/errors.js';
import { errorMessage } from '../util/errors.js';
import { copyTree, SpecialFileStop } from './copier/index.js';
import { rsyncFailure, TransferError } from './errors.js';
import type { Job } from './job.js';
import type { Attempt, Counts, Transport } from './transport.js';

export const copierTransport: Transport = {
  method: 'built-in copier',
  takesParts: false,
  attempt: (job, a) => copierAttempt(job, a, false),
};

/**
 * One run of the copier over the whole job. `stopOnSpecial`: a device or socket stops it
 * (the in-process copy then leaves the job to rsync) rather than being skipped with a note.
 */
export async function copierAttempt(job: Job, a: Attempt, stopOnSpecial: boolean): Promise<Counts> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(a.remainingMs, 1));
  try {
    const out = await copyTree(job.workDir, job.destination, {
      filter: job.selection.filter,
      onChange: job.onChange,
      sha256: job.sha256,
      overwrite: job.overwrite,
      dryRun: job.dryRun,
      signal: a.signal ? AbortSignal.any([controller.signal, a.signal]) : controller.signal,
      onProgress: a.onProgress,
      progressEveryMs: job.progressEveryMs,
      stopOnSpecial,
    });
    if (out.skippedSpecial > 0) {
      const shown = out.skippedNames.join("', '");
      job.onMessage?.(
        `Skipped ${out.skippedSpecial} device or socket file(s) ('${shown}'${out.skippedSpecial > out.skippedNames.length ? ', …' : ''}): the built-in copier does not recreate them.`,
      );
    }
    if (out.problemCount > 0) {
      // rsync's exit 23: everything else was copied; the run fails naming what was not.
      throw new TransferError(
        rsyncFailure(job.workDir, job.destination, `${out.problems} (built-in copier)`),
        false,
      );
    }
    return {
      files: out.files,
      bytes: out.bytes,
      ...(job.selection.filter.maxSize === undefined ? {} : { overMaxSize: out.overMaxSize }),
    };
  } catch (e) {
    a.signal?.throwIfAborted();
    const fail = (detail: string) =>
      new TransferError(rsyncFailure(job.workDir, job.destination, detail), false);
    if (controller.signal.aborted) {
      throw fail(`Connection timed out after ${job.timeoutSec} seconds`);
    }
    // A QQError is already in qq's words; a stop at a device is for the in-process copy.
    if (e instanceof QQError || e instanceof SpecialFileStop) throw e;
    // A file-system error (no space, permission denied, read-only): qq's form, not retried.
    throw fail(`${errorMessage(e)} (built-in copier)`);
  } finally {
    clearTimeout(timer);
  }
}
