/**
 * Retries with exponential backoff, in the manner of actions/checkout's retry-helper.ts: run
 * the action; on an error worth another attempt, wait and run it again, within a deadline.
 */
import { errorMessage } from '../util/errors.js';
import { sleep } from '../util/sleep.js';
import { TransferError } from './errors.js';

/** Default first wait between attempts (ms). */
export const FIRST_BACKOFF_MS = 2000;
/** Longest wait between two attempts (ms). */
export const MAX_BACKOFF_MS = 30_000;

/** The wait before attempt `attempt + 1`: doubling from `firstMs`, at most MAX_BACKOFF_MS. */
export function backoffMs(attempt: number, firstMs: number = FIRST_BACKOFF_MS): number {
  return Math.min(firstMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
}

/**
 * Equal jitter: half of the wait fixed, half random, so that parallel jobs retrying against one
 * node do not all come back at the same moment.
 */
export function equalJitter(ms: number, random: () => number = Math.random): number {
  return ms * (0.5 + random() / 2);
}

export interface RetryOptions {
  /** Attempts after the first. */
  retries: number;
  /** Epoch ms: no attempt starts after a wait that would end at or past it. */
  deadline: number;
  firstBackoffMs?: number;
  /** Turns the backoff into the actual wait (default: the backoff itself; see equalJitter). */
  jitter?: (ms: number) => number;
  /** Whether an error is worth another attempt. */
  retryable: (e: unknown) => boolean;
  /**
   * A cancelled run: no new attempt and no retry; the signal's reason is thrown instead of an
   * error the cancel caused (a program it ended).
   */
  signal?: AbortSignal;
  /** Called before each wait. */
  onRetry?: (attempt: number, e: unknown, waitMs: number) => void;
}

/** Run `action(attempt)` until it succeeds or an error may not be retried; its value and attempts. */
export async function withRetries<T>(
  action: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return { value: await action(attempt), attempts: attempt };
    } catch (e) {
      options.signal?.throwIfAborted();
      const backoff = backoffMs(attempt, options.firstBackoffMs);
      const wait = options.jitter ? options.jitter(backoff) : backoff;
      const last = attempt > options.retries || Date.now() + wait >= options.deadline;
      if (last || !options.retryable(e)) throw e;
      options.onRetry?.(attempt, e, wait);
      await sleep(wait, options.signal);
    }
  }
}

/** What a transfer's retries draw on: the job's budget (job.ts's Job has every field). */
export interface RetryBudget {
  retries: number;
  /** Epoch ms: the job's transfer timeout. */
  deadline: number;
  backoffMs?: number;
  signal?: AbortSignal;
  onMessage?: (text: string) => void;
}

/**
 * The one retry of the transfer: a whole job, or one part of a parallel one (`part`: its index
 * and the number of parts), retried on a transient TransferError, with equal jitter, each
 * retry told in one sentence.
 */
export function retryTransfer<T>(
  action: () => Promise<T>,
  budget: RetryBudget,
  part?: { index: number; of: number },
): Promise<{ value: T; attempts: number }> {
  return withRetries(action, {
    retries: budget.retries,
    deadline: budget.deadline,
    firstBackoffMs: budget.backoffMs,
    jitter: equalJitter,
    signal: budget.signal,
    retryable: (e) => e instanceof TransferError && e.transient,
    onRetry: (n, e, wait) => {
      const failed = `attempt ${n} failed (${errorMessage(e)})`;
      const after = `in ${(wait / 1000).toFixed(1)} s.`;
      budget.onMessage?.(
        part
          ? `Part ${part.index + 1} of ${part.of}: ${failed}; retrying it alone ${after}`
          : `Attempt ${n} failed (${errorMessage(e)}); retrying ${after}`,
      );
    },
  });
}
