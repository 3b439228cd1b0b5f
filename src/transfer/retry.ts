/**
 * Retries with exponential backoff, in the manner of actions/checkout's retry-helper.ts: run
 * the action; on an error worth another attempt, wait and run it again, within a deadline.
 */
import { sleep } from '../util/sleep.js';

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
