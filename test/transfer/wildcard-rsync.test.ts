/**
 * The one wildcard matcher and the filter rules built on it, held against the real rsync: for
 * each pattern, what rsync selects from a tree of awkward names (`--dry-run --out-format=%n`)
 * must be what a walk with our PathFilter selects — as an exclude (which also prunes
 * directories) and as the only include among all directories (which reaches every file).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PathFilter } from '../../src/transfer/path-filter.js';
import { decodeName } from '../../src/transfer/rsync/records.js';
import { compileRule, firstMatch, ruleArgs } from '../../src/transfer/select/filter-rules.js';
import { selectionOf } from '../../src/transfer/select/index.js';
import { wildmatch } from '../../src/transfer/select/wildcard.js';
import { cleanTemps, tempDir } from '../support/temp.js';

afterAll(cleanTemps);

/** Byte strings (one char per byte); '/' separates directories. */
const TREE = [
  'a',
  'b',
  'ab',
  'abc',
  '!x',
  'ax',
  'bx',
  '^x',
  'a[b',
  '[x]',
  'x]',
  ']x',
  '-d',
  'a*b',
  'a?b',
  'a\\b',
  'a\\\\b',
  'A1',
  'z9',
  '.hidden',
  'caf\xe9',
  'we ird.txt',
  'traj.xtc',
  'top.txt',
  'sub/t2.xtc',
  'sub/sub/a',
  'scratch/f',
  'deep/scratch/g',
  'deep/er/x.xtc',
  'deep/top.txt',
  'm/n/o/p.txt',
  'm/o',
  'o/x.xtc',
];

const PATTERNS = [
  '*',
  '*.xtc',
  'a?',
  '?x',
  '[ab]x',
  '[!a]x',
  '[^a]x',
  '[a-c]*',
  '[]x]',
  '[]]x',
  '[!]]x',
  '[a-]*',
  'a[b',
  'a[b*',
  '[x',
  'a\\[b',
  '\\[x]',
  '\\[x\\]',
  '[[:upper:]]*',
  '[[:digit:]]',
  '[[:alpha:]][[:digit:]]',
  '[[:alpha:]]af?',
  '[[:foo:]]*',
  '[[:alpha]*',
  'caf?',
  '**/x.xtc',
  '**x.xtc',
  'deep/**',
  '**',
  'deep/**/p.txt',
  'm/**/p.txt',
  'm/**/o',
  'm/**',
  '**/o',
  'o/**',
  'scratch/',
  '/top.txt',
  'top.txt',
  'sub/t2.xtc',
  '/sub/',
  'sub/',
  'sub/*',
  '*/',
  'deep/*/',
  '***',
  'deep/***',
  '/m/n/***',
  // The trailing '/' goes before rsync looks for `***` at the end (add_rule).
  'sub/***/',
  'deep/***/',
  '***/',
  '/m/***/',
  'er/x.xtc',
  'n/o',
  'a\\*b',
  'a*b',
  'a\\\\b',
  'a\\b',
  'a\\?b',
  'a\\',
  'a*\\',
  '*\\b',
  'we ird*',
  '.*',
  '\\-d',
  '[-]d',
  '/',
  '/*',
  '*/*',
  '**/',
  '/**',
  'sub//',
  'deep/',
  '/deep/*/x.xtc',
  '?',
  '[a',
  '[[:alpha:]',
  'a]',
];

let src: string;

beforeAll(() => {
  src = tempDir('wildcard');
  for (const rel of TREE) {
    const p = Buffer.from(path.join(src, rel), 'latin1');
    mkdirSync(path.dirname(p.toString('latin1')), { recursive: true });
    writeFileSync(p, 'x');
  }
});

/** What rsync selects with these filter arguments, as byte strings ('/' after a directory). */
function rsyncSelects(args: string[]): string[] {
  const dst = tempDir('wildcard-dst');
  const r = spawnSync(
    'rsync',
    ['-r', '--dry-run', '--out-format=%n', ...args, '--', `${src}/`, dst],
    { env: { ...process.env, LC_ALL: 'C' }, encoding: 'latin1' },
  );
  if (r.status !== 0) throw new Error(`rsync ${args.join(' ')}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l && l !== './')
    .map(decodeName)
    .sort();
}

/** What a walk with `filter` selects, the way the copier walks (no descent into an excluded directory). */
function walkSelects(filter: PathFilter): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const dir = Buffer.from(rel ? path.join(src, rel) : src, 'latin1');
    for (const e of readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })) {
      const name = (e.name as unknown as Buffer).toString('latin1');
      const r = rel ? `${rel}/${name}` : name;
      if (filter.excludes(r, e.isDirectory())) continue;
      out.push(e.isDirectory() ? `${r}/` : r);
      if (e.isDirectory()) walk(r);
    }
  };
  walk('');
  return out.sort();
}

describe('the wildcard matcher against rsync', () => {
  it.each(PATTERNS)('exclude %s', (pattern) => {
    const sel = selectionOf({ exclude: [pattern] });
    expect(walkSelects(sel.filter)).toEqual(rsyncSelects([...sel.rsyncArgs]));
  });

  it.each(PATTERNS)('include %s among all directories', (pattern) => {
    const rules = [
      { include: true, pattern: '*/' },
      { include: true, pattern },
      { include: false, pattern: '*' },
    ];
    const compiled = rules.map(compileRule);
    const filter = { excludes: (rel: string, isDir: boolean) => !firstMatch(compiled, rel, isDir) };
    expect(walkSelects(filter)).toEqual(rsyncSelects(ruleArgs(rules)));
  });

  it("the cases of the issue: [!a]x is any one byte but 'a', then x; a[b matches nothing", () => {
    expect(['!x', 'ax', 'bx'].filter((t) => wildmatch('[!a]x', t))).toEqual(['!x', 'bx']);
    expect(['a[b', 'ab'].filter((t) => wildmatch('a[b', t))).toEqual([]);
  });
});
