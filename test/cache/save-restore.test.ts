/**
 * The real @actions/cache client against the cache service on loopback (test infrastructure:
 * Azurite for the blobs plus a stand-in for the three Twirp calls, see
 * test/support/cache-service/), started by test/setup/cache.global.ts.
 */
import { mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  cacheKeyPrefix,
  restoreJobFiles,
  saveJobFiles,
} from '../../src/action/cache/actions-cache.js';
import { tempDir } from '../support/temp.js';
import { enterRunner, leaveRunner, readTree, writeTree } from './helpers.js';

const provided = inject('cache');
if (!provided.env) {
  console.warn(`\n!!! SKIPPING test/cache/save-restore.test.ts: ${provided.skipReason}\n`);
}
const serviceEnv = provided.env ?? {};

afterEach(leaveRunner);

/** A fresh runner workspace (also the current directory) talking to the cache service. */
async function runner(): Promise<string> {
  const ws = await realpath(tempDir('ws'));
  await enterRunner(serviceEnv, ws);
  return ws;
}

const logLines: string[] = [];
const log = (m: string) => logLines.push(m);

describe.skipIf(!provided.env)('save and restore through the cache service', () => {
  it('a second run (another workspace, another run id) gets back exactly the files', async () => {
    const ws1 = await runner();
    const dest1 = path.join(ws1, 'results', 'job1');
    await writeTree(dest1, {
      'job.out': 'line 1\nline 2\n',
      'sub/deeper/data.bin': Buffer.from([0, 1, 2, 255, 254, 10, 13]),
      'empty.txt': '',
      'name with spaces.txt': 'spaces',
    });
    const before = await readTree(dest1);

    const saved = await saveJobFiles({
      jobId: '4242.pbs-m1.example.org',
      paths: ['results/job1'],
      runId: '1001',
      runAttempt: '1',
      log,
    });
    expect(saved).toEqual({
      key: 'qq-sync-4242.pbs_2Dm1.example.org-1001-1',
      paths: ['results/job1'],
    });
    expect(logLines.at(-1)).toContain('Saved the files of job 4242.pbs-m1.example.org');

    // Second run: a new workspace where the job's files do not exist.
    const ws2 = await runner();
    const restored = await restoreJobFiles({
      jobId: '4242.pbs-m1.example.org',
      paths: ['results/job1'],
      log,
    });
    expect(restored).toEqual({ hit: true, key: 'qq-sync-4242.pbs_2Dm1.example.org-1001-1' });
    expect(await readTree(path.join(ws2, 'results', 'job1'))).toEqual(before);
  });

  it('restores into an existing empty destination given as an absolute path', async () => {
    const ws1 = await runner();
    const dest = path.join(ws1, 'out');
    await writeTree(dest, { 'a.txt': 'A', 'b/c.txt': 'C' });
    // Current directory elsewhere: the paths go to the cache as absolute paths.
    process.chdir(tempDir('elsewhere'));
    const saved = await saveJobFiles({ jobId: '77', paths: [dest], runId: 5, runAttempt: 2 });
    expect(saved.key).toBe('qq-sync-77-5-2');
    expect(saved.paths).toEqual([dest]);

    // The working directory is gone, the destination is empty: the files come back.
    await rm(dest, { recursive: true });
    await mkdir(dest);
    const restored = await restoreJobFiles({ jobId: '77', paths: [dest] });
    expect(restored).toEqual({ hit: true, key: 'qq-sync-77-5-2' });
    expect(await readFile(path.join(dest, 'a.txt'), 'utf8')).toBe('A');
    expect(await readFile(path.join(dest, 'b/c.txt'), 'utf8')).toBe('C');
  });

  it('restore by prefix picks the newest save, not the largest key, and never another job', async () => {
    const ws = await runner();
    const dest = path.join(ws, 'res');
    // Saved in this order; the newest ("10") sorts first as text.
    for (const run of ['9', '5', '10']) {
      await writeTree(dest, { 'which.txt': `run ${run}` });
      const s = await saveJobFiles({ jobId: '123', paths: ['res'], runId: run, runAttempt: 1 });
      expect(s.key).toBe(`qq-sync-123-${run}-1`);
    }
    // A later save of job 123-4, whose key starts with "qq-sync-123-" were '-' kept as is.
    await writeTree(dest, { 'which.txt': 'job 123-4' });
    const other = await saveJobFiles({ jobId: '123-4', paths: ['res'], runId: 11, runAttempt: 1 });
    expect(other.key).toBe('qq-sync-123_2D4-11-1');

    await rm(dest, { recursive: true });
    const restored = await restoreJobFiles({ jobId: '123', paths: ['res'] });
    expect(restored).toEqual({ hit: true, key: 'qq-sync-123-10-1' });
    expect(await readFile(path.join(dest, 'which.txt'), 'utf8')).toBe('run 10');
  });

  it('works for job ids and destinations with [ ] @ (escaped for the glob of @actions/cache)', async () => {
    const ws = await runner();
    const jobId = '555[3].srv@cluster';
    const rel = `dest/${jobId}`;
    await writeTree(path.join(ws, rel), { 'x.txt': 'array element 3' });
    // A decoy the unescaped pattern `dest/555[3].srv@cluster` would match instead.
    await writeTree(path.join(ws, 'dest/5553.srv@cluster'), { 'decoy.txt': 'no' });
    const saved = await saveJobFiles({ jobId, paths: [rel], runId: 1, runAttempt: 1 });
    expect(saved).toEqual({
      key: 'qq-sync-555_5B3_5D.srv_40cluster-1-1',
      paths: ['dest/555[[]3].srv@cluster'],
    });
    const ws2 = await runner();
    const restored = await restoreJobFiles({ jobId, paths: [rel] });
    expect(restored.hit).toBe(true);
    expect(await readTree(path.join(ws2, 'dest'))).toEqual({
      [path.join(jobId, 'x.txt')]: expect.objectContaining({
        data: Buffer.from('array element 3').toString('base64'),
      }),
    });
  });

  it('a job never saved is a miss with a notice; a second save under the same key is a warning', async () => {
    const ws = await runner();
    const miss = await restoreJobFiles({ jobId: 'never-saved', paths: ['nothing'] });
    expect(miss).toEqual({
      hit: false,
      notice: `No cached copy of the files of job never-saved was restored (key prefix ${cacheKeyPrefix('never-saved')}).`,
    });

    await writeFile(path.join(ws, 'f.txt'), 'f');
    const first = await saveJobFiles({ jobId: 'dup', paths: ['f.txt'], runId: 1, runAttempt: 1 });
    expect(first.key).toBe('qq-sync-dup-1-1');
    const again = await saveJobFiles({ jobId: 'dup', paths: ['f.txt'], runId: 1, runAttempt: 1 });
    expect(again.key).toBeUndefined();
    expect(again.warning).toMatch(
      /^Could not save the files of job dup to the cache \(key qq-sync-dup-1-1\)/,
    );
  });

  it('saving a destination that does not exist is a warning, not an exception', async () => {
    await runner();
    const r = await saveJobFiles({ jobId: 'j', paths: ['missing/dir'], runId: 1, runAttempt: 1 });
    expect(r.key).toBeUndefined();
    expect(r.warning).toMatch(
      /Could not save the files of job j to the cache: .*do\(es\) not exist/,
    );
  });
});
