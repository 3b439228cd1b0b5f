/**
 * rsync runs with its backup directory (`--backup`, type-change.ts) only where a directory of
 * the job can replace something of the user's: a destination that is empty (or not there) when
 * the lock is taken holds nothing to displace, so rsync runs without it (it costs rsync per
 * file). Any entry at all — one file, a hidden one, an empty directory, through a symlinked
 * destination — keeps the guard: a newer file alone in the destination where the job has a
 * directory is still kept and refused, locally and over the real sshd.
 */
import { mkdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { TransferError, transferJob } from '../../src/transfer/index.js';
import { checkJob, type TransferRequest, withOwnDir } from '../../src/transfer/job.js';
import { withDestinationLock } from '../../src/transfer/lock/index.js';
import { runParts } from '../../src/transfer/plan/index.js';
import { nothingToDisplace, settleRsync } from '../../src/transfer/rsync/settle.js';
import { rsyncTransport } from '../../src/transfer/rsync/transport.js';
import { displacedName } from '../../src/transfer/type-change.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import { localSettings, put, sshdMissing, sshSettings } from '../support/transfer.js';

const sshd = inject('sshd');
afterAll(cleanTemps);

const T0 = 1_700_000_000;
const remotes = ['locally', ...(sshdMissing(sshd) ? [] : ['over ssh'])];

function request(src: string, dst: string, ssh: boolean): TransferRequest {
  return {
    workDir: src,
    mainNode: ssh ? '127.0.0.1' : 'unused',
    local: !ssh,
    destination: dst,
    dryRun: false,
    settings: ssh
      ? sshSettings(sshd, { overwrite: 'newer' })
      : localSettings({ overwrite: 'newer' }),
  };
}

/** The job's tree: a directory `x` (older than the user's file of that name) and a file. */
async function jobTree(src: string): Promise<void> {
  await put(src, 'x/inside.txt', 'job\n', T0);
  await put(src, 'plain.txt', 'plain\n', T0);
  await utimes(path.join(src, 'x'), T0 + 5, T0 + 5);
}

/**
 * One fetch with overwrite: newer through the rsync transport's settle step, under the real
 * lock, with real rsync; whether rsync was given its backup directory.
 */
async function backedUp(src: string, dst: string, ssh: boolean): Promise<boolean | undefined> {
  const job = checkJob(request(src, dst, ssh), Date.now());
  let backup: boolean | undefined;
  const transport = rsyncTransport(undefined, ssh);
  await withDestinationLock(
    dst,
    (lock) =>
      settleRsync(
        lock,
        withOwnDir(job, { name: displacedName(lock.token), backup: false }),
        (j, prepare) => {
          backup = j.ownDir?.backup;
          return runParts(transport, j, prepare);
        },
      ),
    { timeoutMs: 60_000 },
  );
  return backup;
}

describe('nothingToDisplace', () => {
  it('true for a destination not there or empty (also through a symlink); false for any entry, a file, or a symlink to a non-empty directory', async () => {
    const base = tempDir('displace');
    expect(await nothingToDisplace(path.join(base, 'absent'))).toBe(true);
    await mkdir(path.join(base, 'empty'));
    expect(await nothingToDisplace(path.join(base, 'empty'))).toBe(true);
    await symlink('empty', path.join(base, 'link-empty'));
    expect(await nothingToDisplace(path.join(base, 'link-empty'))).toBe(true);
    await put(base, 'hidden/.x', 'mine\n', T0);
    expect(await nothingToDisplace(path.join(base, 'hidden'))).toBe(false);
    await mkdir(path.join(base, 'subdir/d'), { recursive: true });
    expect(await nothingToDisplace(path.join(base, 'subdir'))).toBe(false);
    await symlink('hidden', path.join(base, 'link-full'));
    expect(await nothingToDisplace(path.join(base, 'link-full'))).toBe(false);
    await writeFile(path.join(base, 'file'), 'a file\n');
    expect(await nothingToDisplace(path.join(base, 'file'))).toBe(false);
  });
});

describe.each(remotes)('rsync %s', (where) => {
  const ssh = where === 'over ssh';
  const how = ` ${where}`;

  it(`an empty or absent destination: rsync runs without --backup, everything fetched${how}`, async () => {
    const src = tempDir('src');
    await jobTree(src);
    for (const make of [true, false]) {
      const dst = path.join(tempDir('dst'), 'out');
      if (make) await mkdir(dst);
      expect(await backedUp(src, dst, ssh)).toBe(false);
      expect(await readFile(path.join(dst, 'x/inside.txt'), 'utf8')).toBe('job\n');
      expect(await readFile(path.join(dst, 'plain.txt'), 'utf8')).toBe('plain\n');
    }
  });

  it(`a destination with any entry (an empty directory, a hidden file): rsync runs with --backup${how}`, async () => {
    const src = tempDir('src');
    await jobTree(src);
    const dirOnly = tempDir('dst');
    await mkdir(path.join(dirOnly, 'empty'));
    expect(await backedUp(src, dirOnly, ssh)).toBe(true);
    const hidden = tempDir('dst');
    await put(hidden, '.keep', '', T0);
    expect(await backedUp(src, hidden, ssh)).toBe(true);
  });

  it(`a newer file alone in the destination where the job has a directory: kept and refused${how}`, async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    await jobTree(src);
    await put(dst, 'x', 'mine, newer\n', T0 + 1000);
    const err = await transferJob(request(src, dst, ssh)).catch((e: Error) => e);
    expect(err).toBeInstanceOf(TransferError);
    expect((err as Error).message).toContain(
      "'x' in the destination is a file newer than the job's directory 'x/': kept",
    );
    expect(await readFile(path.join(dst, 'x'), 'utf8')).toBe('mine, newer\n');
    expect(await readFile(path.join(dst, 'plain.txt'), 'utf8')).toBe('plain\n');
  });
});
