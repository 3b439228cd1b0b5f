/**
 * refreshStates, realStateOf and waitForStates from source. No scheduler is on PATH: asking
 * one fails as on a machine without it, which is qq's empty answer (batch state UNKNOWN).
 */
import { join } from 'node:path';
import * as core from '@actions/core';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { realStateOf, refreshStates } from '../../src/action/jobs/real-states.js';
import { collectJobs, type Job } from '../../src/action/jobs/targets.js';
import { waitForStates } from '../../src/action/jobs/wait.js';
import type { BatchContext } from '../../src/batch/types.js';
import { BatchState, RealState } from '../../src/domain/states.js';
import { makeJob, type TestJob } from '../support/jobs.js';
import { World } from './world.js';

vi.mock('@actions/core', () => ({
  info: vi.fn(),
  debug: vi.fn(),
  isDebug: vi.fn(() => false),
  warning: vi.fn(),
}));

const world = new World();
afterAll(() => world.cleanup());
beforeEach(() => vi.clearAllMocks());
const ctx: BatchContext = { timeoutMs: 5000, env: world.env(), debug: () => {} };

async function jobs(dir: string, specs: Omit<TestJob, 'inputDir'>[], inputs = {}): Promise<Job[]> {
  for (const s of specs) {
    makeJob({ ...s, jobName: `${s.jobId}.sh`, inputDir: join(world.workspace, dir) });
  }
  return collectJobs(world.settings({ path: dir, ...inputs }), ctx, world.env());
}

describe('refreshStates / realStateOf', () => {
  it("a scheduler that cannot be asked: one warning per system, the info files' states alone", async () => {
    const js = await jobs('mixed', [
      { jobId: '1', jobState: 'running', batchSystem: 'Slurm' },
      { jobId: '2', jobState: 'finished', exitCode: 0, batchSystem: 'Slurm' },
      { jobId: '3.pbs', jobState: 'killed', batchSystem: 'PBS' },
      { jobId: '4', jobState: 'unknown', batchSystem: 'PBS' },
    ]);
    const warnings: string[] = [];
    await refreshStates(js, world.settings({}), ctx, {
      reread: false,
      all: false,
      warn: (m) => warnings.push(m),
    });
    expect(warnings.sort()).toEqual([
      "PBS scheduler could not be asked (Could not run 'qstat': command not found.); the state of 1 job(s) is taken from their info files alone.",
      "Slurm scheduler could not be asked (Could not run 'scontrol': command not found.); the state of 2 job(s) is taken from their info files alone.",
    ]);
    expect(js.map((j) => realStateOf(j))).toEqual([
      RealState.IN_AN_INCONSISTENT_STATE,
      RealState.FINISHED,
      RealState.KILLED,
      RealState.UNKNOWN,
    ]);
  });

  it('an answer already there is kept unless `all`; an invalid job id is the job’s error', async () => {
    const js = await jobs('answered', [
      { jobId: '10', jobState: 'running' },
      { jobId: '-rf', jobState: 'running' },
    ]);
    const [answered, invalid] = js as [Job, Job];
    answered.batch = { id: '10', found: true, state: BatchState.RUNNING, nodes: [], raw: {} };
    await refreshStates(js, world.settings({}), ctx, { reread: false, all: false, warn: () => {} });
    expect(realStateOf(answered)).toBe(RealState.RUNNING);
    expect(invalid.error).toBe("Invalid job id '-rf': a job id cannot start with '-'.");
  });
});

describe('waitForStates', () => {
  it('returns at once when every job is in a wanted state', async () => {
    const js = await jobs('done', [{ jobId: '20', jobState: 'finished', exitCode: 0 }]);
    await refreshStates(js, world.settings({}), ctx, { reread: false, all: false, warn: () => {} });
    await waitForStates(js, world.settings({ 'wait-for': 'finished' }), ctx, undefined);
    expect(js[0]?.error).toBeUndefined();
    expect(core.info).not.toHaveBeenCalled();
  });

  it('at the deadline, every job still waiting gets an error naming its last state', async () => {
    const js = await jobs('late', [{ jobId: '30', jobState: 'running' }]);
    const settings = world.settings({ 'wait-for': 'finished, failed', 'wait-timeout': '0' });
    await waitForStates(js, settings, ctx, undefined);
    expect(js[0]?.error).toBe(
      "Timed out after 0 s waiting until the job is finished or failed; its last state was 'in an inconsistent state'.",
    );
  });

  it('polls again (re-reading the info file) until the job gets there', async () => {
    const js = await jobs('later', [{ jobId: '40', jobState: 'running' }]);
    const settings = world.settings({
      'wait-for': 'finished',
      'poll-interval': '1',
      'wait-timeout': '60',
    });
    setTimeout(() => {
      makeJob({
        jobId: '40',
        jobName: '40.sh',
        inputDir: join(world.workspace, 'later'),
        jobState: 'finished',
        exitCode: 0,
      });
    }, 200);
    await waitForStates(js, settings, ctx, undefined);
    expect(realStateOf(js[0] as Job)).toBe(RealState.FINISHED);
    expect(vi.mocked(core.info).mock.calls.map(([m]) => m)).toContain(
      'All jobs reached one of: finished.',
    );
  });
});
