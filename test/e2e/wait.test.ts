/**
 * End to end through the bundle: `wait-for` polls the real Slurm until the job's real state is
 * reached, `follow` streams the job's output meanwhile, a wait that times out fails with the
 * last state, and `dry-run` decides without writing. The job script below does what `qq run`
 * does at the end of a job: it writes the final state into the info file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runAction } from '../../scripts/run-action.mjs';
import { requireCurrentBundle } from '../support/bundle.js';
import { explain } from '../support/explain.js';
import { makeJob } from '../support/jobs.js';
import { slurmCli, slurmSkip } from '../support/services.js';
import { cleanTemps, tempDir } from '../support/temp.js';

requireCurrentBundle();
const slurm = inject('slurm');
let base: string;
let workspace: string;
beforeAll(() => {
  base = tempDir('wait');
  workspace = join(base, 'workspace');
});
afterAll(cleanTemps);

describe.skipIf(slurmSkip(slurm))('waiting', () => {
  it('waits for a running job to finish, following its output, then fetches it', async () => {
    const cli = slurmCli(slurm);
    const inputDir = join(workspace, 'follow');
    const workDir = join(base, 'scratch', 'follow');
    // Placeholder id; the info file is rewritten with the real id right after sbatch.
    const info = makeJob({ jobId: '0', inputDir, jobState: 'running', mainNode: 'n1', workDir });
    const out = join(workDir, 'run_md.out');
    const script = [
      `echo 'step 1 ::error::not a command' >> '${out}'`,
      'sleep 2',
      `echo 'step 2' >> '${out}'`,
      'sleep 2',
      `echo 'result' > '${join(workDir, 'final.dat')}'`,
      `sed -i -e 's/^job_state: running/job_state: finished/' '${info}'`,
      `echo 'job_exit_code: 0' >> '${info}'`,
    ].join('; ');
    const id = await cli.submit(['--wrap', script]);
    makeJob({
      jobId: id,
      inputDir,
      jobState: 'running',
      mainNode: 'n1',
      workDir,
      transferMode: ['never'],
    });
    const run = await runAction({
      workspace,
      inputs: {
        path: 'follow',
        'shared-storage': 'true',
        'wait-for': 'finished, failed',
        'poll-interval': '1',
        'wait-timeout': '60',
        follow: 'true',
      },
      env: slurm.env ?? {},
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.state).toBe('finished');
    expect(run.outputs.status).toBe('synced');
    expect(readFileSync(join(inputDir, 'final.dat'), 'utf8')).toBe('result\n');
    expect(run.stdout).toMatch(/Waiting until 1 job is finished or failed/);
    // The job's output was streamed while waiting, fenced from the runner.
    const lines = run.stdout.split('\n');
    const at = lines.findIndex((l) => l.includes('step 1 ::error::not a command'));
    expect(at).toBeGreaterThan(0);
    const fence = lines
      .slice(0, at)
      .reverse()
      .find((l) => l.startsWith('::stop-commands::'));
    expect(fence).toBeDefined();
    const token = fence?.slice('::stop-commands::'.length);
    expect(lines.slice(at).some((l) => l === `::${token}::`)).toBe(true);
    expect(run.stdout).toContain('step 2');
  });

  it('fails with the last state when the wait times out', async () => {
    const cli = slurmCli(slurm);
    const id = await cli.submit(['--wrap', 'sleep 300']);
    await cli.waitFor(id, 'RUNNING');
    const inputDir = join(workspace, 'timeout');
    makeJob({
      jobId: id,
      inputDir,
      jobState: 'running',
      mainNode: 'n1',
      workDir: join(base, 'w2'),
    });
    const run = await runAction({
      workspace,
      inputs: {
        path: 'timeout',
        'wait-for': 'finished',
        'poll-interval': '1',
        'wait-timeout': '2',
      },
      env: slurm.env ?? {},
    });
    expect(run.code).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(run.outputs.state).toBe('running');
    expect(run.outputs.reason).toBe(
      "Timed out after 2 s waiting until the job is finished; its last state was 'running'.",
    );
    await cli.cancel(id);
  });

  it('decides and reports in a dry run, writing nothing', async () => {
    const cli = slurmCli(slurm);
    const id = await cli.submit(['--wrap', 'sleep 300']);
    await cli.waitFor(id, 'RUNNING');
    const inputDir = join(workspace, 'dry');
    makeJob({
      jobId: id,
      inputDir,
      jobState: 'running',
      mainNode: 'n1',
      workDir: join(base, 'dry-work'),
      files: { 'a.txt': 'aaaa', 'b.txt': 'bb' },
    });
    const run = await runAction({
      workspace,
      inputs: { path: 'dry', 'shared-storage': 'true', 'dry-run': 'true' },
      env: slurm.env ?? {},
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.status).toBe('dry-run');
    expect(run.outputs['files-synced']).toBe('0');
    expect(run.outputs['bytes-synced']).toBe('0');
    expect(JSON.parse(run.outputs.jobs ?? '[]')[0]).toMatchObject({
      status: 'dry-run',
      filesWouldSync: 2,
      bytesWouldSync: 6,
    });
    expect(existsSync(join(inputDir, 'a.txt'))).toBe(false);
    expect(run.summary).toContain('dry run');
    await cli.cancel(id);
  });
});
