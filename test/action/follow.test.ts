/** `follow` from source: new lines of a job's output files, read from real files, fenced. */
import { appendFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobContext } from '../../src/action/fetch/job-context.js';
import { Follower, readJobOutputChunk } from '../../src/action/jobs/follow.js';
import { type Job, loadInfo } from '../../src/action/jobs/targets.js';
import { FOLLOW_CHUNK_BYTES } from '../../src/jobs/job-output.js';
import { makeJob } from '../support/jobs.js';
import { World } from './world.js';

vi.mock('@actions/core', () => ({ info: vi.fn(), debug: vi.fn(), isDebug: vi.fn(() => false) }));

const world = new World();
afterAll(() => world.cleanup());
beforeEach(() => vi.clearAllMocks());

const printed = () => vi.mocked(core.info).mock.calls.map(([m]) => m);

describe('Follower with the run’s reader', () => {
  const workDir = join(world.base, 'scratch', 'f');
  const ctx: JobContext = { settings: world.settings({}), env: world.env(), multiple: false };
  let job: Job;

  it('prints whole lines once, keeps a partial line for the next poll', async () => {
    const infoFile = makeJob({
      jobId: '50',
      jobName: 'md.sh',
      inputDir: join(world.workspace, 'f'),
      jobState: 'running',
      mainNode: hostname(),
      workDir,
    });
    job = { label: 'f', infoFile };
    await loadInfo(job, undefined);
    mkdirSync(workDir, { recursive: true });
    writeFileSync(join(workDir, 'md.out'), 'step 1\nstep 2\nhal');
    const follower = new Follower((j, file, offset) => readJobOutputChunk(j, file, offset, ctx));

    await follower.poll([job]);
    const first = printed();
    expect(first[0]).toMatch(/^::stop-commands::[0-9a-f]{32}$/);
    expect(first.slice(1, 4)).toEqual(['── 50 md.out ──', 'step 1', 'step 2']);
    expect(first[4]).toBe(`::${first[0]?.slice('::stop-commands::'.length)}::`);

    vi.clearAllMocks();
    await follower.poll([job]);
    expect(printed()).toEqual([]);

    appendFileSync(join(workDir, 'md.out'), 'f done\n');
    await follower.poll([job]);
    expect(printed().slice(1, 3)).toEqual(['── 50 md.out ──', 'half done']);
  });

  it('reads at most FOLLOW_CHUNK_BYTES per poll', async () => {
    const big = `${'x'.repeat(FOLLOW_CHUNK_BYTES + 10)}\n`;
    writeFileSync(join(workDir, 'md.err'), big);
    const chunk = await readJobOutputChunk(job, 'md.err', 0, ctx);
    expect(chunk.ok && chunk.bytes.length).toBe(FOLLOW_CHUNK_BYTES);
    const rest = await readJobOutputChunk(job, 'md.err', FOLLOW_CHUNK_BYTES, ctx);
    expect(rest.ok && rest.bytes.toString()).toBe(`${'x'.repeat(10)}\n`);
  });

  it('a stdout file that is a symlink out of the job is not followed, and says so once', async () => {
    const secret = join(world.base, 'id_ed25519');
    writeFileSync(secret, 'fake-key-material\n');
    rmSync(join(workDir, 'md.out'));
    symlinkSync(secret, join(workDir, 'md.out'));
    const follower = new Follower((j, file, offset) => readJobOutputChunk(j, file, offset, ctx));
    await follower.poll([job]);
    await follower.poll([job]);
    const all = printed().join('\n');
    expect(all).not.toContain('fake-key-material');
    expect(
      printed().filter((l) => l.includes('md.out: not followed: it is a symlink')),
    ).toHaveLength(1);
  });
});
