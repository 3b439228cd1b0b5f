/**
 * End to end against a REAL OpenPBS (test/setup/pbs.global.ts): the committed bundle, run as
 * the runner runs it, asks the real `qstat -fxw` about real PBS jobs (submitted as the test
 * user, `sleep`/`true`/`exit 3`), in info-file mode and in job-id mode, and with a PBS server
 * that does not answer.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ActionRun, runAction } from '../../scripts/run-action.mjs';
import { argvLoggingBin, loggedCalls } from '../support/call-log.js';
import { explain } from '../support/explain.js';
import { makeJob } from '../support/jobs.js';
import { pbsDelete, pbsSkip, pbsSubmit, providedPbs, waitForPbsJob } from '../support/openpbs.js';

const provided = inject('pbs');
const skip = pbsSkip(provided, 'end-to-end cases against a real OpenPBS');
let base: string;
const submitted: string[] = [];

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'qq-sync-e2e-pbs-'));
});
afterAll(async () => {
  if (!skip) await pbsDelete(submitted);
  rmSync(base, { recursive: true, force: true });
});

function jobs(run: ActionRun): Array<Record<string, unknown>> {
  return JSON.parse(run.outputs.jobs ?? '[]');
}

describe.skipIf(skip)('end to end against a REAL OpenPBS', () => {
  const P = () => providedPbs(provided);
  const submit = async (args: string[]) => {
    const id = await pbsSubmit(P(), args);
    submitted.push(id);
    return id;
  };
  const env = () => ({ PATH: `${P().binDir}:${process.env.PATH}` });

  it('a campaign of a running, a finished and a failed PBS job: one qstat, each job its state and node', async () => {
    console.log(`e2e: against a REAL OpenPBS ${provided.version}`);
    const workspace = join(base, 'campaign');
    const [running, done, failed] = await Promise.all([
      submit(['--', '/bin/sleep', '300']),
      submit(['--', '/bin/true']),
      submit(['--', '/bin/sh', '-c', 'exit 3']),
    ]);
    await Promise.all([
      waitForPbsJob(running as string, 'R'),
      waitForPbsJob(done as string, 'F'),
      waitForPbsJob(failed as string, 'F'),
    ]);
    const job = (dir: string, jobId: string, jobState: string, exitCode?: number) =>
      makeJob({
        batchSystem: 'PBS',
        jobId,
        inputDir: join(workspace, 'jobs', dir),
        jobState,
        exitCode,
        mainNode: P().node,
        workDir: join(base, 'scratch', dir),
        files: { 'result.txt': `${dir}\n` },
      });
    job('running', running as string, 'running');
    job('done', done as string, 'finished', 0);
    job('failed', failed as string, 'failed', 3);
    // Counted from outside: a wrapper first on PATH logs each qstat's argv, then runs the real one.
    const callLog = join(base, 'calls.log');
    const wrappers = argvLoggingBin(join(base, 'wrap'), ['qstat'], callLog);
    const run = await runAction({
      workspace,
      inputs: { path: 'jobs/*', 'shared-storage': 'true' },
      env: { ...env(), PATH: `${wrappers}:${env().PATH}` },
    });
    expect(run.code, explain(run)).toBe(0);
    const calls = loggedCalls(callLog);
    expect(calls.length, JSON.stringify(calls)).toBe(1);
    expect(calls[0]?.slice(0, 2)).toEqual(['qstat', '-fxw']);
    expect(calls[0]?.slice(2).sort()).toEqual([running, done, failed].sort());
    const states = jobs(run).map((j) => [j['job-id'] ?? j.id, j.state, j.status]);
    expect(states, explain(run)).toEqual(
      expect.arrayContaining([
        [running, 'running', 'synced'],
        // qq's rule: a job that finished with transfer mode `success` was fetched by qq
        // itself and its working directory removed.
        [done, 'finished', 'skipped'],
        [failed, 'failed', 'synced'],
      ]),
    );
    expect(readFileSync(join(workspace, 'jobs', 'failed', 'result.txt'), 'utf8')).toBe('failed\n');
    expect(readFileSync(join(workspace, 'jobs', 'running', 'result.txt'), 'utf8')).toBe(
      'running\n',
    );
    // The node read from OpenPBS's exec_host (it prints no exec_host2).
    expect(run.stdout).toContain(`Running for`);
    expect(run.stdout).toContain(`on '${P().node}'`);
  });

  it('job-id mode: a real PBS id resolves to its info file through QQ_INFO; an unknown one does not exist', async () => {
    const workspace = join(base, 'byid');
    const inputDir = join(workspace, 'sim');
    mkdirSync(inputDir, { recursive: true });
    const id = await submit([
      '-N',
      'run_md.sh',
      '-v',
      `QQ_INFO=${join(inputDir, 'run_md.qqinfo')}`,
      '--',
      '/bin/sleep',
      '300',
    ]);
    await waitForPbsJob(id, 'R');
    makeJob({
      batchSystem: 'PBS',
      jobId: id,
      inputDir,
      jobState: 'running',
      mainNode: P().node,
      workDir: join(base, 'scratch', 'byid'),
      files: { 'out.txt': 'by id' },
    });
    const run = await runAction({
      workspace,
      inputs: { 'job-id': id, 'batch-system': 'PBS', 'shared-storage': 'true', destination: 'got' },
      env: env(),
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs['job-id']).toBe(id);
    expect(run.outputs.state).toBe('running');
    expect(readFileSync(join(workspace, 'got', 'out.txt'), 'utf8')).toBe('by id');
    // The number alone: PBS completes it with its default server.
    const short = await runAction({
      workspace,
      inputs: {
        'job-id': id.split('.')[0] as string,
        'batch-system': 'PBS',
        'shared-storage': 'true',
        destination: 'got2',
      },
      env: env(),
    });
    expect(short.code, explain(short)).toBe(0);
    expect(readFileSync(join(workspace, 'got2', 'out.txt'), 'utf8')).toBe('by id');
    const unknown = await runAction({
      workspace,
      inputs: { 'job-id': `999997.${provided.server}`, 'batch-system': 'PBS' },
      env: env(),
    });
    expect(unknown.code).toBe(1);
    expect(unknown.outputs.reason).toBe(`Job '999997.${provided.server}' does not exist.`);
  });

  it('a PBS server that does not answer: a WARNING that PBS could not be asked, the job still handled', async () => {
    const workspace = join(base, 'down');
    const id = await submit(['--', '/bin/sleep', '300']);
    await waitForPbsJob(id, 'R');
    makeJob({
      batchSystem: 'PBS',
      jobId: id,
      inputDir: join(workspace, 'sim'),
      jobState: 'running',
      mainNode: P().node,
      workDir: join(base, 'scratch', 'down'),
      files: { 'out.txt': 'x' },
    });
    // The real qstat, told to use a server where nothing listens: a stopped PBS server.
    const run = await runAction({
      workspace,
      inputs: { path: 'sim', 'shared-storage': 'true' },
      env: { ...env(), PBS_BATCH_SERVICE_PORT: '15999' },
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout, explain(run)).toMatch(
      /::warning::PBS scheduler could not be asked \(qstat could not reach the PBS server: cannot connect to server /,
    );
    // qq's answer without the scheduler: its file says running, PBS said nothing.
    expect(run.outputs.state).toBe('in an inconsistent state');
  });
});
