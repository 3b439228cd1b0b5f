/**
 * syncJob from source: one job's panel, suitability check, transfer and result, on real files
 * with the real rsync (and the built-in copier where rsync is not on PATH).
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobContext } from '../../src/action/fetch/job-context.js';
import { syncJob } from '../../src/action/fetch/sync-job.js';
import { type Job, loadInfo } from '../../src/action/jobs/targets.js';
import { makeJob, type TestJob } from '../support/jobs.js';
import { World } from './world.js';

vi.mock('@actions/core', () => ({
  getInput: vi.fn(),
  info: vi.fn(),
  debug: vi.fn(),
  isDebug: vi.fn(() => false),
  warning: vi.fn(),
  startGroup: vi.fn(),
  endGroup: vi.fn(),
}));

const world = new World();
afterAll(() => world.cleanup());
beforeEach(() => vi.clearAllMocks());

const logged = () =>
  vi
    .mocked(core.info)
    .mock.calls.map(([m]) => m)
    .join('\n');

/** A job as collectJobs leaves it: its info file read; no scheduler answer. */
async function job(name: string, over: Partial<TestJob>): Promise<Job> {
  const infoFile = makeJob({
    jobId: `${name}-1`,
    inputDir: join(world.workspace, name),
    jobState: 'finished',
    exitCode: 0,
    transferMode: ['never'],
    mainNode: hostname(),
    workDir: join(world.base, 'scratch', name),
    ...over,
  });
  const j: Job = { label: name, infoFile };
  await loadInfo(j, undefined);
  return j;
}

function context(inputs: Record<string, string> = {}, env = world.env()): JobContext {
  return {
    settings: world.settings({ 'shared-storage': 'true', ...inputs }),
    env,
    multiple: false,
  };
}

describe('syncJob', () => {
  it('fetches a small job in-process (rsync installed, not spawned) into the input directory and counts files and bytes', async () => {
    const j = await job('fetch', { files: { 'a.txt': 'abc', 'sub/b.txt': 'de' } });
    const r = await syncJob(j, context(), true);
    expect(r).toMatchObject({
      status: 'synced',
      filesSynced: 2,
      bytesSynced: 5,
      reasonCode: 'fetched',
      method: 'in-process copy',
    });
    expect(readFileSync(join(world.workspace, 'fetch', 'sub', 'b.txt'), 'utf8')).toBe('de');
    expect(logged()).toContain('Job state: Job has finished');
    expect(logged()).toContain(
      "Fetching all files from job's working directory to input directory.",
    );
  });

  it('without rsync on PATH: the built-in copier, into `destination`', async () => {
    const j = await job('copier', { files: { 'x.dat': '12345' } });
    const r = await syncJob(
      j,
      context({ destination: 'out' }, world.env({ PATH: '/nonexistent' })),
      true,
    );
    expect(r).toMatchObject({ status: 'synced', reasonCode: 'fetched', method: 'built-in copier' });
    expect(readFileSync(join(world.workspace, 'out', 'x.dat'), 'utf8')).toBe('12345');
  });

  it('dry run: says what it would fetch, writes nothing', async () => {
    const j = await job('dry', { files: { 'x.dat': '1' } });
    const r = await syncJob(j, context({ 'dry-run': 'true', destination: 'dry-out' }), true);
    // Counted in-process too: no rsync --dry-run spawned for a small job.
    expect(r).toMatchObject({
      status: 'dry-run',
      reasonCode: 'dry-run',
      method: 'in-process copy',
      filesSynced: 0,
      bytesSynced: 0,
      filesWouldSync: 1,
      bytesWouldSync: 1,
    });
    expect(existsSync(join(world.workspace, 'dry-out', 'x.dat'))).toBe(false);
  });

  it("a job qq synchronized itself is skipped with qq's words", async () => {
    const j = await job('synced', { transferMode: ['success'] });
    const r = await syncJob(j, context(), true);
    expect(r).toMatchObject({
      status: 'skipped',
      reasonCode: 'synchronized',
      reason: 'Job has been completed and was synchronized: working directory no longer exists.',
    });
  });

  it('a vanished working directory fails with rsync’s message (no cache to restore from)', async () => {
    const j = await job('gone', {});
    rmSync(join(world.base, 'scratch', 'gone'), { recursive: true, force: true });
    const r = await syncJob(j, context(), true);
    expect(r).toMatchObject({ status: 'failed', reasonCode: 'work-dir-missing' });
    expect(r.reason).toMatch(
      /^Could not rsync files between '.*\/scratch\/gone' and '.*\/ws\/gone': .*change_dir.*No such file or directory/s,
    );
  });

  it('a job that could not be read fails with its error and keeps its label as id', async () => {
    const r = await syncJob(
      { label: 'broken', error: 'Path broken does not exist.' },
      context(),
      true,
    );
    expect(r).toMatchObject({
      id: 'broken',
      status: 'failed',
      reasonCode: 'error',
      reason: 'Path broken does not exist.',
    });
  });

  it('one directory per job under `destination` when the step has several jobs', async () => {
    mkdirSync(join(world.workspace, 'many'), { recursive: true });
    const j = await job('multi', { files: { 'm.txt': 'm' } });
    const ctx = { ...context({ destination: 'many' }), multiple: true };
    const r = await syncJob(j, ctx, false);
    expect(r.destination).toBe(join(world.workspace, 'many', 'multi-1'));
    expect(readFileSync(join(r.destination, 'm.txt'), 'utf8')).toBe('m');
  });
});
