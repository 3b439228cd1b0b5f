/** The `bwlimit` input: rsync's rate forms, read as KiB/s; anything else refused, naming the input. */
import { describe, expect, it } from 'vitest';
import { actionDefaults } from '../../scripts/run-action.mjs';
import { bwlimit } from '../../src/action/inputs/parse.js';
import { readSettings } from '../../src/action/inputs.js';
import { InputError } from '../../src/domain/errors.js';

const ctx = { name: 'bwlimit', workspace: '/ws' };

describe('bwlimit', () => {
  it('reads KiB/s, with K, M or G as rsync does (1024-based, fractions too)', () => {
    expect(bwlimit('500', ctx)).toBe(500);
    expect(bwlimit(' 500K ', ctx)).toBe(500);
    expect(bwlimit('10M', ctx)).toBe(10 * 1024);
    expect(bwlimit('10m', ctx)).toBe(10 * 1024);
    expect(bwlimit('1.5G', ctx)).toBe(1.5 * 1024 ** 2);
    expect(bwlimit('2.5', ctx)).toBe(2);
  });

  it('is no limit when empty (the default) or 0, as rsync reads 0', () => {
    expect(bwlimit('', ctx)).toBeUndefined();
    expect(bwlimit('0', ctx)).toBeUndefined();
    expect(bwlimit('0M', ctx)).toBeUndefined();
    const all = actionDefaults();
    const s = readSettings((name) => all[name] ?? '', { GITHUB_WORKSPACE: '/ws' });
    expect(s.bwlimit).toBeUndefined();
  });

  it.each([
    '-1',
    '--bwlimit=1',
    '-e sh',
    '10 M',
    '10MB',
    '1e3',
    'fast',
    '0.5',
    '2T',
    '1,000',
    `${1024 ** 3 + 1}`,
    '10M; rm -rf /',
  ])("refuses '%s' with an error naming the input", (raw) => {
    expect(() => bwlimit(raw, ctx)).toThrow(InputError);
    expect(() => bwlimit(raw, ctx)).toThrow(/^Input 'bwlimit' must be a rate in KiB\/s/);
  });

  it('is read through the table of inputs', () => {
    const all: Record<string, string> = { ...actionDefaults(), bwlimit: '2M' };
    expect(readSettings((name) => all[name] ?? '', { GITHUB_WORKSPACE: '/ws' }).bwlimit).toBe(2048);
    const bad: Record<string, string> = { ...actionDefaults(), bwlimit: '-5' };
    expect(() => readSettings((name) => bad[name] ?? '', { GITHUB_WORKSPACE: '/ws' })).toThrow(
      /Input 'bwlimit' must be/,
    );
  });
});
