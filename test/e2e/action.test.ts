/**
 * End to end: the committed bundle `dist/index.js`, run as the GitHub runner runs it (INPUT_*
 * variables with action.yml's defaults, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE
 * files, the workspace as working directory), against the real single-node Slurm, the real
 * sshd on loopback and real rsync started by the global setups.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ActionRun, runAction } from '../../scripts/run-action.mjs';
import { requireCurrentBundle } from '../support/bundle.js';
import { explain } from '../support/explain.js';
import { makeJob } from '../support/jobs.js';
import { slurmCli, slurmSkip, sshInputs, sshSkip } from '../support/services.js';
import { cleanTemps, tempDir } from '../support/temp.js';

requireCurrentBundle();
const slurm = inject('slurm');
const sshd = inject('sshd');
let base: string;
let workspace: string;

beforeAll(() => {
  base = tempDir('e2e');
  workspace = join(base, 'workspace');
});
afterAll(cleanTemps);

function jobs(run: ActionRun): Array<Record<string, unknown>> {
  return JSON.parse(run.outputs.jobs ?? '[]');
}

describe.skipIf(slurmSkip(slurm))('against the real Slurm', () => {
  const cli = () => slurmCli(slurm);

  it('fetches a running job locally and reports it', async () => {
    const id = await cli().submit(['--wrap', 'sleep 300']);
    await cli().waitFor(id, 'RUNNING');
    const inputDir = join(workspace, 'running');
    const workDir = join(base, 'scratch', id);
    makeJob({
      jobId: id,
      inputDir,
      jobState: 'running',
      mainNode: 'node1.example.org',
      workDir,
      files: { 'md.log': 'step 1\n', 'traj/frame1.xtc': 'x'.repeat(1000), 'run_md.out': 'hello\n' },
    });
    const run = await runAction({
      workspace,
      inputs: { path: 'running', 'shared-storage': 'true' },
      env: slurm.env ?? {},
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.status).toBe('synced');
    expect(run.outputs.state).toBe('running');
    expect(run.outputs['job-id']).toBe(id);
    expect(run.outputs['job-name']).toBe('run_md.sh');
    expect(run.outputs['files-synced']).toBe('3');
    expect(run.outputs['bytes-synced']).toBe(String(7 + 1000 + 6));
    expect(run.outputs.destination).toBe(inputDir);
    expect(readFileSync(join(inputDir, 'traj/frame1.xtc'), 'utf8')).toBe('x'.repeat(1000));
    expect(run.stdout).toContain(
      "Fetching all files from job's working directory to input directory.",
    );
    expect(run.stdout).toContain('Job state: Job is running');
    expect(run.summary).toContain(`<td>${id}</td>`);
    await cli().cancel(id);
  });

  it('skips a held job, and fails the step with fail-on: unsuitable', async () => {
    // Held as qq sees it: pending on a dependency (a user hold stays 'queued' in qq).
    const first = await cli().submit(['--wrap', 'sleep 300']);
    const id = await cli().submit([`--dependency=afterok:${first}`, '--wrap', 'true']);
    await slurmCli(slurm).waitFor(id, 'PENDING');
    const inputDir = join(workspace, 'held');
    makeJob({ jobId: id, inputDir, jobState: 'queued' });
    const run = await runAction({ workspace, inputs: { path: 'held' }, env: slurm.env ?? {} });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.status).toBe('skipped');
    expect(run.outputs.state).toBe('held');
    expect(run.outputs.reason).toBe('Job is queued or booting: nothing to sync.');
    expect(run.stdout).toContain('::warning title=qq-sync%3A');
    const gated = await runAction({
      workspace,
      inputs: { path: 'held', 'fail-on': 'unsuitable' },
      env: slurm.env ?? {},
    });
    expect(gated.code).toBe(1);
    expect(gated.outputs.status).toBe('skipped');
    expect(gated.stdout).toContain(
      `::error title=qq-sync%3A fail-on::fail-on: job ${id} (run_md.sh) had nothing to fetch (unsuitable).`,
    );
    await cli().cancel(id);
    await cli().cancel(first);
  });

  it('fetches a failed job, then gates on it with fail-on: failed', async () => {
    const id = await cli().submit(['--wrap', 'exit 3']);
    await cli().waitFor(id, 'FAILED');
    const inputDir = join(workspace, 'failed');
    makeJob({
      jobId: id,
      inputDir,
      jobState: 'failed',
      exitCode: 3,
      mainNode: 'node1.example.org',
      workDir: join(base, 'scratch', `failed-${id}`),
      files: { 'md.log': 'Fatal error\n' },
    });
    const run = await runAction({
      workspace,
      inputs: { path: 'failed', 'shared-storage': 'true', 'fail-on': 'failed' },
      env: slurm.env ?? {},
    });
    expect(run.code, explain(run)).toBe(1);
    expect(run.outputs.status).toBe('synced');
    expect(run.outputs.state).toBe('failed');
    expect(run.outputs['exit-code']).toBe('3');
    expect(readFileSync(join(inputDir, 'md.log'), 'utf8')).toBe('Fatal error\n');
    expect(run.stdout).toMatch(
      /::error title=qq-sync%3A fail-on::fail-on: job \S+ \(.*\) failed \(exit 3\)\./,
    );
  });

  it('skips a finished job that qq already synchronized', async () => {
    const id = await cli().submit(['--wrap', 'true']);
    await cli().waitFor(id, 'COMPLETED');
    const inputDir = join(workspace, 'finished');
    makeJob({
      jobId: id,
      inputDir,
      jobState: 'finished',
      exitCode: 0,
      mainNode: 'node1.example.org',
      workDir: join(base, 'scratch', 'gone'),
    });
    const run = await runAction({ workspace, inputs: { path: 'finished' }, env: slurm.env ?? {} });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.status).toBe('skipped');
    expect(run.outputs.state).toBe('finished');
    expect(run.outputs.reason).toBe(
      'Job has been completed and was synchronized: working directory no longer exists.',
    );
  });

  it('fetches a cancelled job whose working directory was kept', async () => {
    const id = await cli().submit(['--wrap', 'sleep 300']);
    await cli().waitFor(id, 'RUNNING');
    await cli().cancel(id);
    await cli().waitFor(id, 'CANCELLED');
    const inputDir = join(workspace, 'killed');
    makeJob({
      jobId: id,
      inputDir,
      jobState: 'killed',
      mainNode: 'node1.example.org',
      workDir: join(base, 'scratch', `killed-${id}`),
      files: { 'partial.dat': 'abc' },
    });
    const run = await runAction({
      workspace,
      inputs: { path: 'killed', 'shared-storage': 'true', 'fail-on': 'failed' },
      env: slurm.env ?? {},
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.state).toBe('killed');
    expect(run.outputs.status).toBe('synced');
    expect(readFileSync(join(inputDir, 'partial.dat'), 'utf8')).toBe('abc');
  });

  it('fetches a job the scheduler has forgotten, by its info file', async () => {
    const inputDir = join(workspace, 'forgotten');
    makeJob({
      jobId: '987654',
      inputDir,
      jobState: 'failed',
      exitCode: 1,
      mainNode: 'node1.example.org',
      workDir: join(base, 'scratch', 'forgotten'),
      files: { 'result.txt': 'r' },
    });
    const run = await runAction({
      workspace,
      inputs: { path: 'forgotten', 'shared-storage': 'true' },
      env: slurm.env ?? {},
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.state).toBe('failed');
    expect(existsSync(join(inputDir, 'result.txt'))).toBe(true);
  });

  it('resolves a job id through the scheduler (job-id mode)', async () => {
    // A login node has one scheduler: a test PBS installed on this machine (/opt/pbs/bin on a
    // login shell's PATH) would make the guess PBS's, not Slurm's.
    const env = slurm.env
      ? {
          ...slurm.env,
          PATH: (slurm.env.PATH ?? '')
            .split(':')
            .filter((d) => !d.startsWith('/opt/pbs'))
            .join(':'),
        }
      : {};
    const inputDir = join(workspace, 'byid');
    mkdirSync(inputDir, { recursive: true });
    const id = await cli().submit(
      ['--job-name', 'run_md.sh', '--chdir', inputDir, '--wrap', 'sleep 300'],
      inputDir,
    );
    await cli().waitFor(id, 'RUNNING');
    makeJob({
      jobId: id,
      inputDir,
      jobState: 'running',
      mainNode: 'node1.example.org',
      workDir: join(base, 'scratch', `byid-${id}`),
      files: { 'out.txt': 'by id' },
    });
    const run = await runAction({
      workspace,
      inputs: { 'job-id': id, 'shared-storage': 'true', destination: 'collected' },
      env,
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs['job-id']).toBe(id);
    expect(readFileSync(join(workspace, 'collected', 'out.txt'), 'utf8')).toBe('by id');
    const unknown = await runAction({
      workspace,
      inputs: { 'job-id': '999999' },
      env,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.outputs.reason).toBe("Job '999999' does not exist.");
    expect(unknown.outputs.status).toBe('failed');
    await cli().cancel(id);
  });

  it("fetches selected files by job id, nested paths included (the README's example)", async () => {
    const inputDir = join(workspace, 'selected');
    mkdirSync(inputDir, { recursive: true });
    const id = await cli().submit(
      ['--job-name', 'run_md.sh', '--chdir', inputDir, '--wrap', 'sleep 300'],
      inputDir,
    );
    await cli().waitFor(id, 'RUNNING');
    makeJob({
      batchSystem: 'SlurmIT4I',
      jobId: id,
      inputDir,
      jobState: 'running',
      mainNode: 'cn123.karolina.example',
      workDir: join(base, 'scratch', `selected-${id}`),
      files: {
        'md.log': 'log',
        'analysis/rmsd.xvg': 'rmsd',
        'analysis/other.xvg': 'no',
        'traj.xtc': 'big',
      },
    });
    // IT4I keeps work dirs on shared scratch: always a local copy, whatever the node.
    const run = await runAction({
      workspace,
      inputs: { 'job-id': id, 'batch-system': 'SlurmIT4I', files: 'md.log, analysis/rmsd.xvg' },
      env: slurm.env ?? {},
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout).toContain(
      "Fetching files 'md.log analysis/rmsd.xvg' from job's working directory to input directory.",
    );
    expect(readFileSync(join(inputDir, 'analysis/rmsd.xvg'), 'utf8')).toBe('rmsd');
    expect(readFileSync(join(inputDir, 'md.log'), 'utf8')).toBe('log');
    expect(existsSync(join(inputDir, 'analysis/other.xvg'))).toBe(false);
    expect(existsSync(join(inputDir, 'traj.xtc'))).toBe(false);
    expect(run.outputs['files-synced']).toBe('2');
    await cli().cancel(id);
  });

  it('syncs a campaign of several jobs in one step, one directory per job', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await cli().submit(['--wrap', 'sleep 300']));
    for (const id of ids) await cli().waitFor(id, 'RUNNING');
    ids.forEach((id, i) => {
      makeJob({
        jobId: id,
        inputDir: join(workspace, 'campaign', `sim${i}`),
        jobState: 'running',
        mainNode: 'node1.example.org',
        workDir: join(base, 'scratch', `campaign-${id}`),
        files: { 'energy.xvg': `sim ${i}\n` },
      });
    });
    // One more that is only queued in its file but unknown to Slurm: in an inconsistent state.
    makeJob({ jobId: '999998', inputDir: join(workspace, 'campaign', 'sim9'), jobState: 'queued' });
    const run = await runAction({
      workspace,
      inputs: {
        path: 'campaign/*',
        'shared-storage': 'true',
        destination: 'campaign-results',
        parallel: '2',
      },
      env: slurm.env ?? {},
    });
    const list = jobs(run);
    expect(list.map((j) => j.id)).toEqual([...ids, '999998']);
    expect(list.slice(0, 3).map((j) => j.status)).toEqual(['synced', 'synced', 'synced']);
    expect(list[3]).toMatchObject({
      status: 'failed',
      state: 'in an inconsistent state',
      reason: "Host ('main_node') or working directory ('work_dir') are not defined.",
    });
    expect(run.code, explain(run)).toBe(1);
    for (const [i, id] of ids.entries()) {
      expect(readFileSync(join(workspace, 'campaign-results', id, 'energy.xvg'), 'utf8')).toBe(
        `sim ${i}\n`,
      );
    }
    for (const id of ids) await cli().cancel(id);
  });
});

describe.skipIf(slurmSkip(slurm) || sshSkip(sshd))('over ssh to the real sshd', () => {
  it('fetches a running job from its main node with rsync over ssh', async () => {
    const cli = slurmCli(slurm);
    const id = await cli.submit(['--wrap', 'sleep 300']);
    await cli.waitFor(id, 'RUNNING');
    const inputDir = join(workspace, 'remote');
    const workDir = join(base, 'remote scratch', id);
    makeJob({
      jobId: id,
      inputDir,
      jobState: 'running',
      mainNode: '127.0.0.1',
      workDir,
      files: { 'md log.txt': 'over ssh\n', 'sub dir/x;y.txt': 'odd\n' },
    });
    const run = await runAction({
      workspace,
      inputs: { path: 'remote', 'shared-storage': 'false', ...sshInputs(sshd) },
      env: slurm.env ?? {},
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.status).toBe('synced');
    expect(readFileSync(join(inputDir, 'md log.txt'), 'utf8')).toBe('over ssh\n');
    expect(readFileSync(join(inputDir, 'sub dir/x;y.txt'), 'utf8')).toBe('odd\n');
    await cli.cancel(id);
  });

  it('reports an unreachable node with host and port, after retrying', async () => {
    const inputDir = join(workspace, 'unreachable');
    makeJob({
      jobId: '777777',
      inputDir,
      jobState: 'killed',
      mainNode: '127.0.0.1',
      workDir: '/nonexistent/scratch',
    });
    writeFileSync(join(base, 'marker'), '');
    const run = await runAction({
      workspace,
      inputs: {
        path: 'unreachable',
        'shared-storage': 'false',
        retries: '1',
        ...sshInputs(sshd, { port: 1 }),
      },
      env: slurm.env ?? {},
    });
    expect(run.code).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(run.outputs.reason).toContain(
      "Could not rsync files between '127.0.0.1:/nonexistent/scratch'",
    );
  });
});
