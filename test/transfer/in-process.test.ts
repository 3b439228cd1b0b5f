/**
 * The in-process copy of a local job into a new destination (choose.ts, issue 29): any size
 * is copied by the copier where rsync is installed, unless parallel streams may split the job
 * or the in-process copy is off; the result is rsync's. A device stops the copier
 * (`stopOnSpecial`) and rsync finishes the job: what the copier wrote before is counted and
 * recorded once, and the tree equals the one rsync alone makes (the tests run as root, so
 * rsync -D makes the device).
 */
import { spawnSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFresh } from '../../src/transfer/choose.js';
import { copyTree, SpecialFileStop } from '../../src/transfer/copier/index.js';
import { type TransferSettings, transferJob } from '../../src/transfer/index.js';
import { byteSnapshot } from '../support/byte-tree.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import { fetchLocal, link, localSettings, put } from '../support/transfer.js';

afterAll(cleanTemps);

/** The small-tree limit of these tests (the default's trees would be slow to make). */
const LIMIT = 64;

/** More files than the small-tree limit, in directories, with a symlink and a FIFO. */
async function largeTree(extra?: (src: string) => void): Promise<{ src: string; files: number }> {
  const src = tempDir('src');
  const files = LIMIT + 20;
  for (let i = 0; i < files; i++) {
    await put(src, `d${i % 3}/f${String(i).padStart(4, '0')}.dat`, `${i}\n`, 1_700_000_000 + i);
  }
  await link(src, 'd0/link', 'f0000.dat');
  expect(spawnSync('mkfifo', [path.join(src, 'd1/pipe')]).status).toBe(0);
  extra?.(src);
  return { src, files };
}

/** Fetch with the in-process copy allowed, logging changes and debug lines in order. */
async function fetch(src: string, dst: string, over: Partial<TransferSettings> = {}) {
  const events: string[] = [];
  const result = await transferJob({
    workDir: src,
    mainNode: 'unused',
    local: true,
    destination: dst,
    dryRun: false,
    onChange: (e) => events.push(`change ${e.rel}`),
    settings: localSettings({
      inProcessBelowEntries: LIMIT,
      debug: (m) => events.push(`debug ${m}`),
      ...over,
    }),
  });
  return { result, events };
}

/** What rsync alone makes of `src`. */
async function byRsync(src: string) {
  const dst = path.join(tempDir('oracle'), 'out');
  const r = await fetchLocal('rsync', src, dst);
  expect(r.method).toBe('rsync');
  return { snap: byteSnapshot(dst), result: r };
}

describe('the in-process copy into a new destination', () => {
  it('copies a tree larger than the small-tree limit, missing or empty destination, as rsync does', async () => {
    const { src, files } = await largeTree();
    const oracle = await byRsync(src);
    const empty = tempDir('dst');
    for (const dst of [path.join(tempDir('dst'), 'new', 'out'), empty]) {
      const { result, events } = await fetch(src, dst);
      expect(result.method).toBe('in-process copy');
      expect([result.files, result.bytes]).toEqual([oracle.result.files, oracle.result.bytes]);
      expect(result.files).toBe(files);
      expect(byteSnapshot(dst)).toEqual(oracle.snap);
      expect(events.filter((e) => e.startsWith('debug'))).toContainEqual(
        `debug '${src}': a new destination, copied in-process (no rsync spawned)`,
      );
    }
  });

  it('leaves to rsync a destination with something in it, streams asked for, or the in-process copy off', async () => {
    const { src } = await largeTree();
    const full = tempDir('dst');
    await writeFile(path.join(full, 'mine.txt'), 'mine\n');
    expect((await fetch(src, full)).result.method).toBe('rsync');
    const splittable = path.join(tempDir('dst'), 'out');
    expect((await fetch(src, splittable, { streams: 2 })).result.method).toBe('rsync');
    const off = path.join(tempDir('dst'), 'out');
    expect((await fetch(src, off, { inProcessBelowEntries: 0 })).result.method).toBe('rsync');
    // A small tree, as before: in-process whatever the destination holds.
    const small = tempDir('src');
    await put(small, 'a.txt', 'a\n');
    expect((await fetch(small, full)).result.method).toBe('in-process copy');
  });

  it.runIf(process.getuid?.() === 0)(
    'a device stops the copier; rsync finishes the job: counts, changes and tree are rsync’s',
    async () => {
      const { src, files } = await largeTree((root) => {
        // Sorted between d0/ and d1/: the copier has written d0/ when it meets it.
        const made = spawnSync('mknod', [path.join(root, 'd0zz-null'), 'c', '1', '3']);
        expect(made.status, made.stderr.toString()).toBe(0);
      });
      const oracle = await byRsync(src);
      const dst = path.join(tempDir('dst'), 'out');
      const { result, events } = await fetch(src, dst);
      expect(result.method).toBe('rsync');
      expect([result.files, result.bytes]).toEqual([oracle.result.files, oracle.result.bytes]);
      expect(result.files).toBe(files);
      const stopped = events.findIndex(
        (e) =>
          e.startsWith('debug The in-process copy stopped (') &&
          e.includes("'d0zz-null' is a device"),
      );
      expect(stopped, events.filter((e) => e.startsWith('debug')).join('\n')).toBeGreaterThan(0);
      // The copier's part (d0/) before the stop, rsync's (the rest) after; each file once.
      const before = events.slice(0, stopped).filter((e) => e.startsWith('change d0/'));
      expect(before.length).toBeGreaterThan(LIMIT / 3);
      const changes = events.filter((e) => e.startsWith('change ')).map((e) => e.slice(7));
      expect(new Set(changes).size).toBe(changes.length);
      expect(changes.filter((r) => r.endsWith('.dat'))).toHaveLength(files);
      expect(changes).toContain('d0/link');
      expect(byteSnapshot(dst)).toEqual(oracle.snap);
      expect(lstatSync(path.join(dst, 'd0zz-null')).rdev).toBe(
        lstatSync(path.join(src, 'd0zz-null')).rdev,
      );
    },
  );
});

describe('the copier with stopOnSpecial', () => {
  it.runIf(process.getuid?.() === 0)(
    'throws at a device, having put what it wrote in place; without it, skips it',
    async () => {
      const src = tempDir('src');
      await put(src, 'a/one.txt', 'one\n');
      await put(src, 'c/two.txt', 'two\n');
      expect(spawnSync('mknod', [path.join(src, 'b-null'), 'c', '1', '3']).status).toBe(0);
      const stopped = path.join(tempDir('dst'), 'out');
      await expect(
        copyTree(src, stopped, { overwrite: 'always', dryRun: false, stopOnSpecial: true }),
      ).rejects.toBeInstanceOf(SpecialFileStop);
      expect(Object.keys(byteSnapshot(stopped))).toEqual(['a', 'a/one.txt']);
      const skipped = path.join(tempDir('dst'), 'out');
      const out = await copyTree(src, skipped, { overwrite: 'always', dryRun: false });
      expect([out.files, out.skippedSpecial]).toEqual([2, 1]);
    },
  );
});

describe('isFresh', () => {
  it('a missing path or an empty directory; not a full one, a file or a symlink', async () => {
    const root = tempDir('fresh');
    expect(await isFresh(path.join(root, 'missing', 'deeper'))).toBe(true);
    await mkdir(path.join(root, 'empty'));
    expect(await isFresh(path.join(root, 'empty'))).toBe(true);
    await put(root, 'full/x', 'x');
    expect(await isFresh(path.join(root, 'full'))).toBe(false);
    expect(await isFresh(path.join(root, 'full', 'x'))).toBe(false);
    await link(root, 'to-empty', 'empty');
    expect(await isFresh(path.join(root, 'to-empty'))).toBe(false);
    // Under a file: not a new destination (rsync reports it).
    expect(await isFresh(path.join(root, 'full', 'x', 'below'))).toBe(false);
  });
});
