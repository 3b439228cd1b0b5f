/**
 * The built-in copier fills a directory it makes under a temporary name and renames it onto
 * its final name when complete (src/transfer/copier/walk.ts); the files in it are written
 * under their own names. What stands under a final path is still always whole:
 * - a cancel puts the directory in place with the files copied so far, each whole, and
 *   leaves no temporary name;
 * - a cut-short run (the exit handler's removeTempFilesNow) puts it in place too;
 * - a file seen changed after its read (in a directory under a temporary name: written
 *   under its own name) is removed and read again.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyBuffered, openSource } from '../../src/transfer/copier/copy-file.js';
import { copyTree, removeTempFilesNow } from '../../src/transfer/copier/index.js';
import { liveDirs } from '../../src/transfer/copier/temp-files.js';
import { cleanTemps, tempDir } from '../support/temp.js';

afterAll(cleanTemps);

/** Every name under `root` that is a temporary one. */
function temporaries(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((n) =>
    n.endsWith('.qqsync'),
  );
}

describe('a new directory, filled under a temporary name', () => {
  it('arrives whole, with its times and bits, and no temporary name is left', async () => {
    const src = tempDir('src');
    mkdirSync(path.join(src, 'new/deeper'), { recursive: true });
    for (let i = 0; i < 50; i++) writeFileSync(path.join(src, `new/f${i}`), `file ${i}\n`);
    writeFileSync(path.join(src, 'new/deeper/x'), 'x\n');
    chmodSync(path.join(src, 'new/deeper'), 0o750);
    utimesSync(path.join(src, 'new'), 1_700_000_000, 1_700_000_000);
    const dst = tempDir('dst');
    const out = await copyTree(src, dst, { overwrite: 'newer', dryRun: false });
    expect(out.files).toBe(51);
    expect(temporaries(dst)).toEqual([]);
    expect(readFileSync(path.join(dst, 'new/f7'), 'utf8')).toBe('file 7\n');
    expect(readFileSync(path.join(dst, 'new/deeper/x'), 'utf8')).toBe('x\n');
    expect(statSync(path.join(dst, 'new')).mtimeMs).toBe(1_700_000_000_000);
    expect(statSync(path.join(dst, 'new/deeper')).mode & 0o7777).toBe(0o750 & ~process.umask());
    expect(liveDirs.size).toBe(0);
  });

  it('a cancel puts it in place with the files copied so far, each whole', async () => {
    const src = tempDir('src');
    mkdirSync(path.join(src, 'new'));
    const n = 3000;
    for (let i = 0; i < n; i++) writeFileSync(path.join(src, `new/f${i}`), `file ${i}\n`);
    const dst = tempDir('dst');
    const controller = new AbortController();
    let seen = 0;
    const err = await copyTree(src, dst, {
      overwrite: 'newer',
      dryRun: false,
      signal: controller.signal,
      // Cancelled early; the copier sees it at its next turn of the event loop.
      onChange: () => {
        if (++seen === 10) controller.abort();
      },
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/aborted/);
    expect(temporaries(dst)).toEqual([]);
    expect(liveDirs.size).toBe(0);
    const arrived = readdirSync(path.join(dst, 'new'));
    expect(arrived.length).toBe(seen);
    expect(arrived.length).toBeLessThan(n);
    for (const name of arrived) {
      expect(readFileSync(path.join(dst, 'new', name), 'utf8')).toBe(`file ${name.slice(1)}\n`);
    }
  });

  it('a run cut short puts the directories being filled in place (removeTempFilesNow)', () => {
    const dst = tempDir('dst');
    const tmp = path.join(dst, '.new.0a1b2c3d.qqsync');
    mkdirSync(tmp);
    writeFileSync(path.join(tmp, 'whole.txt'), 'whole\n');
    liveDirs.set(Buffer.from(tmp), Buffer.from(path.join(dst, 'new')));
    removeTempFilesNow();
    expect(liveDirs.size).toBe(0);
    expect(existsSync(tmp)).toBe(false);
    expect(readFileSync(path.join(dst, 'new/whole.txt'), 'utf8')).toBe('whole\n');
  });

  it('a file seen changed after its read is removed and read again, under its own name', () => {
    // A change between the two looks cannot be timed from here (the copy is one synchronous
    // step): the first look is made to differ instead, as a write during the read would.
    const src = tempDir('src');
    const file = path.join(src, 'a.txt');
    writeFileSync(file, 'version 2\n');
    const dst = tempDir('dst');
    const target = Buffer.from(path.join(dst, 'a.txt'));
    const from = openSource(Buffer.from(file));
    const now = from.st;
    const before = Object.assign(Object.create(Object.getPrototypeOf(now)), now, {
      mtimeMs: now.mtimeMs - 5000,
    });
    // `direct`: written under its own name, as in a directory under a temporary name; the
    // second try's exclusive create would fail had the first try's file been left.
    const done = copyBuffered({ fd: from.fd, st: before }, target, 0o644, 0o022, true);
    expect(done).toMatchObject({ ok: true, written: 10 });
    expect(readFileSync(target, 'utf8')).toBe('version 2\n');
    expect(Math.floor(statSync(target).mtimeMs / 1000)).toBe(Math.floor(now.mtimeMs / 1000));
    expect(readdirSync(dst)).toEqual(['a.txt']);
  });
});
