import { describe, expect, it } from 'vitest';
import { parseDurationSec } from '../../src/util/duration.js';
import { listItems } from '../../src/util/list.js';

describe('durations', () => {
  it.each([
    ['600', 600],
    ['90s', 90],
    ['30m', 1800],
    ['3h', 10800],
    ['1d', 86400],
    ['1h30m', 5400],
    [' 2M ', 120],
  ])('%j is %d s', (text, sec) => expect(parseDurationSec(text)).toBe(sec));

  it.each(['', '1.5h', '10 minutes', '-5', '1e3', 'h', '3w'])('%j is not a duration', (text) =>
    expect(parseDurationSec(text)).toBeUndefined(),
  );
});

describe('list inputs', () => {
  it('split on commas, whitespace and newlines in any mix', () => {
    expect(listItems(' 1, 2,3\n4\t5 ,, \n')).toEqual(['1', '2', '3', '4', '5']);
    expect(listItems('  \n ')).toEqual([]);
  });
});
