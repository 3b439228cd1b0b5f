/**
 * Local copies with real rsync and with the built-in copier (forceBuiltin): odd names,
 * symlinks copied as symlinks, symlinks in the destination never written through, newer
 * destination files with `overwrite: newer`/`always`; and the differential test that runs both
 * on the same trees and compares the results.
 */
import { randomBytes } from 'node:crypto';
import {
  chmod,
  lstat,
  lutimes,
  mkdir,
  readdir,
  readFile,
  readlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/exec/run.js';
import { transferJob } from '../../src/transfer/index.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import {
  fetchLocal,
  type LocalMethod,
  link,
  localSettings,
  names,
  ODD_NAMES,
  put,
  snapshot,
} from '../support/transfer.js';

afterAll(cleanTemps);

describe.each<LocalMethod>(['rsync', 'built-in copier', 'in-process copy'])(
  'local copy with %s',
  (method) => {
    it('odd names arrive intact', async () => {
      const src = tempDir('src');
      const dst = tempDir('dst');
      for (const [i, n] of ODD_NAMES.entries()) await put(src, `d ${n}/${n}`, `content ${i}`);
      const r = await fetchLocal(method, src, dst);
      expect(r.method).toBe(method);
      expect(await snapshot(dst)).toEqual(await snapshot(src));
      expect(r.files).toBe(ODD_NAMES.length);
      // Nothing was run by a shell.
      expect((await readdir(process.cwd())).includes('pwned')).toBe(false);
    });

    it('odd names selected through files', async () => {
      const src = tempDir('src');
      const dst = tempDir('dst');
      for (const n of ODD_NAMES) await put(src, n, n);
      await put(src, 'other.txt', 'other');
      const chosen = ODD_NAMES.filter(
        (n) => !n.startsWith('-') && !n.includes('\n') && !/[*?[]/.test(n),
      );
      await fetchLocal(method, src, dst, { files: chosen.map((n) => `./${n}`) });
      expect(await names(dst)).toEqual([...chosen].sort());
    });

    it('symlinks arrive as symlinks (relative, absolute, dangling, to a directory)', async () => {
      const src = tempDir('src');
      const dst = tempDir('dst');
      await put(src, 'a.txt', 'a');
      await put(src, 'dir/f', 'f');
      await link(src, 'rel', 'a.txt');
      await link(src, 'abs', '/etc/hostname');
      await link(src, 'dangling', 'nowhere/at all');
      await link(src, 'dirlink', 'dir');
      await fetchLocal(method, src, dst);
      for (const [n, t] of [
        ['rel', 'a.txt'],
        ['abs', '/etc/hostname'],
        ['dangling', 'nowhere/at all'],
        ['dirlink', 'dir'],
      ]) {
        expect((await lstat(path.join(dst, n as string))).isSymbolicLink()).toBe(true);
        expect(await readlink(path.join(dst, n as string))).toBe(t);
      }
    });

    it('a symlink in the destination pointing outside is never written through', async () => {
      const src = tempDir('src');
      const dst = tempDir('dst');
      const outside = tempDir('outside');
      await put(outside, 'a.txt', 'outside a');
      await put(src, 'a.txt', 'job a');
      await put(src, 'new.txt', 'job new');
      await put(src, 'sub/f.txt', 'job f');
      await put(src, 'sel/g.txt', 'job g');
      await link(dst, 'a.txt', path.join(outside, 'a.txt'));
      await link(dst, 'new.txt', path.join(outside, 'new.txt')); // dangling
      await link(dst, 'sub', outside);
      await link(dst, 'sel', outside);
      await fetchLocal(method, src, dst, { files: ['a.txt', 'new.txt', 'sub', 'sel/g.txt'] });
      expect(await names(outside)).toEqual(['a.txt']);
      expect(await readFile(path.join(outside, 'a.txt'), 'utf8')).toBe('outside a');
      for (const [n, c] of [
        ['a.txt', 'job a'],
        ['new.txt', 'job new'],
        ['sub/f.txt', 'job f'],
        ['sel/g.txt', 'job g'],
      ]) {
        expect((await lstat(path.join(dst, n as string))).isFile()).toBe(true);
        expect(await readFile(path.join(dst, n as string), 'utf8')).toBe(c);
      }
      expect((await lstat(path.join(dst, 'sub'))).isDirectory()).toBe(true);
      expect((await lstat(path.join(dst, 'sel'))).isDirectory()).toBe(true);
    });

    it('a destination file newer than the job copy is kept with newer, replaced with always', async () => {
      const src = tempDir('src');
      await put(src, 'result.dat', 'job version', 1_600_000_000);
      await put(src, 'older-here.dat', 'job newer version', 1_700_000_000);
      for (const overwrite of ['newer', 'always'] as const) {
        const dst = tempDir('dst');
        await put(dst, 'result.dat', 'edited by me', 1_700_000_000);
        await put(dst, 'older-here.dat', 'stale', 1_600_000_000);
        const r = await fetchLocal(method, src, dst, { settings: localSettings({ overwrite }) });
        expect(await readFile(path.join(dst, 'result.dat'), 'utf8')).toBe(
          overwrite === 'newer' ? 'edited by me' : 'job version',
        );
        expect(await readFile(path.join(dst, 'older-here.dat'), 'utf8')).toBe('job newer version');
        expect(r.files).toBe(overwrite === 'newer' ? 1 : 2);
      }
    });

    it('a destination inside the work dir is refused before anything runs', async () => {
      const src = path.join(tempDir('parent'), 'work');
      await put(src, 'a.txt', 'a');
      for (const dst of [path.join(src, 'out'), path.join(src, 'x/../out/deeper')]) {
        await expect(fetchLocal(method, src, dst)).rejects.toThrow(
          `Refusing destination '${dst}': it lies inside the job's working directory '${src}'.`,
        );
      }
      expect(await names(src)).toEqual(['a.txt']);
      // A sibling whose name merely starts like the work dir is fine.
      const r = await fetchLocal(method, src, `${src}-copy`);
      expect(r.files).toBe(1);
    });

    it('progress lines during a transfer', async () => {
      const src = tempDir('src');
      const dst = tempDir('dst');
      await put(src, 'big.bin', Buffer.alloc(64 * 1024 * 1024, 7));
      for (let i = 0; i < 40; i++) await put(src, `many/f${i}`, `f${i}`);
      const lines: string[] = [];
      await fetchLocal(method, src, dst, {
        settings: localSettings({ progressEveryMs: 0 }),
        onProgress: (l) => lines.push(l),
      });
      expect(lines.length).toBeGreaterThan(0);
      const shape =
        method === 'rsync' ? /^[\d,.]+ \d+% \S+\/s \d+:\d\d:\d\d/ : /^\d+ files, \d+ bytes copied$/;
      for (const l of lines) expect(l).toMatch(shape);
    });

    it('a dry run changes nothing and counts what it would copy', async () => {
      const src = tempDir('src');
      const dst = tempDir('dst');
      await put(src, 'a', '12345');
      await put(src, 'b/c', '123');
      const r = await fetchLocal(method, src, dst, { dryRun: true });
      expect(await names(dst)).toEqual([]);
      expect([r.files, r.bytes]).toEqual([2, 8]);
    });
  },
);

/** A directory outside every work dir, reached only through a symlink in the work dir. */
const OUTSIDE_SECRET_DIR = tempDir('secret');
await put(OUTSIDE_SECRET_DIR, 'secret.txt', 'not yours');

/** 255 bytes: the longest file name Linux allows. */
const LONG_ASCII = 'L'.repeat(255);
/** 254 bytes: 84 three-byte characters and two ASCII ones. */
const LONG_UTF8 = `${'日'.repeat(84)}xy`;

/** A tree with everything the two methods must agree on. */
async function richTree(src: string): Promise<void> {
  const t0 = 1_650_000_000;
  for (const [i, n] of ODD_NAMES.entries()) await put(src, n, `odd ${i}`, t0 + i);
  // Names at the length limit: the temporary name next to them must still fit.
  await put(src, LONG_ASCII, 'long', t0);
  await put(src, `sub/${LONG_UTF8}`, 'long utf-8', t0);
  await put(src, 'a.txt', 'a', t0);
  await put(src, 'x.gro', 'x'.repeat(1000), t0);
  await put(src, 'y.gro', 'y', t0);
  await put(src, 'sub/a.txt', 'sub a', t0);
  await put(src, 'sub/c.txt', 'sub c', t0);
  await put(src, 'sub/deeper/z.bin', Buffer.from([0, 1, 2, 255, 254]), t0);
  await put(src, 'newer-in-dest.txt', 'job', t0);
  await put(src, 'older-in-dest.txt', 'job, newer', t0 + 100);
  await put(src, 'same-time-other-size.txt', 'job content', t0);
  await put(src, 'replaces-link.txt', 'job', t0);
  await put(src, 'linkdir-becomes-dir/f', 'f', t0);
  await mkdir(path.join(src, 'empty/nested-empty'), { recursive: true });
  await link(src, 'rel-link', 'a.txt');
  await link(src, 'abs-link', '/etc/hostname');
  await link(src, 'dangling', 'nowhere');
  await link(src, 'sub/up', '../a.txt');
  await link(src, 'dirlink', 'linkdir-becomes-dir');
  await link(src, 'outside-link', OUTSIDE_SECRET_DIR);
  for (const d of ['sub/deeper', 'sub', 'empty/nested-empty', 'empty', 'linkdir-becomes-dir']) {
    await utimes(path.join(src, d), t0 + 5, t0 + 5);
  }
}

async function seedDestination(dst: string, outside: string): Promise<void> {
  const t0 = 1_650_000_000;
  await put(dst, 'newer-in-dest.txt', 'mine, edited later', t0 + 1000);
  await put(dst, 'older-in-dest.txt', 'stale', t0);
  await put(dst, 'same-time-other-size.txt', 'mine', t0);
  await put(dst, 'dest-only.txt', 'keep', t0);
  await link(dst, 'replaces-link.txt', path.join(outside, 'target.txt'));
  await link(dst, 'linkdir-becomes-dir', outside);
  // Older than the job's directory: replaced by it (a newer one is refused, copier-rsync tests).
  await lutimes(path.join(dst, 'linkdir-becomes-dir'), t0, t0);
}

describe('differential: rsync and the built-in copier on the same trees', () => {
  const cases: Array<{ name: string; files?: string[]; overwrite: 'newer' | 'always' }> = [
    { name: 'everything, overwrite newer', overwrite: 'newer' },
    { name: 'everything, overwrite always', overwrite: 'always' },
    {
      name: 'files selection',
      files: [
        'a.txt',
        'sub/c.txt',
        '*.gro',
        'sub/deeper',
        'empty',
        'rel-link',
        'missing',
        'nodir/x',
        ODD_NAMES[0] as string,
      ],
      overwrite: 'newer',
    },
    {
      name: 'nested wildcard selection',
      files: ['sub/*.txt', 'newer-in-dest.txt'],
      overwrite: 'always',
    },
    {
      name: 'selection through a symlinked directory (never followed)',
      files: ['outside-link/secret.txt', 'outside-link/*', 'dirlink/f'],
      overwrite: 'always',
    },
  ];
  it.each(cases)('$name', async ({ files, overwrite }) => {
    const src = tempDir('src');
    await richTree(src);
    const results: Record<string, unknown>[] = [];
    const snaps = [];
    const outside = tempDir('outside');
    await put(outside, 'target.txt', 'outside');
    for (const method of ['rsync', 'built-in copier'] as const) {
      const dst = tempDir('dst');
      await seedDestination(dst, outside);
      const r = await fetchLocal(method, src, dst, {
        files,
        settings: localSettings({ overwrite }),
      });
      const again = await fetchLocal(method, src, dst, {
        files,
        settings: localSettings({ overwrite }),
      });
      results.push({
        files: r.files,
        bytes: r.bytes,
        againFiles: again.files,
        againBytes: again.bytes,
      });
      snaps.push(await snapshot(dst, { dirTimes: true }));
      expect(await snapshot(outside)).toEqual({
        'target.txt': expect.objectContaining({ type: 'file' }),
      });
      expect(await readFile(path.join(outside, 'target.txt'), 'utf8')).toBe('outside');
    }
    // The destination root's own mtime is touched by the lock; everything below must agree.
    expect(snaps[1]).toEqual(snaps[0]);
    expect(results[1]).toEqual(results[0]);
    if (files?.[0]?.startsWith('outside-link')) expect(results[0]?.files).toBe(0);
    else expect(results[0]?.files).toBeGreaterThan(0);
    expect(results[0]).toMatchObject({ againFiles: 0, againBytes: 0 });
    for (const snap of snaps) {
      expect(Object.keys(snap).filter((n) => n.includes('secret'))).toEqual([]);
    }
  });
});

describe('a large file (the built-in copier copies it piece by piece)', () => {
  it('arrives as rsync copies it: content, mtime and permission bits; no temporary file left', async () => {
    const src = tempDir('src');
    // Over the copier's piecewise threshold (16 MiB), not a multiple of its piece size.
    const big = randomBytes(17 * 1024 * 1024 + 12345);
    await mkdir(src, { recursive: true });
    await writeFile(path.join(src, 'big.bin'), big);
    await chmod(path.join(src, 'big.bin'), 0o640);
    await utimes(
      path.join(src, 'big.bin'),
      new Date('2026-01-02T03:04:05Z'),
      new Date('2026-01-02T03:04:05Z'),
    );
    const seen = [];
    for (const method of ['rsync', 'built-in copier'] as const) {
      const dst = tempDir('dst');
      const r = await fetchLocal(method, src, dst);
      expect(r.files).toBe(1);
      expect(await names(dst)).toEqual(['big.bin']);
      expect((await readFile(path.join(dst, 'big.bin'))).equals(big)).toBe(true);
      const st = await lstat(path.join(dst, 'big.bin'));
      seen.push({ mode: st.mode & 0o7777, mtime: Math.floor(st.mtimeMs / 1000) });
    }
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[0]).toEqual({ mode: 0o640, mtime: Date.parse('2026-01-02T03:04:05Z') / 1000 });
  });
});

describe('without rsync on PATH', () => {
  const noRsync = () => ({ ...process.env, PATH: tempDir('empty-path') });

  it('a local copy falls back to the built-in copier', async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    await put(src, 'sub/a.txt', 'a');
    const r = await transferJob({
      workDir: src,
      mainNode: 'unused',
      local: true,
      destination: dst,
      dryRun: false,
      settings: localSettings({ env: noRsync() }),
    });
    expect(r).toMatchObject({ method: 'built-in copier', files: 1, bytes: 1, attempts: 1 });
    expect(await readFile(path.join(dst, 'sub/a.txt'), 'utf8')).toBe('a');
  });

  it('a fetch over ssh says that rsync is missing here', async () => {
    const dst = tempDir('dst');
    const err = await transferJob({
      workDir: '/work/job',
      mainNode: 'node1',
      local: false,
      destination: dst,
      dryRun: false,
      settings: localSettings({ env: noRsync(), retries: 2 }),
    }).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `Could not rsync files between 'node1:/work/job' and '${dst}': rsync is not installed here.`,
    );
  });
});

describe('special files (FIFO)', () => {
  it('rsync -D recreates them, and so does the built-in copier', async () => {
    const src = tempDir('src');
    await put(src, 'a.txt', 'a');
    const made = await runCommand(['mkfifo', path.join(src, 'pipe')], { timeoutMs: 10_000 });
    expect(made.code).toBe(0);
    const viaRsync = tempDir('dst');
    await fetchLocal('rsync', src, viaRsync);
    expect((await lstat(path.join(viaRsync, 'pipe'))).isFIFO()).toBe(true);
    const viaCopier = tempDir('dst');
    const messages: string[] = [];
    const r = await fetchLocal('built-in copier', src, viaCopier, {
      onMessage: (m) => messages.push(m),
    });
    expect(r.files).toBe(1);
    expect(await names(viaCopier)).toEqual(['a.txt', 'pipe']);
    expect((await lstat(path.join(viaCopier, 'pipe'))).isFIFO()).toBe(true);
    expect(messages).toEqual([]);
  });
});

function restoreTmpdir(saved: string | undefined): void {
  if (saved === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved;
}

describe("rsync's stdout", () => {
  it('goes to a private temporary file that is removed; counts and progress come from it', async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    const tmp = tempDir('tmp');
    await put(src, 'big.bin', Buffer.alloc(64 * 1024 * 1024, 7));
    for (let i = 0; i < 300; i++) await put(src, `many/f${i}`, `f${i}`);
    const lines: string[] = [];
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    let seen: string[] = [];
    const watch = setInterval(() => {
      readdir(tmp).then((n) => {
        if (n.length) seen = n;
      });
    }, 5);
    try {
      const r = await fetchLocal('rsync', src, dst, {
        settings: localSettings({ progressEveryMs: 0 }),
        onProgress: (l) => lines.push(l),
      });
      expect([r.files, r.bytes]).toEqual([301, 64 * 1024 * 1024 + 1090]);
    } finally {
      clearInterval(watch);
      restoreTmpdir(saved);
    }
    expect(seen.some((n) => n.startsWith('qq-sync-rsync-'))).toBe(true);
    expect(await readdir(tmp)).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
    // Never the same line twice in a row.
    expect(lines.filter((l, i) => l === lines[i - 1])).toEqual([]);
  });

  it('goes through a pipe where no temporary file can be made: the same counts', async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    await put(src, 'a.txt', '12345');
    await put(src, 'sub/b.txt', '123');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = path.join(tempDir('gone'), 'does-not-exist');
    try {
      const r = await fetchLocal('rsync', src, dst);
      expect([r.files, r.bytes]).toEqual([2, 8]);
    } finally {
      restoreTmpdir(saved);
    }
    expect(await readFile(path.join(dst, 'sub', 'b.txt'), 'utf8')).toBe('123');
  });
});
