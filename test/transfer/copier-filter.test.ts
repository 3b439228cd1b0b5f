/**
 * The built-in copier's selection and change records: it asks the PathFilter about each
 * entry (byte-string paths), does not descend into an excluded directory, leaves out regular
 * files over maxSize, and reports each file and symlink it writes (or would, in a dry run)
 * through onChange — a non-UTF-8 name as its bytes.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTree } from '../../src/transfer/copier/index.js';
import type { ChangedEntry, PathFilter } from '../../src/transfer/path-filter.js';
import { byteSnapshot } from '../support/byte-tree.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import { put } from '../support/transfer.js';

afterAll(cleanTemps);

const ODD = Buffer.from([0x6f, 0x64, 0x64, 0x2d, 0xff]);

async function tree(): Promise<string> {
  const src = tempDir('src');
  await put(src, 'keep/a.txt', 'a', 1_700_000_000);
  await put(src, 'keep/big.bin', Buffer.alloc(5000), 1_700_000_000);
  await put(src, 'skip/never.txt', 'never');
  await put(src, 'top.log', 'log');
  await mkdir(path.join(src, 'keep', 'deeper'));
  await symlink('a.txt', path.join(src, 'keep', 'link'));
  await writeFile(Buffer.concat([Buffer.from(`${src}/keep/`), ODD]), 'odd');
  return src;
}

describe('the built-in copier with a PathFilter', () => {
  it('asks about each entry, skips excluded directories unvisited and files over maxSize, reports what it writes', async () => {
    const src = await tree();
    const dst = tempDir('dst');
    const asked: Array<[string, boolean]> = [];
    const filter: PathFilter = {
      excludes: (rel, isDir) => {
        asked.push([rel, isDir]);
        return rel === 'skip' || rel.endsWith('.log');
      },
      maxSize: 4096,
    };
    const changes: ChangedEntry[] = [];
    const out = await copyTree(src, dst, {
      filter,
      overwrite: 'newer',
      dryRun: false,
      onChange: (e) => changes.push(e),
    });
    expect(Object.keys(byteSnapshot(dst))).toEqual([
      'keep',
      'keep/a.txt',
      'keep/deeper',
      'keep/link',
      'keep/odd-\\xff',
    ]);
    const odd = `keep/${ODD.toString('latin1')}`;
    expect(asked.map(([r]) => r).sort()).toEqual(
      [
        'keep',
        'keep/a.txt',
        'keep/big.bin',
        'keep/deeper',
        'keep/link',
        odd,
        'skip',
        'top.log',
      ].sort(),
    );
    expect(asked).toContainEqual(['keep', true]);
    expect(asked).toContainEqual(['keep/a.txt', false]);
    expect(changes.sort((a, b) => (a.rel < b.rel ? -1 : 1))).toEqual([
      { rel: 'keep/a.txt', kind: 'file', size: 1, mtimeSec: 1_700_000_000 },
      { rel: 'keep/link', kind: 'symlink', size: 5, mtimeSec: expect.any(Number) },
      { rel: odd, kind: 'file', size: 3, mtimeSec: expect.any(Number) },
    ]);
    expect([out.files, out.bytes, out.problemCount]).toEqual([2, 4, 0]);
    // Nothing new: nothing written, nothing reported.
    changes.length = 0;
    const again = await copyTree(src, dst, {
      filter,
      overwrite: 'newer',
      dryRun: false,
      onChange: (e) => changes.push(e),
    });
    expect([again.files, changes]).toEqual([0, []]);
  });

  it('a dry run reports what it would write and writes nothing', async () => {
    const src = await tree();
    const dst = tempDir('dst');
    const changes: ChangedEntry[] = [];
    const out = await copyTree(src, dst, {
      overwrite: 'newer',
      dryRun: true,
      onChange: (e) => changes.push(e),
    });
    expect(byteSnapshot(dst)).toEqual({});
    const odd = `keep/${ODD.toString('latin1')}`;
    expect(changes.map((c) => c.rel).sort()).toEqual(
      ['keep/a.txt', 'keep/big.bin', 'keep/link', odd, 'skip/never.txt', 'top.log'].sort(),
    );
    expect(out.files).toBe(5);
  });
});
