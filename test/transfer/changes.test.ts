/**
 * What each transport reports through `onChange`: rsync from its `--out-format` records (read
 * from its stdout file, or from the pipe where no file can be made), rsync over the real sshd,
 * and the built-in copier from its own record — the same entries, byte for byte, for names
 * rsync has to escape (a newline, a byte that is not UTF-8, a literal `\#123`); nothing on a
 * re-sync; what would be written in a dry run. And `max-size`'s count and bytes, alike.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { hashChanges } from '../../src/action/report/manifest.js';
import { ChangeLog } from '../../src/transfer/changes.js';
import {
  IN_PROCESS_BELOW_ENTRIES,
  type TransferRequest,
  transferJob,
} from '../../src/transfer/index.js';
import type { ChangedEntry } from '../../src/transfer/path-filter.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import { link, localSettings, put, sshdMissing, sshSettings } from '../support/transfer.js';

const sshd = inject('sshd');
afterAll(cleanTemps);

type Way =
  | 'rsync'
  | 'rsync, through a pipe'
  | 'rsync over ssh'
  | 'built-in copier'
  | 'in-process copy';
const WAYS: Way[] = [
  'rsync',
  'rsync, through a pipe',
  'rsync over ssh',
  'built-in copier',
  'in-process copy',
];

/** Byte strings, as the records carry them. */
const NON_UTF8 = 'caf\xe9.dat';
const ODD = ['new\nline.txt', 'lit\\#123.txt', 'tab\there.txt', 'sp ace/x.txt', NON_UTF8];

/**
 * The tree; `bytes`: with a name that is not UTF-8 (the copier of today reads names as text:
 * its rewrite on byte strings is another branch's).
 */
async function tree(bytes: boolean): Promise<string> {
  const src = tempDir('changes-src');
  await put(src, 'md.log', 'log\n', 1_700_000_000);
  await put(src, 'big.bin', 'b'.repeat(5000));
  await put(src, 'sub/big2.bin', 'c'.repeat(3000));
  for (const rel of bytes ? ODD : ODD.filter((n) => n !== NON_UTF8)) {
    const p = Buffer.from(path.join(src, rel), 'latin1');
    mkdirSync(path.dirname(p.toString('latin1')), { recursive: true });
    writeFileSync(p, 'x');
  }
  await link(src, 'latest', 'md.log');
  return src;
}

async function fetch(way: Way, src: string, dst: string, over: Partial<TransferRequest> = {}) {
  const log = new ChangeLog();
  const saved = process.env.TMPDIR;
  // No temporary file for rsync's stdout: it is read through the pipe.
  if (way === 'rsync, through a pipe') process.env.TMPDIR = path.join(src, 'no', 'such', 'dir');
  try {
    const ssh = way === 'rsync over ssh';
    const result = await transferJob({
      workDir: src,
      mainNode: ssh ? '127.0.0.1' : 'unused',
      local: !ssh,
      destination: dst,
      dryRun: false,
      onChange: log.add,
      ...over,
      settings: ssh
        ? sshSettings(sshd)
        : localSettings({
            forceBuiltin: way === 'built-in copier',
            inProcessBelowEntries: way === 'in-process copy' ? IN_PROCESS_BELOW_ENTRIES : 0,
          }),
    });
    return { result, changes: log.entries() };
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

const brief = (changes: ChangedEntry[]) => changes.map((e) => `${e.kind} ${e.rel} ${e.size}`);
const bytes = (way: Way) => way !== 'built-in copier';

describe.each(WAYS)('%s', (way) => {
  const skip = way === 'rsync over ssh' && sshdMissing(sshd);

  it.skipIf(skip)(
    'reports each file and symlink it writes, names exact; nothing on a re-sync',
    async () => {
      const src = await tree(bytes(way));
      const dst = tempDir('changes-dst');
      const { changes } = await fetch(way, src, dst, { exclude: ['*.bin'] });
      expect(brief(changes)).toEqual([
        ...(bytes(way) ? [`file ${NON_UTF8} 1`] : []),
        'symlink latest 6',
        'file lit\\#123.txt 1',
        'file md.log 4',
        'file new\nline.txt 1',
        'file sp ace/x.txt 1',
        'file tab\there.txt 1',
      ]);
      expect(changes.find((e) => e.rel === 'md.log')?.mtimeSec).toBe(1_700_000_000);
      expect((await fetch(way, src, dst, { exclude: ['*.bin'] })).changes).toEqual([]);
    },
  );

  it.skipIf(skip)('a dry run reports what it would write, and writes nothing', async () => {
    const src = await tree(bytes(way));
    const dst = tempDir('changes-dst');
    const { changes } = await fetch(way, src, dst, { dryRun: true, exclude: ['sub/', '*.bin'] });
    expect(changes.map((e) => e.rel)).toContain('md.log');
    expect(changes).toHaveLength(bytes(way) ? 7 : 6);
    expect(readdirSync(dst)).toEqual([]);
  });

  it.skipIf(skip)('max-size: the files left out and their bytes', async () => {
    const src = await tree(bytes(way));
    const dst = tempDir('changes-dst');
    const { result, changes } = await fetch(way, src, dst, { maxSize: 1024 });
    expect(result.overMaxSize).toMatchObject({ files: 2, bytes: 8000 });
    expect(result.overMaxSize?.names).toHaveLength(2);
    expect(changes.map((e) => e.rel)).not.toContain('big.bin');
    expect(existsSync(path.join(dst, 'big.bin'))).toBe(false);
    expect(existsSync(path.join(dst, 'sub'))).toBe(true);
  });
});

describe('the built-in copier, asked for SHA-256', () => {
  it('hashes a file it copies piece by piece as it copies it; a small one is left to the manifest', async () => {
    const src = tempDir('changes-src');
    const dst = tempDir('changes-dst');
    const big = Buffer.alloc(17 * 1024 * 1024, 3); // above the piecewise threshold
    await put(src, 'small.txt', 'small\n');
    await put(src, 'big.bin', big);
    await link(src, 'latest', 'small.txt');
    const { changes } = await fetch('built-in copier', src, dst, { sha256: true });
    const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
    expect(changes.map((e) => [e.rel, e.sha256])).toEqual([
      ['big.bin', sha(big)],
      ['latest', undefined],
      ['small.txt', undefined],
    ]);
    // The manifest hashes what the copier did not, from the destination.
    await hashChanges(changes, dst);
    expect(changes.map((e) => e.sha256)).toEqual([sha(big), undefined, sha('small\n')]);
    expect(readFileSync(path.join(dst, 'big.bin')).equals(big)).toBe(true);
  });
});

describe("the issue's wildcards in files, rsync and the built-in copier alike", () => {
  it("[!a]x is any byte but 'a', then x; an unterminated a[b matches nothing (and throws nothing)", async () => {
    const src = tempDir('changes-src');
    for (const n of ['!x', 'ax', 'bx', 'a[b', 'ab']) await put(src, n, n);
    for (const way of ['rsync', 'built-in copier'] as const) {
      const dst = tempDir('changes-dst');
      const { changes } = await fetch(way, src, dst, { files: ['[!a]x', 'a[b'] });
      expect(
        changes.map((e) => e.rel),
        way,
      ).toEqual(['!x', 'bx']);
    }
  });
});

describe('ChangeLog.retract and fetched', () => {
  it('drops a path and what is under it, not a sibling that merely starts alike; counts the files left', () => {
    const log = new ChangeLog();
    for (const rel of ['res', 'res/a.txt', 'res/deep/b.txt', 'res.txt', 'resx/c', 'z']) {
      log.add({ rel, kind: rel === 'z' ? 'symlink' : 'file', size: 10, mtimeSec: 0 });
    }
    log.retract('res');
    expect(log.entries().map((e) => e.rel)).toEqual(['res.txt', 'resx/c', 'z']);
    expect(log.fetched()).toEqual({ files: 2, bytes: 20 });
  });
});
