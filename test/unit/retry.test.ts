/** The retry loop of transfers: which errors are retried, how often, and the backoff. */
import { describe, expect, it } from 'vitest';
import { backoffMs, equalJitter, MAX_BACKOFF_MS, withRetries } from '../../src/transfer/retry.js';

describe('backoffMs', () => {
  it('doubles from the first wait and stops at MAX_BACKOFF_MS', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 2000))).toEqual([2000, 4000, 8000, 16_000]);
    expect(backoffMs(5, 2000)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(1)).toBe(2000);
  });
});

describe('withRetries', () => {
  const far = () => Date.now() + 60_000;

  it('retries a retryable error up to `retries` times, then throws the last', async () => {
    const seen: number[] = [];
    const waits: number[] = [];
    const err = await withRetries(
      async (attempt) => {
        seen.push(attempt);
        throw new Error(`fail ${attempt}`);
      },
      {
        retries: 2,
        deadline: far(),
        firstBackoffMs: 1,
        retryable: () => true,
        onRetry: (_a, _e, w) => waits.push(w),
      },
    ).catch((e) => e);
    expect(seen).toEqual([1, 2, 3]);
    expect(waits).toEqual([1, 2]);
    expect(err.message).toBe('fail 3');
  });

  it('returns the value and the number of attempts', async () => {
    const out = await withRetries(
      async (attempt) => {
        if (attempt < 2) throw new Error('transient');
        return 'ok';
      },
      { retries: 5, deadline: far(), firstBackoffMs: 1, retryable: () => true },
    );
    expect(out).toEqual({ value: 'ok', attempts: 2 });
  });

  it('does not retry an error that is not retryable, nor past the deadline', async () => {
    let calls = 0;
    const fail = async () => {
      calls++;
      throw new Error('no');
    };
    await expect(
      withRetries(fail, { retries: 3, deadline: far(), retryable: () => false }),
    ).rejects.toThrow('no');
    expect(calls).toBe(1);
    await expect(
      withRetries(fail, {
        retries: 3,
        deadline: Date.now() + 100,
        firstBackoffMs: 1000,
        retryable: () => true,
      }),
    ).rejects.toThrow('no');
    expect(calls).toBe(2);
  });
});

describe('equalJitter', () => {
  it('keeps half of the wait and randomises the other half', () => {
    expect(equalJitter(2000, () => 0)).toBe(1000);
    expect(equalJitter(2000, () => 0.5)).toBe(1500);
    expect(equalJitter(2000, () => 0.999)).toBeCloseTo(1999, 0);
  });
});
