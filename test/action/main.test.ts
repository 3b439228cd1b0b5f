/**
 * The action's orchestration from source (src/main.ts), with `@actions/core` replaced from
 * outside as actions/typescript-action's __tests__/main.test.ts does. Jobs are real files in a
 * real workspace; rsync is the real one; no scheduler is on PATH (asking one fails as on a
 * machine without it, and the state comes from the info file alone).
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OUTPUT_NAMES } from '../../src/action/report/outputs.js';
import { run } from '../../src/main.js';
import { makeJob } from '../support/jobs.js';
import { World } from './world.js';

vi.mock('@actions/core', () => ({
  getInput: vi.fn(),
  getBooleanInput: vi.fn(),
  setOutput: vi.fn(),
  setFailed: vi.fn(),
  info: vi.fn(),
  debug: vi.fn(),
  isDebug: vi.fn(() => false),
  warning: vi.fn(),
  error: vi.fn(),
  notice: vi.fn(),
  ExitCode: { Success: 0, Failure: 1 },
  startGroup: vi.fn(),
  endGroup: vi.fn(),
  summary: { addRaw: vi.fn(), write: vi.fn() },
}));

const world = new World();
afterAll(() => world.cleanup());

/** The outputs the step set, by name. */
function outputs(): Record<string, string> {
  return Object.fromEntries(vi.mocked(core.setOutput).mock.calls.map(([n, v]) => [n, String(v)]));
}
const logged = () =>
  vi
    .mocked(core.info)
    .mock.calls.map(([m]) => m)
    .join('\n');

beforeEach(() => {
  vi.clearAllMocks();
  process.exitCode = undefined;
});
afterAll(() => {
  process.exitCode = undefined;
});

describe('run()', () => {
  it('fetches a finished job whose working directory is on this host, and sets every output', async () => {
    const dir = join(world.workspace, 'finished');
    makeJob({
      batchSystem: 'Slurm',
      jobId: '7001',
      inputDir: dir,
      jobState: 'finished',
      exitCode: 0,
      // `never`: qq did not synchronize the files itself, so they are there to fetch.
      transferMode: ['never'],
      mainNode: hostname(),
      workDir: join(world.base, 'scratch', '7001'),
      files: { 'energy.xvg': 'E = -1.0\n' },
    });
    vi.mocked(core.getInput).mockImplementation(world.inputs({ path: 'finished' }));

    await run(world.env());

    expect(core.setFailed).not.toHaveBeenCalled();
    expect(readFileSync(join(dir, 'energy.xvg'), 'utf8')).toBe('E = -1.0\n');
    expect(Object.keys(outputs()).sort()).toEqual([...OUTPUT_NAMES].sort());
    expect(outputs()).toMatchObject({
      status: 'synced',
      state: 'finished',
      'job-id': '7001',
      'files-synced': '1',
      destination: dir,
    });
    // No scheduler here: qq's empty answer, with a warning, and the info file's state.
    expect(vi.mocked(core.warning).mock.calls.join('\n')).toContain(
      "Slurm scheduler could not be asked (Could not run 'scontrol': command not found.)",
    );
    expect(logged()).toContain('Found 1 job(s).');
  });

  it('a queued job that the scheduler cannot confirm: qq’s inconsistent state, and no destination', async () => {
    makeJob({
      batchSystem: 'PBS',
      jobId: '7002.pbs',
      inputDir: join(world.workspace, 'queued'),
      jobState: 'queued',
    });
    vi.mocked(core.getInput).mockImplementation(world.inputs({ path: 'queued' }));

    await run(world.env());

    // A failed job fails the step through its one error annotation, not a second message.
    expect(process.exitCode).toBe(1);
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(core.error).toHaveBeenCalledTimes(1);
    // The message names its job (the log view shows no title).
    expect(vi.mocked(core.error).mock.calls[0]?.[0]).toBe(
      "7002.pbs (run_md.sh): Host ('main_node') or working directory ('work_dir') are not defined.",
    );
    expect(outputs()).toMatchObject({ status: 'failed', state: 'in an inconsistent state' });
  });

  it('an input error fails the step with its message; the outputs are set all the same', async () => {
    vi.mocked(core.getInput).mockImplementation(world.inputs({ parallel: '0' }));

    await run(world.env());

    const message = "Input 'parallel' must be a whole number from 1 to 64; got '0'.";
    expect(core.setFailed).toHaveBeenCalledWith(message);
    expect(Object.keys(outputs()).sort()).toEqual([...OUTPUT_NAMES].sort());
    expect(outputs()).toMatchObject({ status: 'failed', reason: message });
  });

  it('no info file found: the step fails with that, outputs set', async () => {
    vi.mocked(core.getInput).mockImplementation(world.inputs({ path: 'nothing-here' }));

    await run(world.env());

    expect(vi.mocked(core.setFailed).mock.calls[0]?.[0]).toMatch(
      /^No qq job info file found\. Searched in the workspace '.*': '.*\/nothing-here' \(does not exist\)\./,
    );
    expect(outputs()).toMatchObject({ status: 'failed', reason: 'No qq job info file found.' });
  });

  it('fail-on: a job in a listed state fails the step although it was fetched', async () => {
    const dir = join(world.workspace, 'failed');
    makeJob({
      batchSystem: 'Slurm',
      jobId: '7003',
      inputDir: dir,
      jobState: 'failed',
      exitCode: 3,
      transferMode: ['success'],
      mainNode: hostname(),
      workDir: join(world.base, 'scratch', '7003'),
      files: { 'core.txt': 'x\n' },
    });
    vi.mocked(core.getInput).mockImplementation(
      world.inputs({ path: 'failed', 'fail-on': 'failed', 'shared-storage': 'true' }),
    );

    await run(world.env());

    expect(existsSync(join(dir, 'core.txt'))).toBe(true);
    // The fail-on error has a title and names the job with its state in words.
    expect(core.error).toHaveBeenCalledWith('fail-on: job 7003 (run_md.sh) failed (exit 3).', {
      title: 'qq-sync: fail-on',
    });
    expect(process.exitCode).toBe(1);

    expect(outputs()).toMatchObject({ status: 'synced', state: 'failed', 'exit-code': '3' });
  });
});
