/**
 * Settling what rsync moved into the run's backup directory (type-change.ts) on a real file
 * system, with the destination hostile: a symlink (or a file, or nothing) at every depth of a
 * path an entry goes back to, a symlink inside a directory that is removed, a backup directory
 * that is not the one made. Nothing outside the destination is written, moved or removed, and
 * what cannot be put back safely is kept, named, never lost. Names with newlines and bytes that
 * are not UTF-8 are put back exactly.
 */
import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type DisplacedDir,
  KEPT_PREFIX,
  makeDisplacedDir,
  settleDisplaced,
  settledProblems,
} from '../../src/transfer/type-change.js';
import { cleanTemps, tempDir } from '../support/temp.js';

afterAll(cleanTemps);

const TOKEN = '00112233aabbccdd';
const NAME = `.qq-sync-displaced.${TOKEN}`;
const T0 = 1_700_000_000;

/** Every entry under `root`, with content or target, byte-exact (names as hex where odd). */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: Buffer, rel: string) => {
    for (const name of readdirSync(dir, { encoding: 'buffer' }).sort(Buffer.compare)) {
      const p = Buffer.concat([dir, Buffer.from('/'), name]);
      const r = `${rel}/${name.toString('hex')}`;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[r] = `-> ${readlinkSync(p, 'buffer').toString('hex')}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${st.mtimeMs}`;
        walk(p, r);
      } else out[r] = `${st.isFIFO() ? 'fifo' : 'file'} ${readFileSync(p, 'hex')} ${st.mtimeMs}`;
    }
  };
  walk(Buffer.from(root), '');
  return out;
}

/** `dest` with the backup directory made (as the run makes it) and `outside` beside it. */
async function scene() {
  const base = tempDir('settle');
  const dest = path.join(base, 'dest');
  const outside = path.join(base, 'outside');
  mkdirSync(dest);
  mkdirSync(outside);
  const { dir } = await makeDisplacedDir(dest, NAME);
  const moved = (rel: string, content: string) => {
    const p = path.join(dest, NAME, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
    utimesSync(p, T0 + 100, T0 + 100);
  };
  return { base, dest, outside, dir, moved };
}

describe('settleDisplaced', () => {
  for (const depth of [1, 2, 3]) {
    for (const kind of ['symlink', 'file', 'missing'] as const) {
      it(`a ${kind} at depth ${depth} of the path an entry goes back to: nothing moved, kept, named`, async () => {
        const { dest, outside, dir, moved } = await scene();
        const parts = ['d1', 'd2', 'd3'];
        moved('d1/d2/d3/victim', 'mine\n');
        // What following the path would reach: the same directories, outside.
        mkdirSync(path.join(outside, ...parts.slice(depth)), { recursive: true });
        writeFileSync(path.join(outside, ...parts.slice(depth), 'victim'), 'outside\n');
        const upper = path.join(dest, ...parts.slice(0, depth - 1));
        mkdirSync(upper, { recursive: true });
        const at = path.join(upper, parts[depth - 1] as string);
        if (kind === 'symlink') symlinkSync(outside, at);
        if (kind === 'file') writeFileSync(at, 'a file\n');
        const before = tree(outside);
        const settled = await settleDisplaced(dest, dir, { runFailed: true, refuse: true });
        expect(tree(outside)).toEqual(before);
        expect(settled.unsafe).toEqual(['d1/d2/d3/victim']);
        expect(settled.kept).toBe(`${KEPT_PREFIX}${TOKEN}`);
        expect(
          readFileSync(path.join(dest, settled.kept as string, 'd1/d2/d3/victim'), 'utf8'),
        ).toBe('mine\n');
        expect(settledProblems(settled)).toMatch(
          /^1 entry that rsync moved aside could not be put back safely .*: 'd1\/d2\/d3\/victim'\. Nothing was moved or deleted; they are kept in 'qq-sync-kept-00112233aabbccdd' in the destination\.$/,
        );
      });
    }
  }

  it('the last name a symlink: the moved older version removed from the backup, the link and its target untouched', async () => {
    const { dest, outside, dir, moved } = await scene();
    moved('sub/a.txt', 'old\n');
    mkdirSync(path.join(dest, 'sub'));
    writeFileSync(path.join(outside, 'a.txt'), 'outside\n');
    symlinkSync(path.join(outside, 'a.txt'), path.join(dest, 'sub/a.txt'));
    const before = tree(outside);
    const settled = await settleDisplaced(dest, dir, { runFailed: false, refuse: true });
    expect(settled).toEqual({ refused: [], removed: [], unsafe: [] });
    expect(tree(outside)).toEqual(before);
    expect(readlinkSync(path.join(dest, 'sub/a.txt'))).toBe(path.join(outside, 'a.txt'));
    expect(readdirSync(dest).sort()).toEqual(['sub']);
  });

  it('moved entries of every kind, odd names: put back exactly where nothing took their place', async () => {
    const { dest, dir } = await scene();
    const root = `${dest}/${NAME}`;
    const odd = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9, 0x0a]), Buffer.from('x')]);
    const oddDir = Buffer.concat([Buffer.from('new\nline'), Buffer.from([0xff])]);
    mkdirSync(Buffer.concat([Buffer.from(`${root}/`), oddDir]));
    mkdirSync(Buffer.concat([Buffer.from(`${dest}/`), oddDir]));
    writeFileSync(Buffer.concat([Buffer.from(`${root}/`), oddDir, Buffer.from('/'), odd]), 'f');
    symlinkSync('/etc/passwd', `${root}/link`);
    expect(spawnSync('mkfifo', [`${root}/fifo`]).status).toBe(0);
    mkdirSync(`${root}/empty-dir`);
    const settled = await settleDisplaced(dest, dir, { runFailed: true, refuse: true });
    expect(settled).toEqual({ refused: [], removed: [], unsafe: [] });
    expect(
      readFileSync(Buffer.concat([Buffer.from(`${dest}/`), oddDir, Buffer.from('/'), odd]), 'utf8'),
    ).toBe('f');
    expect(readlinkSync(`${dest}/link`)).toBe('/etc/passwd');
    expect(lstatSync(`${dest}/fifo`).isFIFO()).toBe(true);
    expect(
      readdirSync(dest, { encoding: 'buffer' })
        .map((b) => b.toString('latin1'))
        .sort(),
    ).toEqual(['fifo', 'link', oddDir.toString('latin1')].sort());
  });

  it('a refused type change: the directory this run made removed without following the symlinks in it, its files counted', async () => {
    const { dest, outside, dir, moved } = await scene();
    moved('res', 'mine, newer\n');
    mkdirSync(path.join(dest, 'res/deep'), { recursive: true });
    writeFileSync(path.join(dest, 'res/a.txt'), '12345');
    writeFileSync(path.join(dest, 'res/deep/b.txt'), '123');
    writeFileSync(path.join(outside, 'keep.txt'), 'outside\n');
    symlinkSync(outside, path.join(dest, 'res/deep/out'));
    symlinkSync(path.join(outside, 'keep.txt'), path.join(dest, 'res/file-link'));
    utimesSync(path.join(dest, 'res'), T0, T0);
    const before = tree(outside);
    const settled = await settleDisplaced(dest, dir, { runFailed: false, refuse: true });
    expect(tree(outside)).toEqual(before);
    expect(settled.removed).toEqual([{ rel: 'res', files: 2, bytes: 8 }]);
    expect(settled.refused).toHaveLength(1);
    expect(readFileSync(path.join(dest, 'res'), 'utf8')).toBe('mine, newer\n');
    expect(readdirSync(dest)).toEqual(['res']);
  });

  it('a backup directory that is not the one made (replaced, or a symlink now): nothing in it touched', async () => {
    for (const swap of ['dir', 'symlink'] as const) {
      const { dest, outside, dir, moved } = await scene();
      // Moved away, not removed: the new one cannot get its inode number.
      renameSync(path.join(dest, NAME), path.join(dest, 'made-before'));
      if (swap === 'symlink') {
        symlinkSync(outside, path.join(dest, NAME));
        writeFileSync(path.join(outside, 'x'), 'outside\n');
      } else moved('x', 'planted\n');
      const before = tree(path.dirname(dest));
      const settled = await settleDisplaced(dest, dir, { runFailed: true, refuse: true });
      expect(settled.notOurs).toBe(NAME);
      expect(settledProblems(settled)).toMatch(/is not the directory this sync made/);
      expect(tree(path.dirname(dest))).toEqual(before);
    }
  });

  it('the backup directory is made exclusively: an entry of its name is an error, never reused', async () => {
    const dest = tempDir('settle');
    symlinkSync('/tmp', path.join(dest, NAME));
    await expect(makeDisplacedDir(dest, NAME)).rejects.toThrow(/EEXIST/);
    const none: DisplacedDir = { name: NAME };
    expect((await settleDisplaced(dest, none, { runFailed: true, refuse: true })).notOurs).toBe(
      NAME,
    );
  });
});
