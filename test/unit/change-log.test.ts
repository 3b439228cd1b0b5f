/**
 * The ChangeLog keeps its records compactly (transfer/changes.ts): what it gives back must be
 * what a map of one entry per path would give — the latest record of a path, byte order, a
 * retract taking back a path and what is under it (not a sibling that shares its prefix),
 * names that are not UTF-8 byte for byte, checksums, and beyond its first allocations.
 */
import { describe, expect, it } from 'vitest';
import { ChangeLog, jsonArray, takeWithin } from '../../src/transfer/changes.js';
import type { ChangedEntry } from '../../src/transfer/path-filter.js';

const file = (rel: string, size = 1, mtimeSec = 1_700_000_000): ChangedEntry => ({
  rel,
  kind: 'file',
  size,
  mtimeSec,
});

describe('ChangeLog', () => {
  it('gives one entry per path, the latest, in byte order', () => {
    const log = new ChangeLog();
    log.add(file('b', 1));
    log.add(file('a/x', 2));
    log.add({ rel: 'a.txt', kind: 'symlink', size: 5, mtimeSec: -86_400 });
    log.add(file('b', 7, 12));
    expect(log.entries()).toEqual([
      { rel: 'a.txt', kind: 'symlink', size: 5, mtimeSec: -86_400 },
      file('a/x', 2),
      file('b', 7, 12),
    ]);
    expect(log.size).toBe(3);
    expect(log.fetched()).toEqual({ files: 2, bytes: 9 });
  });

  it('takes back a path and what is under it, not a name that merely starts alike', () => {
    const log = new ChangeLog();
    for (const rel of ['d', 'd/x', 'd/e/y', 'dd', 'd.txt', 'e/d']) log.add(file(rel));
    log.retract('d');
    expect(log.entries().map((e) => e.rel)).toEqual(['d.txt', 'dd', 'e/d']);
    log.add(file('d/x', 3));
    expect(log.entries().map((e) => e.rel)).toEqual(['d.txt', 'd/x', 'dd', 'e/d']);
  });

  it('keeps byte strings (not UTF-8, newlines) and checksums as given', () => {
    const log = new ChangeLog();
    const odd = ['caf\xe9.dat', 'new\nline', '\xff\xfe/\x01'];
    for (const rel of odd) log.add(file(rel));
    log.add({ ...file('h'), sha256: 'ab'.repeat(32) });
    expect(log.entries()).toEqual([
      file('caf\xe9.dat'),
      { ...file('h'), sha256: 'ab'.repeat(32) },
      file('new\nline'),
      file('\xff\xfe/\x01'),
    ]);
  });

  it('holds many records with long paths', () => {
    const log = new ChangeLog();
    const long = 'x'.repeat(200);
    const n = 5000;
    for (let i = n - 1; i >= 0; i--) log.add(file(`${long}/${String(i).padStart(5, '0')}`, i));
    const all = log.entries();
    expect(all).toHaveLength(n);
    expect(all[0]).toEqual(file(`${long}/00000`, 0));
    expect(all[n - 1]).toEqual(file(`${long}/${String(n - 1).padStart(5, '0')}`, n - 1));
    expect(log.fetched()).toEqual({ files: n, bytes: (n * (n - 1)) / 2 });
  });
});

describe('ChangeLog.paths', () => {
  const shownAs = (rel: string) => `out/${rel}`;

  it('reads the paths in order as entries() gives them, in order or not, again and again', () => {
    for (const rels of [
      ['a', 'a/x', 'b', 'b/c/d'],
      ['a/x', 'a.txt', 'a-1/y', 'b', 'a/x', 'c'],
      ['a', 'a'], // the same path again at once (a retry)
      ['ab', 'a'], // a prefix after
    ]) {
      const log = new ChangeLog();
      for (const rel of rels) log.add(file(rel));
      const want = log.entries().map((e) => shownAs(e.rel));
      const view = log.paths(shownAs);
      expect(view.length).toBe(want.length);
      expect([...view]).toEqual(want);
      expect([...view]).toEqual(want);
    }
  });

  it('leaves out what was taken back', () => {
    const log = new ChangeLog();
    for (const rel of ['a', 'b/x', 'c']) log.add(file(rel));
    log.retract('b');
    expect([...log.paths(shownAs)]).toEqual(['out/a', 'out/c']);
  });

  // Names that JSON escapes or that are more than a byte each in UTF-8, and lists longer than
  // one batch of jsonArray (2,048 paths).
  const odd = [
    'a',
    'new\nline',
    'caf\u00e9',
    'q"uote\\',
    '\u{1f600}',
    '',
    'tab\t',
    '\x7f',
    '\ud800',
  ];
  const lists = [
    odd,
    [],
    Array.from({ length: 9000 }, (_, i) => `d/${i}.dat`),
    Array.from({ length: 4097 }, (_, i) => `${odd[i % odd.length]}/${i}`),
  ];

  it('writes the JSON that JSON.stringify writes', () => {
    for (const list of lists) expect(jsonArray(list).toString()).toBe(JSON.stringify(list));
  });

  it('takes the first paths whose JSON fits the budget, counting its bytes', () => {
    for (const list of lists) {
      for (const left of [0, 2, 3, 7, 100, 5000, 1e9]) {
        const budget = { left };
        const shown = takeWithin(list, budget);
        // As JSON.stringify counts: each path's JSON and a separator, in UTF-8 bytes.
        let used = 2;
        let n = 0;
        for (const p of list) {
          const cost = Buffer.byteLength(JSON.stringify(p)) + 1;
          if (used + cost > left) break;
          used += cost;
          n++;
        }
        expect(shown).toEqual(list.slice(0, n));
        expect(budget.left).toBe(left - used);
      }
    }
  });
});
