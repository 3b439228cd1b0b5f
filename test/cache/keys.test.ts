/** Cache keys and the path strings handed to @actions/cache (checked against real @actions/glob). */
import { mkdir, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import * as glob from '@actions/glob';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cacheKeyFor,
  cacheKeyPrefix,
  cachePathsFor,
  safeKeyPart,
} from '../../src/action/cache/actions-cache.js';
import { tempDir } from '../support/temp.js';
import { leaveRunner } from './helpers.js';

afterEach(leaveRunner);

describe('cache keys', () => {
  it('has the form qq-sync-<job id>-<run id>-<run attempt>', () => {
    expect(cacheKeyFor('123456', '9876543210', '2')).toBe('qq-sync-123456-9876543210-2');
    expect(cacheKeyFor('123456', 9876543210, 1)).toBe('qq-sync-123456-9876543210-1');
    expect(cacheKeyPrefix('123456')).toBe('qq-sync-123456-');
  });

  it('keeps dots and encodes [ ] @ - , / and spaces', () => {
    expect(cacheKeyPrefix('123456.pbs-m1.metacentrum.cz')).toBe(
      'qq-sync-123456.pbs_2Dm1.metacentrum.cz-',
    );
    expect(cacheKeyFor('12[3].srv@host', '1', '1')).toBe('qq-sync-12_5B3_5D.srv_40host-1-1');
    expect(safeKeyPart('a,b c/d_e')).toBe('a_2Cb_20c_2Fd_5Fe');
    expect(safeKeyPart('é')).toBe('_C3_A9');
  });

  it('never yields a comma or a character outside [A-Za-z0-9._-]', () => {
    const key = cacheKeyFor('x,y;z\n[1]@a-b_c~ü', 'r,1', 'a,2');
    expect(key).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(key).not.toContain(',');
  });

  it('is one-to-one: ids that differ give keys that differ', () => {
    const ids = ['123[1]', '123_1_', '123_5B1_5D', '123-1', '123_2D1', '123.1', '123 1'];
    const prefixes = ids.map(cacheKeyPrefix);
    expect(new Set(prefixes).size).toBe(ids.length);
  });

  it("is prefix-free: a job's prefix matches no key of another job", () => {
    const ids = ['123', '123-4', '123-4-5', '1234', '123.', '12', '123_'];
    for (const a of ids) {
      for (const b of ids) {
        const matches = cacheKeyFor(b, '77', '1').startsWith(cacheKeyPrefix(a));
        expect(matches, `${a} vs ${b}`).toBe(a === b);
      }
    }
  });
});

describe('cachePathsFor', () => {
  async function globMatches(pattern: string): Promise<string[]> {
    const g = await glob.create(pattern, { implicitDescendants: false });
    return g.glob();
  }

  it('gives workspace-relative paths with / when the workspace is the current directory', async () => {
    const ws = await realpath(tempDir('ws'));
    process.chdir(ws);
    expect(cachePathsFor(['results/job1', `${ws}/abs/x`, '.', './a/../b'], ws)).toEqual([
      'results/job1',
      'abs/x',
      '.',
      'b',
    ]);
  });

  it('gives absolute paths outside the workspace or when the current directory is elsewhere', async () => {
    const ws = await realpath(tempDir('ws'));
    const other = await realpath(tempDir('other'));
    process.chdir(ws);
    expect(cachePathsFor([`${other}/x`, '../y'], ws)).toEqual([
      `${other}/x`,
      `${path.dirname(ws)}/y`,
    ]);
    process.chdir(other);
    expect(cachePathsFor(['results/job1'], ws)).toEqual([`${ws}/results/job1`]);
  });

  it('refuses a path with a line break', () => {
    expect(() => cachePathsFor(['a\nb'])).toThrow(/Cannot cache the path/);
  });

  it('escapes glob characters so that @actions/glob matches exactly that one path', async () => {
    const ws = await realpath(tempDir('ws'));
    process.chdir(ws);
    const names = [
      '123[1].srv@host',
      'a*b',
      'q?',
      'back\\slash',
      '!neg',
      '#hash',
      '~tilde',
      ' lead',
      'trail ',
      '{x,y}',
    ];
    // Decoys the unescaped patterns would also match.
    const decoys = ['1231.srv@host', 'axxb', 'qq', 'ab', 'x', 'y'];
    for (const n of [...names, ...decoys])
      await mkdir(path.join(ws, 'res', n), { recursive: true });
    await mkdir(path.join(ws, 'neg'), { recursive: true });
    for (const n of names) {
      const [pattern] = cachePathsFor([`res/${n}`], ws) as [string];
      expect(await globMatches(pattern), `${n} -> ${pattern}`).toEqual([path.join(ws, 'res', n)]);
      // Also at the top of the workspace, where `!`, `#`, `~` and white space lead the pattern.
      await mkdir(path.join(ws, n), { recursive: true });
      const [top] = cachePathsFor([n], ws) as [string];
      expect(await globMatches(top), `${n} -> ${top}`).toEqual([path.join(ws, n)]);
    }
  });
});
