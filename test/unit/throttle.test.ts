import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROGRESS_EVERY_MS, throttle } from '../../src/util/throttle.js';

// Only the clock is stood in (Date.now): the helper's whole job is to read it.
describe('throttle', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('at most one line per interval; the first at once; wording only when a line is due', () => {
    const shown: string[] = [];
    let worded = 0;
    const offer = throttle((l) => shown.push(l), 100);
    const line = (text: string) => () => {
      worded++;
      return text;
    };
    offer(line('a'));
    offer(line('b'));
    vi.advanceTimersByTime(99);
    offer(line('c'));
    vi.advanceTimersByTime(1);
    offer(line('d'));
    expect(shown).toEqual(['a', 'd']);
    expect(worded).toBe(2);
  });

  it('a line worded as undefined shows nothing and does not restart the interval', () => {
    const shown: string[] = [];
    const offer = throttle((l) => shown.push(l), 100);
    offer(() => undefined);
    offer(() => 'x');
    vi.advanceTimersByTime(50);
    offer(() => 'y');
    expect(shown).toEqual(['x']);
  });

  it('fromNow: the first line only after the interval', () => {
    const shown: string[] = [];
    const offer = throttle((l) => shown.push(l), 100, { fromNow: true });
    offer(() => 'early');
    vi.advanceTimersByTime(100);
    offer(() => 'late');
    expect(shown).toEqual(['late']);
  });

  it('the default interval, and no show: nothing worded', () => {
    const shown: string[] = [];
    const offer = throttle((l) => shown.push(l), undefined);
    offer(() => '1');
    vi.advanceTimersByTime(PROGRESS_EVERY_MS - 1);
    offer(() => '2');
    vi.advanceTimersByTime(1);
    offer(() => '3');
    expect(shown).toEqual(['1', '3']);
    expect(PROGRESS_EVERY_MS).toBe(5000);
    const silent = throttle(undefined, 0);
    silent(() => {
      throw new Error('worded without a place to show it');
    });
  });
});
