/**
 * A cache service that never answers, and one that refuses connections, through the bundle
 * with the real @actions/cache client. The silent service is a TCP server on loopback that
 * accepts every connection and says nothing: the client waits on it for ever, so the step
 * must give up on its own (one cache time for the whole step: transfer-timeout), say so in a
 * warning per job, write its outputs and end — a process still running after that would be
 * killed by runAction's limit and fail the test.
 */
import { readFileSync, renameSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/run-action.mjs';
import { requireCurrentBundle } from '../support/bundle.js';
import { explain } from '../support/explain.js';
import { makeJob } from '../support/jobs.js';
import { cleanTemps, tempDir } from '../support/temp.js';

requireCurrentBundle();

let silent: Server;
const sockets = new Set<Socket>();
let silentUrl: string;
beforeAll(async () => {
  silent = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}/`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  cleanTemps();
});

function jobs(ws: string, ids: string[]): void {
  for (const [i, id] of ids.entries()) {
    makeJob({
      batchSystem: 'PBS',
      jobId: id,
      inputDir: join(ws, `sim${i}`),
      jobState: 'failed',
      exitCode: 2,
      mainNode: 'n1',
      workDir: join(ws, 'scratch', `job${i}`),
      files: { 'out.txt': `result ${id}\n` },
    });
  }
}

const runner = (url: string) => ({
  ACTIONS_CACHE_SERVICE_V2: 'true',
  ACTIONS_RESULTS_URL: url,
  ACTIONS_RUNTIME_TOKEN: 'token',
  // No scheduler: the scheduler "has forgotten" these PBS jobs; the info file decides.
  PATH: '/usr/local/bin:/usr/bin:/bin',
});

describe('cache: true with a cache service that fails', () => {
  it('one that never answers: the step gives up within its cache time, warns per job, and ends', async () => {
    const ws = tempDir('ws');
    jobs(ws, ['7001.pbs-test', '7002.pbs-test']);
    const run = await runAction({
      workspace: ws,
      inputs: {
        path: 'sim0\nsim1',
        'shared-storage': 'true',
        cache: 'true',
        parallel: '1',
        'transfer-timeout': '3',
      },
      env: runner(silentUrl),
      timeoutMs: 45_000,
    });
    const why = explain(run);
    // Exited on its own (runAction's SIGKILL would give null), with the fetch's result.
    expect(run.code, why).toBe(0);
    expect(run.outputs.status, why).toBe('synced');
    expect(run.outputs['cache-key'], why).toBe('');
    expect(readFileSync(join(ws, 'sim1', 'out.txt'), 'utf8')).toBe('result 7002.pbs-test\n');
    // The service was reached and held the connection: the client really waited on it.
    expect(sockets.size, why).toBeGreaterThan(0);
    expect(run.stdout, why).toMatch(
      /^::warning title=qq-sync%3A cache%2C job 7001\.pbs-test::Gave up saving the files of job 7001\.pbs-test to the cache \(key qq-sync-7001\.pbs_2Dtest-1000-1\): the cache service did not finish within the step's cache time of 3 s \(transfer-timeout\); no later cache call of this step is made\. The files were fetched all the same\.$/m,
    );
    // The second job's save is not tried: the budget is the step's, not the job's.
    expect(run.stdout, why).toMatch(
      /^::warning title=qq-sync%3A cache%2C job 7002\.pbs-test::Did not save the files of job 7002\.pbs-test to the cache \(key qq-sync-7002\.pbs_2Dtest-1000-1\): an earlier cache call did not finish within the step's cache time of 3 s \(transfer-timeout\)\.$/m,
    );
    expect(run.summary, why).toContain('7002.pbs-test');
  });

  it('one that never answers, on a restore: given up within the cache time, with a warning', async () => {
    const ws = tempDir('ws');
    // Finished and synchronized by qq, its info file copied here from another machine (the
    // input directory it names is not here): nothing to fetch, so the cached copy is looked for.
    makeJob({
      batchSystem: 'PBS',
      jobId: '7201.pbs-test',
      inputDir: join(ws, 'sim'),
      jobState: 'finished',
      exitCode: 0,
      mainNode: 'n1',
      workDir: join(ws, 'scratch', 'gone'),
    });
    renameSync(join(ws, 'sim'), join(ws, 'sim-copy'));
    const run = await runAction({
      workspace: ws,
      inputs: { path: 'sim-copy', destination: 'results', cache: 'true', 'transfer-timeout': '2' },
      env: runner(silentUrl),
      timeoutMs: 45_000,
    });
    const why = explain(run);
    expect(run.code, why).toBe(0);
    expect(run.outputs.status, why).toBe('skipped');
    expect(run.outputs['cache-hit'], why).toBe('false');
    expect(run.stdout, why).toMatch(
      /^::warning title=qq-sync%3A cache%2C job 7201\.pbs-test::Gave up restoring the files of job 7201\.pbs-test from the cache: the cache service did not finish within the step's cache time of 2 s \(transfer-timeout\); no later cache call of this step is made\.$/m,
    );
  });

  it('one that refuses connections: a warning that names the job and the real cause', async () => {
    const ws = tempDir('ws');
    jobs(ws, ['7101.pbs-test']);
    const run = await runAction({
      workspace: ws,
      inputs: { path: 'sim0', 'shared-storage': 'true', cache: 'true' },
      env: runner('http://127.0.0.1:1/'),
      timeoutMs: 45_000,
    });
    const why = explain(run);
    expect(run.code, why).toBe(0);
    expect(run.outputs.status, why).toBe('synced');
    expect(run.stdout, why).toMatch(
      /^::warning title=qq-sync%3A cache%2C job 7101\.pbs-test::Could not save the files of job 7101\.pbs-test to the cache \(key qq-sync-7101\.pbs_2Dtest-1000-1\): Failed to CreateCacheEntry: Unable to make request: ECONNREFUSED\. The files were fetched all the same\.$/m,
    );
    // @actions/cache's own guess at the cause is not passed on.
    expect(run.stdout, why).not.toMatch(/another job may be creating this cache/);
    expect(run.stdout, why).not.toMatch(/^::(warning|error)::Failed to save/m);
  });
});
