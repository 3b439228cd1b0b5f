/**
 * The selection value: its rsync arguments (qq's argv kept for `files` alone, excludes first so
 * they win), the input checks, and `max-size` read exactly as the real rsync reads it.
 */
import { spawnSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import { decodeName, RecordReader } from '../../src/transfer/rsync/records.js';
import {
  checkExclude,
  checkMaxSize,
  excludedByPatterns,
  includeFilters,
  parseSize,
  selectionOf,
} from '../../src/transfer/select/index.js';
import { cleanTemps, tempDir } from '../support/temp.js';

afterAll(cleanTemps);

describe('selectionOf', () => {
  it("keeps qq's argv when only top-level files are given", () => {
    const sel = selectionOf({ files: ['a.txt', 'dir'] });
    expect(sel.rsyncArgs).toEqual(includeFilters(['a.txt', 'dir']));
    expect(sel.rsyncArgs).toEqual([
      ...['--include', 'a.txt', '--include', 'a.txt/***'],
      ...['--include', 'dir', '--include', 'dir/***', '--exclude', '*'],
    ]);
  });

  it('puts the excludes first, so that they win over files; max-size in bytes', () => {
    const sel = selectionOf({ files: ['traj'], exclude: ['*.xtc', 'scratch/'], maxSize: 1024 });
    expect(sel.rsyncArgs).toEqual([
      ...['--exclude', '*.xtc', '--exclude', 'scratch/'],
      ...['--include', 'traj', '--include', 'traj/***', '--exclude', '*'],
      '--max-size=1024',
    ]);
    expect(sel.filter.excludes('traj', true)).toBe(false);
    expect(sel.filter.excludes('traj/a.xtc', false)).toBe(true);
    expect(sel.filter.excludes('traj/scratch', true)).toBe(true);
    expect(sel.filter.excludes('traj/scratch', false)).toBe(false);
    expect(sel.filter.excludes('other.log', false)).toBe(true);
    expect(sel.filter.maxSize).toBe(1024);
  });

  it('everything: no argument, nothing excluded, no size limit', () => {
    const sel = selectionOf({});
    expect(sel.rsyncArgs).toEqual([]);
    expect(sel.filter.excludes('any/thing', false)).toBe(false);
    expect(sel.filter.maxSize).toBeUndefined();
  });
});

describe('excludedByPatterns', () => {
  it('the entry itself or a directory above it', () => {
    const exclude = ['*.xtc', 'scratch/', '/top.txt'];
    expect(excludedByPatterns(exclude, 'traj.xtc')).toBe(true);
    expect(excludedByPatterns(exclude, 'a/scratch/tmp.dat')).toBe(true);
    expect(excludedByPatterns(exclude, 'top.txt')).toBe(true);
    expect(excludedByPatterns(exclude, 'sub/top.txt')).toBe(false);
    expect(excludedByPatterns(exclude, 'md.log')).toBe(false);
    expect(excludedByPatterns([], 'traj.xtc')).toBe(false);
  });
});

describe('checkExclude', () => {
  it.each([
    ['--delete', /Input 'exclude' has '--delete', which looks like an option/],
    ['-x', /looks like an option; write '\[-\]x'/],
    ['+ keep', /rsync would read as a filter rule/],
    ['!', /rsync would read as a filter rule/],
    ['a\tb', /Input 'exclude' has a pattern with a control character/],
    ['a\x7fb', /control character/],
  ])('refuses %j', (pattern, message) => {
    expect(() => checkExclude([pattern])).toThrow(InputError);
    expect(() => checkExclude([pattern])).toThrow(message);
  });

  it('takes patterns as rsync writes them', () => {
    const ok = ['*.xtc', 'sub/t2.xtc', 'scratch/', '/top.txt', '**/tmp', 'a-b', '+x', '[-]d'];
    expect(checkExclude(ok)).toEqual(ok);
  });
});

describe('max-size as rsync reads it', () => {
  const SPECS = ['4096', '1b', '1k', '1K', '1KiB', '100KB', '1.5m', '1.5mb-1', '3Mb', '500M'];
  const BIG = ['2G', '2g+1', '1.5G', '2gb'];

  it('a file of exactly the size is fetched, one byte more is not (sparse files, real rsync)', () => {
    const src = tempDir('maxsize');
    for (const spec of [...SPECS, ...BIG]) {
      const n = parseSize(spec) as number;
      expect(n, spec).toBeGreaterThan(0);
      for (const size of [n, n + 1]) {
        const name = path.join(src, `${spec}-${size}`);
        writeFileSync(name, '');
        truncateSync(name, size);
      }
    }
    for (const spec of [...SPECS, ...BIG]) {
      const n = parseSize(spec) as number;
      const r = spawnSync(
        'rsync',
        ['-r', '--dry-run', '--out-format=%n', `--max-size=${spec}`, '--', `${src}/`, '/nowhere'],
        { encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      const fetched = r.stdout.split('\n').filter((l) => l.startsWith(`${spec}-`));
      expect(fetched, spec).toContain(`${spec}-${n}`);
      expect(fetched, spec).not.toContain(`${spec}-${n + 1}`);
    }
  });

  it('units: powers of 1024 for K/M/G, of 1000 for KB/MB/GB; empty = no limit', () => {
    expect(parseSize('500M')).toBe(500 * 1024 ** 2);
    expect(parseSize('2G')).toBe(2 * 1024 ** 3);
    expect(parseSize('100KB')).toBe(100_000);
    expect(parseSize('1.5mb-1')).toBe(1_499_999);
    expect(checkMaxSize('')).toBeUndefined();
    expect(() => checkMaxSize('2 GB')).toThrow(/Input 'max-size' must be a size/);
    expect(() => checkMaxSize('lots')).toThrow(InputError);
    expect(() => checkMaxSize('-1')).toThrow(InputError);
  });
});

describe('rsync records', () => {
  it('decodes \\#ooo escapes into bytes', () => {
    expect(decodeName('sub/new\\#012line')).toBe('sub/new\nline');
    expect(decodeName('caf\\#351')).toBe('caf\xe9');
    expect(decodeName('lit\\#134#123')).toBe('lit\\#123');
  });

  it('takes written files and symlinks, not directories or unchanged entries', () => {
    const seen: string[] = [];
    const reader = new RecordReader((e) => seen.push(`${e.kind} ${e.rel} ${e.size} ${e.mtimeSec}`));
    reader.line('qq-sync> cd+++++++++ 4096 0 2026/12/03-13:45:02 ./');
    reader.line(
      '\r      1,234  50%  (xfr#1, to-chk=2/4)qq-sync> >f+++++++++ 3000 3043 1970/01/01-00:00:10 a b',
    );
    reader.line('qq-sync> cL+++++++++ 5 0 1970/01/01-00:01:00 lnk');
    reader.line('qq-sync> .f          7 0 1970/01/01-00:01:00 same');
    reader.line('big.bin is over max-size');
    expect(seen).toEqual(['file a b 3000 10', 'symlink lnk 5 60']);
    expect(reader.tally).toEqual({
      overMaxSize: 1,
      overMaxSizeNames: ['big.bin'],
      listedBytes: 3012,
    });
  });
});
