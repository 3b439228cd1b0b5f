/**
 * No cache service, or one that is down: saves and restores give a notice or a warning and
 * never throw. Uses no service of its own: the "down" service is a loopback port nobody
 * listens on.
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cacheAvailability,
  restoreJobFiles,
  saveJobFiles,
} from '../../src/action/cache/actions-cache.js';
import { tempDir } from '../support/temp.js';
import { enterRunner, leaveRunner } from './helpers.js';

afterEach(leaveRunner);

/** A loopback port that refuses connections (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function runnerWith(env: Record<string, string>): Promise<string> {
  const ws = tempDir('ws');
  await enterRunner(env, ws);
  await writeFile(path.join(ws, 'out.txt'), 'result');
  return ws;
}

const job = { jobId: '99.srv', paths: ['out.txt'], runId: 3, runAttempt: 1 };

describe('cache service not configured (e.g. GHES without the Actions cache)', () => {
  it('gives a notice for availability, save and restore', async () => {
    await runnerWith({ GITHUB_SERVER_URL: 'https://github.com' });
    const a = await cacheAvailability();
    expect(a.available).toBe(false);
    const notice = 'The GitHub Actions cache service is not available on this runner';
    expect(a.available === false && a.notice).toContain(notice);
    const s = await saveJobFiles(job);
    expect(s.key).toBeUndefined();
    expect(s.warning).toBeUndefined();
    expect(s.notice).toContain(notice);
    const r = await restoreJobFiles(job);
    expect(r).toEqual({ hit: false, notice: expect.stringContaining(notice) });
  });

  it('a cache-mode that forbids it gives a notice', async () => {
    await runnerWith({
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/',
      ACTIONS_RUNTIME_TOKEN: 't',
      ACTIONS_CACHE_MODE: 'read',
    });
    expect((await saveJobFiles(job)).notice).toMatch(/cache-mode 'read' does not permit writes/);
    process.env.ACTIONS_CACHE_MODE = 'write-only';
    expect((await restoreJobFiles(job)).notice).toMatch(
      /cache-mode 'write-only' does not permit reads/,
    );
  });
});

describe('cache service down', () => {
  it('save and restore give a warning or a notice and nothing throws', async () => {
    const port = await closedPort();
    await runnerWith({
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: `http://127.0.0.1:${port}/`,
      ACTIONS_RUNTIME_TOKEN: 'token',
      GITHUB_SERVER_URL: 'https://github.com',
    });
    // The service is configured, so the feature is "available"; the calls fail.
    expect(await cacheAvailability()).toEqual({ available: true });
    const s = await saveJobFiles({ ...job, log: () => {} });
    expect(s.key).toBeUndefined();
    expect(s.warning).toMatch(
      /^Could not save the files of job 99\.srv to the cache \(key qq-sync-99\.srv-3-1\).*fetched all the same\.$/,
    );
    const r = await restoreJobFiles(job);
    expect(r.hit).toBe(false);
    expect(r.key).toBeUndefined();
    expect(r.notice ?? r.warning).toMatch(/files of job 99\.srv/);
  });

  it('a missing runtime token is a warning, not an exception', async () => {
    await runnerWith({
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/',
      GITHUB_SERVER_URL: 'https://github.com',
    });
    const s = await saveJobFiles(job);
    expect(s.warning).toMatch(/ACTIONS_RUNTIME_TOKEN/);
    const r = await restoreJobFiles(job);
    expect(r.hit).toBe(false);
  });

  it('an unknown run id is a warning', async () => {
    await runnerWith({});
    expect((await saveJobFiles({ ...job, runId: '' })).warning).toMatch(/GITHUB_RUN_ID/);
  });
});
