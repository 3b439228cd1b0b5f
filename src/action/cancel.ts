/**
 * A cancelled run, as the GitHub runner cancels a step (a cancelled workflow, or
 * `timeout-minutes`): SIGINT to the step's process, SIGTERM 7.5 s later, SIGKILL 2.5 s after
 * that — to the process only, not to the process groups of the programs it runs.
 *
 * At the first SIGINT or SIGTERM: the run's AbortSignal is aborted (no new job, transfer,
 * retry or poll starts; what waits returns), every program gets SIGTERM (rsync then removes
 * its temporary file) and SIGKILL a second later (src/exec/run.ts). The run then unwinds on
 * its own: the destination locks are released, the shared ssh connections closed, the
 * outputs and the summary written, and the process exits with 1. Whatever has not unwound
 * after FORCE_AFTER_MS (a copy in the thread pool, a cache upload) is cut short: programs are
 * killed, the copier's temporary files removed, the clean-up hooks get a moment, the report
 * is written from what is known, and the process exits — well before the runner's SIGTERM.
 * A second signal exits at once (programs killed, temporary files removed, report written
 * if it was not). Held destination locks are removed at exit by src/transfer/lock/index.ts's handler.
 */
import * as core from '@actions/core';
import { killAllCommandsNow, liveCommandCount, stopAllCommands } from '../exec/run.js';
import { removeTempFilesNow } from '../transfer/copier/index.js';
import { errorMessage } from '../util/errors.js';
import { realStateOf } from './jobs/real-states.js';
import type { Job } from './jobs/targets.js';
import { cancelledSentence } from './report/report.js';
import { type JobResult, newResult } from './report/result.js';

/** The error of every job a cancel stopped; its message is the job's `reason`. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(readonly signalName: string) {
    super(`Cancelled (${signalName}) before the transfer finished.`);
  }
}

/** `SIGINT` for a cancel's reason (the run's AbortSignal's), `a cancel` for anything else. */
export function signalNameOf(reason: unknown): string {
  return reason instanceof CancelledError ? reason.signalName : 'a cancel';
}

/** After the first signal, the run is cut short by then at the latest (runner: 7.5 s). */
export const FORCE_AFTER_MS = 4000;
/** How long the clean-up hooks (`ssh -O exit`) may take when the run is cut short. */
const CLEANUP_MS = 1500;

export interface Cancellation {
  /** Aborted at the first signal, with a CancelledError as its reason. */
  readonly signal: AbortSignal;
  /** Run `fn` when the run is cut short (before the report); returns its removal. */
  onForcedExit(fn: () => Promise<void>): () => void;
  /** The run unwound and reported: exit now if it was cancelled, else remove the handlers. */
  done(): void;
}

export function installCancellation(options: {
  /** Set the outputs and write the summary from what is known, synchronously, once. */
  reportNow: () => void;
  forceAfterMs?: number;
}): Cancellation {
  const controller = new AbortController();
  const hooks = new Set<() => Promise<void>>();
  let signalledAt = 0;
  let exiting = false;

  const exit = (how: string): never => {
    exiting = true;
    killAllCommandsNow();
    removeTempFilesNow();
    core.info(`Cancelled: ${how} ${Date.now() - signalledAt} ms after the signal.`);
    process.exit(1);
  };

  const forceExit = async () => {
    if (exiting) return;
    exiting = true;
    core.warning(
      `The run did not unwind within ${Math.round((options.forceAfterMs ?? FORCE_AFTER_MS) / 1000)} s of the cancel: cutting it short (${liveCommandCount()} program(s) still running).`,
    );
    killAllCommandsNow();
    removeTempFilesNow();
    await Promise.race([
      Promise.allSettled([...hooks].map((fn) => fn())),
      new Promise((r) => setTimeout(r, CLEANUP_MS)),
    ]);
    options.reportNow();
    exit('cut short and exited');
  };

  const onSignal = (name: NodeJS.Signals) => {
    if (signalledAt > 0) {
      core.info(`Received ${name} again: exiting now.`);
      options.reportNow();
      exit('exited at the second signal');
    }
    signalledAt = Date.now();
    core.info(
      `Received ${name}: cancelling — no new work, every program stopped, then the outputs and the summary.`,
    );
    controller.abort(new CancelledError(name));
    stopAllCommands();
    setTimeout(() => void forceExit(), options.forceAfterMs ?? FORCE_AFTER_MS);
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);

  return {
    signal: controller.signal,
    onForcedExit(fn) {
      hooks.add(fn);
      return () => hooks.delete(fn);
    },
    done() {
      if (controller.signal.aborted) {
        if (!exiting) exit('stopped and exited');
        return;
      }
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/** The result of a job the cancel stopped before it had one of its own. */
export function unfinishedResult(job: Job, reason: unknown): JobResult {
  return {
    ...newResult(job, realStateOf(job)),
    reason: job.error ?? (reason instanceof Error ? reason.message : String(reason)),
    reasonCode: job.error ? (job.errorCode ?? 'error') : 'cancelled',
    ...(job.error && job.hint ? { hint: job.hint } : {}),
  };
}

/**
 * The step's error for a cancelled run: how many jobs it left unfetched (report.ts's one
 * sentence), or, before any job was found, that it was cancelled then.
 */
export function cancelMessage(reason: unknown, results: readonly JobResult[]): string {
  if (results.length > 0) return cancelledSentence(signalNameOf(reason), results);
  return reason instanceof CancelledError
    ? `Cancelled (${signalNameOf(reason)}) before any job was found.`
    : errorMessage(reason);
}
