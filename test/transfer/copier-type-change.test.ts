/**
 * A name that changes type: a file or symlink in the destination where the job now has a
 * directory. With overwrite: newer, one newer than the job's directory is kept and refused by
 * name (the rest fetched, the job failed); an older one is replaced, as rsync replaces it;
 * overwrite: always replaces it (qq's behaviour). Locally with rsync, with the built-in copier,
 * and with rsync over the real sshd (rsync's --backup-dir, then put back: type-change.ts).
 */
import { realpathSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  IN_PROCESS_BELOW_ENTRIES,
  TransferError,
  type TransferRequest,
  transferJob,
} from '../../src/transfer/index.js';
import { lockPathOf } from '../../src/transfer/lock/index.js';
import { DISPLACED_PREFIX, KEPT_PREFIX } from '../../src/transfer/type-change.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import { link, localSettings, put, sshdMissing, sshSettings } from '../support/transfer.js';

const sshd = inject('sshd');
afterAll(cleanTemps);

/** Nothing of the action's own is left in the destination. */
async function noneOfOurs(dst: string): Promise<void> {
  const ours = (await readdir(dst)).filter(
    (n) => n.startsWith(DISPLACED_PREFIX) || n.startsWith(KEPT_PREFIX),
  );
  expect(ours).toEqual([]);
}

const T0 = 1_700_000_000;
/** `odd-\xff`: not UTF-8; put back byte for byte. */
const ODD = Buffer.from([0x6f, 0x64, 0x64, 0x2d, 0xff]);

type Method = 'rsync' | 'built-in copier' | 'in-process copy' | 'rsync over ssh';
/** 'in-process copy': the copier meets the type change and leaves the job to rsync. */
const methods: Method[] = ['rsync', 'built-in copier', 'in-process copy'];
if (!sshdMissing(sshd)) methods.push('rsync over ssh');

function fetch(method: Method, src: string, dst: string, overwrite: 'newer' | 'always') {
  const ssh = method === 'rsync over ssh';
  const req: TransferRequest = {
    workDir: src,
    mainNode: ssh ? '127.0.0.1' : 'unused',
    local: !ssh,
    destination: dst,
    dryRun: false,
    settings: ssh
      ? sshSettings(sshd, { overwrite })
      : localSettings({
          overwrite,
          forceBuiltin: method === 'built-in copier',
          inProcessBelowEntries: method === 'in-process copy' ? IN_PROCESS_BELOW_ENTRIES : 0,
        }),
  };
  return transferJob(req);
}

async function jobTree(src: string): Promise<void> {
  for (const d of ['newer', 'older', 'link-newer', 'deep/er']) {
    await put(src, `${d}/inside.txt`, `${d}\n`, T0);
  }
  await mkdir(at(src));
  await writeFile(Buffer.concat([at(src), Buffer.from('/x')]), 'x');
  await put(src, 'plain.txt', 'plain\n', T0);
  for (const d of ['newer', 'older', 'link-newer', 'deep/er', 'deep']) {
    await utimes(path.join(src, d), T0 + 5, T0 + 5);
  }
  await utimes(at(src), T0 + 5, T0 + 5);
}

/** The non-UTF-8 name under `root`, as bytes. */
function at(root: string): Buffer {
  return Buffer.concat([Buffer.from(`${root}/`), ODD]);
}

async function seed(dst: string): Promise<void> {
  await put(dst, 'newer', 'mine, newer\n', T0 + 1000);
  await put(dst, 'older', 'mine, older\n', T0 - 1000);
  await link(dst, 'link-newer', 'mine');
  await put(dst, 'deep/er', 'mine, nested\n', T0 + 1000);
  await writeFile(at(dst), 'mine, odd\n');
}

describe.each(methods)('%s', (method) => {
  it('overwrite: newer keeps a newer file or symlink where the job has a directory, names it, fetches the rest', async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    await jobTree(src);
    await seed(dst);
    const err = await fetch(method, src, dst, 'newer').catch((e: Error) => e);
    expect(err).toBeInstanceOf(TransferError);
    expect((err as TransferError).transient).toBe(false);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^Could not rsync files between '.*' and '.*': /);
    for (const [name, kind] of [
      ['newer', 'file'],
      ['link-newer', 'symlink'],
      ['deep/er', 'file'],
    ]) {
      expect(msg).toContain(
        `'${name}' in the destination is a ${kind} newer than the job's directory '${name}/': kept, and that directory not fetched (rename or remove the ${kind} to fetch it, or use overwrite: always)`,
      );
    }
    expect(msg).toContain(`'odd-\ufffd' in the destination is a file newer`);
    expect(msg).not.toContain("'older'");
    // Kept as they were.
    expect(await readFile(path.join(dst, 'newer'), 'utf8')).toBe('mine, newer\n');
    expect((await lstat(path.join(dst, 'newer'))).mtimeMs).toBe((T0 + 1000) * 1000);
    expect(await readlink(path.join(dst, 'link-newer'))).toBe('mine');
    expect(await readFile(path.join(dst, 'deep/er'), 'utf8')).toBe('mine, nested\n');
    // The rest arrived: the older file made room for the job's directory, as rsync does.
    expect(await readFile(path.join(dst, 'older/inside.txt'), 'utf8')).toBe('older\n');
    expect(await readFile(path.join(dst, 'plain.txt'), 'utf8')).toBe('plain\n');
    expect(await readFile(at(dst), 'utf8')).toBe('mine, odd\n');
    await noneOfOurs(dst);
  });

  it('overwrite: always replaces them (qq: the job copy wins)', async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    await jobTree(src);
    await seed(dst);
    await fetch(method, src, dst, 'always');
    for (const d of ['newer', 'older', 'link-newer', 'deep/er']) {
      expect(await readFile(path.join(dst, d, 'inside.txt'), 'utf8')).toBe(`${d}\n`);
    }
    expect(await readFile(Buffer.concat([at(dst), Buffer.from('/x')]), 'utf8')).toBe('x');
    await noneOfOurs(dst);
  });

  it('a re-sync with nothing new, after a file rsync updated: nothing left aside', async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    await put(src, 'a.txt', 'new\n', T0 + 10);
    await put(dst, 'a.txt', 'old\n', T0);
    await fetch(method, src, dst, 'newer');
    expect(await readFile(path.join(dst, 'a.txt'), 'utf8')).toBe('new\n');
    await fetch(method, src, dst, 'newer');
    await noneOfOurs(dst);
  });

  it('what a killed run left aside is put back (or, replaced since, removed) by the next run, with either overwrite; a .qq-sync-displaced of the user is theirs', async () => {
    for (const overwrite of ['newer', 'always'] as const) {
      const src = tempDir('src');
      const dst = tempDir('dst');
      await put(src, 'a.txt', 'job\n', T0);
      // As a SIGKILLed rsync leaves it: its lock (a process gone), `mine.txt` moved aside into
      // the backup directory its token names, `a.txt`'s old version too.
      const token = '0123456789abcdef';
      const lock = lockPathOf(realpathSync(dst));
      const owner = { pid: 999_999_999, host: hostname(), token, started: Date.now() - 1000 };
      await mkdir(lock);
      await writeFile(path.join(lock, 'owner'), JSON.stringify(owner));
      const dead = `${DISPLACED_PREFIX}${token}`;
      await put(dst, `${dead}/sub/mine.txt`, 'mine\n', T0);
      await put(dst, `${dead}/a.txt`, 'old\n', T0 - 10);
      await put(dst, 'a.txt', 'job\n', T0);
      await mkdir(path.join(dst, 'sub'));
      // The user's own folder of the old reserved name: kept as it is.
      await put(dst, '.qq-sync-displaced/res.csv', 'user\n', T0);
      await fetch(method, src, dst, overwrite);
      expect(await readFile(path.join(dst, 'sub/mine.txt'), 'utf8')).toBe('mine\n');
      expect(await readFile(path.join(dst, 'a.txt'), 'utf8')).toBe('job\n');
      expect(await readFile(path.join(dst, '.qq-sync-displaced/res.csv'), 'utf8')).toBe('user\n');
      await expect(lstat(lock)).rejects.toThrow(/ENOENT/);
      await noneOfOurs(dst);
    }
  });
});

describe('a dry run over a type change', () => {
  it('in-process: the same counts and the same entries as rsync, each named once', async () => {
    const seen: Array<{ result: unknown; rels: string[] }> = [];
    for (const inProcess of [false, true]) {
      const src = tempDir('src');
      const dst = tempDir('dst');
      await jobTree(src);
      await seed(dst);
      const rels: string[] = [];
      const result = await transferJob({
        workDir: src,
        mainNode: 'unused',
        local: true,
        destination: dst,
        dryRun: true,
        onChange: (e) => rels.push(e.rel),
        settings: localSettings({
          overwrite: 'newer',
          inProcessBelowEntries: inProcess ? IN_PROCESS_BELOW_ENTRIES : 0,
        }),
      }).then(
        (r) => ({ files: r.files, bytes: r.bytes }),
        (e: Error) => e.message.replaceAll(src, 'SRC').replaceAll(dst, 'DST'),
      );
      seen.push({ result, rels: rels.sort() });
    }
    expect(seen[1]).toEqual(seen[0]);
    expect(new Set(seen[1]?.rels).size).toBe(seen[1]?.rels.length);
  });
});
