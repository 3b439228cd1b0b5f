/** The one retry of a transfer (retryTransfer): what is retried and the sentence of each retry. */
import { describe, expect, it } from 'vitest';
import { QQError } from '../../src/domain/errors.js';
import { TransferError } from '../../src/transfer/errors.js';
import { retryTransfer } from '../../src/transfer/retry.js';

const budget = (said: string[]) => ({
  retries: 2,
  deadline: Date.now() + 60_000,
  backoffMs: 1,
  onMessage: (t: string) => said.push(t),
});
const failing = (e: Error) => async () => {
  throw e;
};

describe('retryTransfer', () => {
  it('a whole job: retries a transient TransferError, each retry told in one sentence', async () => {
    const said: string[] = [];
    const err = await retryTransfer(failing(new TransferError('gone', true)), budget(said)).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe('gone');
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(/^Attempt 1 failed \(gone\); retrying in \d+\.\d s\.$/);
    expect(said[1]).toMatch(/^Attempt 2 failed \(gone\); retrying in \d+\.\d s\.$/);
  });

  it('a part: the part named, retried alone', async () => {
    const said: string[] = [];
    await retryTransfer(failing(new TransferError('reset', true)), budget(said), {
      index: 2,
      of: 7,
    }).catch(() => {});
    expect(said[0]).toMatch(
      /^Part 3 of 7: attempt 1 failed \(reset\); retrying it alone in \d+\.\d s\.$/,
    );
  });

  it('an error not transient, or not a TransferError: no retry', async () => {
    for (const e of [new TransferError('no', false), new QQError('no'), new Error('no')]) {
      const said: string[] = [];
      let calls = 0;
      await retryTransfer(async () => {
        calls++;
        throw e;
      }, budget(said)).catch(() => {});
      expect([calls, said]).toEqual([1, []]);
    }
  });

  it('the value and the attempts it took', async () => {
    let n = 0;
    const out = await retryTransfer(async () => {
      n++;
      if (n < 2) throw new TransferError('once', true);
      return 'ok';
    }, budget([]));
    expect(out).toEqual({ value: 'ok', attempts: 2 });
  });
});
