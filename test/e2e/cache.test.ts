/**
 * End to end through the bundle with `cache: true`: the real @actions/cache client talks to the
 * test cache service (Azurite + the stand-in of test/support/cache-service, test
 * infrastructure). A first run fetches and saves; a second run, in a fresh workspace after the
 * working directory is gone, restores the files from the cache.
 */
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nodeVersion } from '../../scripts/node24.mjs';
import { actionNode, runAction } from '../../scripts/run-action.mjs';
import { requireCurrentBundle } from '../support/bundle.js';
import { explain } from '../support/explain.js';
import { makeJob } from '../support/jobs.js';
import { cleanTemps, tempDir } from '../support/temp.js';

requireCurrentBundle();

// The Node 20 and Node 24 projects run this file against the one cache service at the same
// time: each uses its own run ids (and so its own cache keys), e.g. 41 → 20041 / 24041.
const RUN_BASE = 1000 * Number(/^v(\d+)/.exec(nodeVersion(actionNode()) ?? '')?.[1] ?? 0);
const runId = (n: number) => String(RUN_BASE + n);
const cache = inject('cache');
let base: string;
beforeAll(() => {
  base = tempDir('cache-e2e');
});
afterAll(cleanTemps);

// No scheduler on PATH for these PBS jobs: the scheduler "has forgotten" them.
const noScheduler = { PATH: '/usr/local/bin:/usr/bin:/bin' };

describe.skipIf(cache.env === null)('cache: true', () => {
  it('saves the fetched files, then restores them when the working directory is gone', async () => {
    const ws1 = join(base, 'run1');
    const workDir = join(base, 'scratch', 'job');
    makeJob({
      batchSystem: 'PBS',
      jobId: '5151.pbs-test',
      inputDir: join(ws1, 'sim'),
      jobState: 'failed',
      exitCode: 2,
      mainNode: 'n1',
      workDir,
      files: { 'md.log': 'log\n', 'sub/rmsd.xvg': '1 2\n' },
    });
    const env = { ...cache.env, ...noScheduler, GITHUB_RUN_ID: runId(41) };
    const first = await runAction({
      workspace: ws1,
      inputs: { path: 'sim', destination: 'results', 'shared-storage': 'true', cache: 'true' },
      env,
    });
    expect(first.code, explain(first)).toBe(0);
    expect(first.outputs['cache-key']).toBe(`qq-sync-5151.pbs_2Dtest-${runId(41)}-1`);
    expect(first.outputs['cache-hit']).toBe('false');

    // A later run on another runner: the job is now 'finished' and synchronized by qq
    // (its working directory deleted), and this workspace has no results yet.
    const ws2 = join(base, 'run2');
    rmSync(workDir, { recursive: true, force: true });
    makeJob({
      batchSystem: 'PBS',
      jobId: '5151.pbs-test',
      inputDir: join(ws2, 'sim'),
      jobState: 'failed',
      exitCode: 2,
      transferMode: ['failure'],
      mainNode: 'n1',
      workDir,
    });
    // Its info file was copied here from another machine: the input directory it names is
    // not on this one. (Where it is, a job qq synchronized is copied from there into the
    // destination, fresher than any cached copy: test/e2e/edges.test.ts.)
    renameSync(join(ws2, 'sim'), join(ws2, 'sim-copy'));
    const second = await runAction({
      workspace: ws2,
      inputs: { path: 'sim-copy', destination: 'results', cache: 'true' },
      env: { ...env, GITHUB_RUN_ID: runId(42) },
    });
    expect(second.code, explain(second)).toBe(0);
    expect(second.outputs.status).toBe('skipped');
    expect(second.outputs['cache-hit']).toBe('true');
    expect(JSON.parse(second.outputs.jobs ?? '[]')[0]).toMatchObject({
      cacheHit: true,
      cacheKey: `qq-sync-5151.pbs_2Dtest-${runId(41)}-1`,
    });
    expect(readFileSync(join(ws2, 'results', 'sub', 'rmsd.xvg'), 'utf8')).toBe('1 2\n');
  });

  it('a working directory that vanished after the scheduler answered: the cached copy, or the error', async () => {
    // The info file and the scheduler (none: forgotten) say the job failed with its working
    // directory kept (transfer mode [success], exit 2): suitable, so rsync runs and finds no
    // directory — what happens when qq synchronizes and deletes it in between.
    const workDir = join(base, 'scratch', 'vanish');
    const job = (ws: string, id: string, files?: Record<string, string>) =>
      makeJob({
        batchSystem: 'PBS',
        jobId: id,
        inputDir: join(ws, 'sim'),
        jobState: 'failed',
        exitCode: 2,
        mainNode: 'n1',
        workDir,
        ...(files ? { files } : {}),
      });
    const env = { ...cache.env, ...noScheduler };
    const inputs = { path: 'sim', destination: 'results', 'shared-storage': 'true', cache: 'true' };
    const ws1 = join(base, 'vanish1');
    job(ws1, '6161.pbs-test', { 'traj.xtc': 'frames\n' });
    const first = await runAction({
      workspace: ws1,
      inputs,
      env: { ...env, GITHUB_RUN_ID: runId(61) },
    });
    expect(first.code, explain(first)).toBe(0);
    expect(first.outputs['cache-key']).toBe(`qq-sync-6161.pbs_2Dtest-${runId(61)}-1`);

    const ws2 = join(base, 'vanish2');
    job(ws2, '6161.pbs-test');
    rmSync(workDir, { recursive: true, force: true }); // makeJob makes it; now it is gone
    const second = await runAction({
      workspace: ws2,
      inputs,
      env: { ...env, GITHUB_RUN_ID: runId(62) },
    });
    expect(second.code, explain(second)).toBe(0);
    expect(second.stdout).toContain('No such file or directory');
    expect(second.outputs.status).toBe('skipped');
    expect(second.outputs.reason).toBe(
      'Working directory of the job no longer exists: restored the newest cached copy.',
    );
    expect(second.outputs['cache-hit']).toBe('true');
    expect(readFileSync(join(ws2, 'results', 'traj.xtc'), 'utf8')).toBe('frames\n');

    // A job never cached: the transfer's error stands and fails the step.
    const ws3 = join(base, 'vanish3');
    job(ws3, '6262.pbs-test');
    rmSync(workDir, { recursive: true, force: true });
    const third = await runAction({
      workspace: ws3,
      inputs,
      env: { ...env, GITHUB_RUN_ID: runId(63) },
    });
    expect(third.code, explain(third)).toBe(1);
    expect(third.outputs.status).toBe('failed');
    expect(third.outputs.reason).toContain('No such file or directory');
    expect(third.outputs['cache-hit']).toBe('false');
  });

  it('goes on without the cache when the service is down', async () => {
    const ws = join(base, 'down');
    makeJob({
      batchSystem: 'PBS',
      jobId: '5252.pbs-test',
      inputDir: join(ws, 'sim'),
      jobState: 'failed',
      exitCode: 2,
      mainNode: 'n1',
      workDir: join(base, 'scratch', 'down'),
      files: { 'x.txt': 'x' },
    });
    const run = await runAction({
      workspace: ws,
      inputs: { path: 'sim', 'shared-storage': 'true', cache: 'true' },
      env: {
        ...cache.env,
        ...noScheduler,
        ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/',
      },
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.status).toBe('synced');
    expect(run.outputs['cache-key']).toBe('');
    expect(readFileSync(join(ws, 'sim', 'x.txt'), 'utf8')).toBe('x');
  });
});
