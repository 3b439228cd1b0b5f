/**
 * Local faults, with real rsync and the built-in copier: a read-only destination (a read-only
 * tmpfs), a destination that fills up (a 1 MiB tmpfs), rsync SIGKILLed mid-transfer and run
 * again, two transfers into one destination at once (the lock). Mounting needs root; without
 * it these tests are skipped with the reason (a failure when CI=true).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, realpathSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/exec/run.js';
import { TransferError } from '../../src/transfer/index.js';
import { lockPathOf } from '../../src/transfer/lock/index.js';
import { bigFile } from '../support/big-file.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import {
  fetchLocal,
  type LocalMethod,
  localSettings,
  names,
  put,
  snapshot,
} from '../support/transfer.js';

const mounts: string[] = [];

afterAll(async () => {
  for (const m of mounts.splice(0)) await runCommand(['umount', '-l', m], { timeoutMs: 10_000 });
  cleanTemps();
});

async function tmpfs(options: string): Promise<string> {
  const dir = tempDir('mnt');
  const r = await runCommand(['mount', '-t', 'tmpfs', '-o', options, 'tmpfs', dir], {
    timeoutMs: 10_000,
  });
  if (r.code !== 0) throw new Error(`mount failed: ${r.stderr.trim()}`);
  mounts.push(dir);
  return dir;
}

const mountSkip = await (async () => {
  if (process.getuid?.() !== 0) return 'not root: cannot mount a tmpfs';
  try {
    await tmpfs('size=64k');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
})();
if (mountSkip) {
  const msg = `!!! read-only / full destination tests SKIPPED: ${mountSkip}`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(msg);
}

async function md5(file: string): Promise<string> {
  const h = createHash('md5');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

describe.skipIf(mountSkip !== undefined).each<LocalMethod>(['rsync', 'built-in copier'])(
  '%s',
  (method) => {
    it('a read-only destination: a clear error, not retried', async () => {
      const src = tempDir('src');
      await put(src, 'a.txt', 'a');
      const ro = await tmpfs('ro,size=64k');
      for (const dst of [ro, path.join(ro, 'not-yet')]) {
        const messages: string[] = [];
        const err = await fetchLocal(method, src, dst, {
          settings: localSettings({ retries: 3 }),
          onMessage: (m) => messages.push(m),
        }).catch((e: Error) => e);
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).toContain(`'${dst}'`);
        expect((err as Error).message).toMatch(/read-only file system/i);
        expect(messages).toEqual([]);
      }
    });

    it('a destination that fills up: a clear error and no half-written file under its final name', async () => {
      const src = tempDir('src');
      await put(src, 'small.txt', 'small');
      await bigFile(path.join(src, 'big.bin'), 3);
      // Many files too: more than the copier runs at once are still queued when the disk fills.
      for (let i = 0; i < 100; i++) await put(src, `many/m${i}`, Buffer.alloc(20_000, i));
      const dst = await tmpfs('size=1m');
      const err = await fetchLocal(method, src, dst, {
        settings: localSettings({ retries: 2 }),
      }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(TransferError);
      expect((err as Error).message).toMatch(/^Could not rsync files between '.*' and '.*': /);
      expect((err as Error).message).toMatch(/No space left on device/i);
      expect((err as TransferError).transient).toBe(false);
      // Whatever is left under a final name is whole; the big file is not there at all.
      const left = await snapshot(dst);
      expect(left['big.bin']).toBeUndefined();
      for (const [n, e] of Object.entries(left)) {
        if (n === 'small.txt')
          expect(Buffer.from(e.content ?? '', 'base64').toString()).toBe('small');
        else if (n === 'many') expect(e.type).toBe('dir');
        else {
          // temporary files removed too; what stands under a final name is whole
          expect(n).toMatch(/^many\/m\d+$/);
          expect(Buffer.from(e.content ?? '', 'base64')).toEqual(
            Buffer.alloc(20_000, Number(n.slice(6))),
          );
        }
      }
    });
  },
);

describe('rsync killed mid-transfer', () => {
  /** rsync processes whose argv holds `needle`, with their process group. */
  async function rsyncGroups(needle: string): Promise<number[]> {
    const groups = new Set<number>();
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
        if (argv[0] !== 'rsync' || !argv.includes(needle)) continue;
        const statText = await readFile(`/proc/${pid}/stat`, 'utf8');
        const pgid = Number(statText.slice(statText.lastIndexOf(')') + 2).split(' ')[2]);
        groups.add(pgid);
      } catch {}
    }
    return [...groups];
  }

  it('leaves no partial file under its final name, and a re-run completes', async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    await bigFile(path.join(src, 'big.bin'), 384);
    await put(src, 'small.txt', 'small');
    const running = fetchLocal('rsync', src, dst).catch((e: Error) => e);
    // Kill rsync's whole process group once its temporary file is being written.
    let killed = false;
    for (let i = 0; i < 2000 && !killed; i++) {
      const temp = (await readdir(dst)).find((n) => n.startsWith('.big.bin.'));
      if (temp && (await stat(path.join(dst, temp)).catch(() => undefined))?.size) {
        for (const g of await rsyncGroups(dst)) {
          process.kill(-g, 'SIGKILL');
          killed = true;
        }
      }
      if (!killed) await new Promise((r) => setTimeout(r, 5));
    }
    expect(killed).toBe(true);
    const err = await running;
    expect(err).toBeInstanceOf(TransferError);
    expect((err as Error).message).toMatch(
      /^Could not rsync files between .*rsync was killed by SIGKILL/s,
    );
    expect(await readdir(dst)).not.toContain('big.bin');
    // The lock was released by the failed run; a re-run completes the copy.
    const r = await fetchLocal('rsync', src, dst);
    expect(r.files).toBeGreaterThanOrEqual(1);
    expect((await stat(path.join(dst, 'big.bin'))).size).toBe(384 * 1024 * 1024);
    expect(await md5(path.join(dst, 'big.bin'))).toBe(await md5(path.join(src, 'big.bin')));
    expect(await readFile(path.join(dst, 'small.txt'), 'utf8')).toBe('small');
    // What a SIGKILL leaves: rsync's hidden temporary file (never under a final name).
    const leftovers = (await readdir(dst)).filter((n) => !['big.bin', 'small.txt'].includes(n));
    for (const n of leftovers) expect(n).toMatch(/^\.big\.bin\.[A-Za-z0-9]{6}$/);
  });
});

describe.each<LocalMethod>(['rsync', 'built-in copier', 'in-process copy'])(
  'two transfers into one destination at once (%s)',
  (method) => {
    it('both finish, one waits for the other, and the result is whole', async () => {
      const a = tempDir('srcA');
      const b = tempDir('srcB');
      for (let i = 0; i < 150; i++) {
        await put(a, `f${i}.txt`, 'A'.repeat(3000), 1_600_000_000);
        await put(b, `f${i}.txt`, 'B'.repeat(5000), 1_600_000_000);
      }
      await put(a, 'sub/only-a', 'a');
      await put(b, 'sub/only-b', 'b');
      const dst = tempDir('dst');
      const messages: string[][] = [[], []];
      const results = await Promise.all(
        [a, b].map((src, i) =>
          fetchLocal(method, src, dst, { onMessage: (m) => messages[i]?.push(m) }),
        ),
      );
      expect(results.map((r) => r.files).sort((x, y) => x - y)).toEqual([151, 151]);
      const waited = messages.filter((m) =>
        m.some((t) => t.startsWith('Waiting for another sync')),
      );
      expect(waited).toHaveLength(1);
      // The one that waited ran second: every shared file is whole and from it.
      const second = messages[0]?.length ? 'A' : 'B';
      const contents = new Set<string>();
      for (let i = 0; i < 150; i++)
        contents.add(await readFile(path.join(dst, `f${i}.txt`), 'utf8'));
      expect([...contents]).toEqual([second.repeat(second === 'A' ? 3000 : 5000)]);
      expect(await names(dst)).toContain('sub/only-a');
      expect(await names(dst)).toContain('sub/only-b');
      expect(existsSync(lockPathOf(realpathSync(dst)))).toBe(false);
    });
  },
);
