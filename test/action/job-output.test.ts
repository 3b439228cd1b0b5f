/**
 * The reader of a job's own stdout/stderr (src/jobs/job-output.ts), here and over ssh to the
 * real sshd on loopback: the exact bytes of a regular file, and nothing of a file outside the
 * job reached through a symlink (a fake key), a `..` name, or a FIFO (which must not hang).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  type JobFileRead,
  type ReadRange,
  readJobFileHere,
  readJobFileOver,
} from '../../src/jobs/job-output.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import { link, put, sshdMissing, sshSettings } from '../support/transfer.js';

const sshd = inject('sshd');
afterAll(cleanTemps);

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nfake-key-material\n';

/** A job dir, and beside it (outside the job) a secret the job's links point at. */
async function tree() {
  const base = tempDir('job-output');
  chmodSync(base, 0o755);
  const job = path.join(base, 'job');
  await put(base, 'secret/id_ed25519', KEY);
  await put(job, 'ok.out', Buffer.from([...Array(256).keys(), ...Array(256).keys()]));
  await link(job, 'key.out', path.join(base, 'secret', 'id_ed25519'));
  await link(job, 'rel.out', '../secret/id_ed25519');
  await link(job, 'sub', path.join(base, 'secret'));
  await put(job, 'real/inner.err', 'inner\n');
  execFileSync('mkfifo', [path.join(job, 'fifo.err')]);
  // The sshd's user reads the tree over ssh.
  execFileSync('chmod', ['-R', 'a+rX', base]);
  return { base, job };
}

type Reader = (dir: string, name: string, range: ReadRange) => Promise<JobFileRead>;

function cases(read: Reader) {
  it('reads the exact bytes of a regular file from an offset, or its tail', async () => {
    const { job } = await tree();
    const all = Buffer.from([...Array(256).keys(), ...Array(256).keys()]);
    const from = await read(job, 'ok.out', { offset: 100, max: 1000 });
    expect(from).toMatchObject({ ok: true, size: 512, start: 100 });
    expect(from.ok && from.bytes).toEqual(all.subarray(100));
    const tail = await read(job, 'ok.out', { tail: true, max: 10 });
    expect(tail.ok && tail.bytes).toEqual(all.subarray(502));
    expect(tail).toMatchObject({ start: 502 });
    const past = await read(job, 'ok.out', { offset: 512, max: 10 });
    expect(past.ok && past.bytes.length).toBe(0);
    expect(await read(job, 'real/inner.err', { offset: 0, max: 100 })).toMatchObject({ ok: true });
    expect(await read(job, 'missing.out', { offset: 0, max: 10 })).toMatchObject({
      ok: false,
      missing: true,
    });
  });

  it('never reads a file outside the job: a symlink (absolute, relative, on the path) or ..', async () => {
    const { job } = await tree();
    for (const name of ['key.out', 'rel.out', 'sub/id_ed25519', '../secret/id_ed25519']) {
      const r = await read(job, name, { offset: 0, max: 4096 });
      expect(r, name).toMatchObject({ ok: false, missing: false });
      expect(JSON.stringify(r)).not.toContain('fake-key-material');
    }
    expect(await read(job, '/etc/passwd', { offset: 0, max: 10 })).toMatchObject({ ok: false });
  });

  it('refuses a FIFO at once (no writer: it would block a plain open)', async () => {
    const { job } = await tree();
    const started = Date.now();
    const r = await read(job, 'fifo.err', { tail: true, max: 4096 });
    expect(r).toMatchObject({ ok: false, missing: false });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
}

describe('here', () => {
  cases(readJobFileHere);
});

describe.skipIf(sshdMissing(sshd))('over ssh', () => {
  cases((dir, name, range) => readJobFileOver('127.0.0.1', dir, name, range, sshSettings(sshd)));
});
