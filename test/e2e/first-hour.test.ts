/**
 * A user's first hour, through the bundle as the runner runs it: inputs written the usual
 * ways, messages that say what to do, and a summary that tells the truth. PBS jobs are answered
 * by the stand-in `qstat` of test/support/pbs (PBS cannot be installed here); ssh and rsync are
 * real (the shared sshd on loopback).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { jobRows } from '../corpus/harness.js';
import { explain, stepError } from '../support/explain.js';
import { freePort } from '../support/ports.js';
import { sceneMaker } from '../support/scenes.js';
import { sshSkip } from '../support/services.js';

const sshd = inject('sshd');
const scene = sceneMaker('qq-sync-first-hour-');

/** Workflow commands of one kind in the log (`::error`, `::warning`, `::notice`). */
function commands(stdout: string, kind: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind} `) || l.startsWith(`::${kind}::`));
}

describe('inputs written the usual ways', () => {
  it.skipIf(sshSkip(sshd))(
    'ssh-options on one line, -oX=y, -pNNNN, quoted values and ~; durations with units',
    async () => {
      const s = scene();
      s.job('job', { mainNode: '127.0.0.1' }, { 'out.txt': 'over ssh\n' });
      // The key under a home whose path has a space, named with ~ in a quoted word.
      const home = join(s.base, 'home dir');
      mkdirSync(join(home, '.ssh'), { recursive: true });
      copyFileSync(sshd.keyPath as string, join(home, '.ssh', 'qq key'));
      const run = await s.run(
        {
          path: 'job',
          'shared-storage': 'false',
          'ssh-options': [
            `-p${sshd.port} -i ~/.ssh/"qq key" -l ${sshd.user}`,
            `-oUserKnownHostsFile="${sshd.knownHostsPath}" -o "ConnectTimeout=20"`,
          ].join('\n'),
          'strict-host-key-checking': 'yes',
          'wait-for': 'running',
          'wait-timeout': '30m',
          'poll-interval': '90s',
          'scheduler-timeout': '1m',
          'transfer-timeout': '1h30m',
        },
        { HOME: home },
      );
      expect(run.code, explain(run)).toBe(0);
      expect(run.outputs.status).toBe('synced');
      expect(readFileSync(join(s.workspace, 'job', 'out.txt'), 'utf8')).toBe('over ssh\n');
    },
  );

  it('ssh-options that are not ssh options are refused when the inputs are read, naming the input', async () => {
    const s = scene();
    s.job('job');
    const run = await s.run({ path: 'job', 'ssh-options': '-p 2222 gateway' });
    expect(run.code).toBe(1);
    const message =
      "Input 'ssh-options', line '-p 2222 gateway': 'gateway' is not an ssh option; write ssh options like '-p 2222', '-i ~/.ssh/key' or '-o ProxyJump=gw'.";
    expect(run.outputs.reason).toBe(message);
    // Before any job was read or any scheduler asked.
    expect(run.stdout).not.toContain('Found ');
    expect(commands(run.stdout, 'error')).toHaveLength(1);
    // The summary says what was wrong, with no empty table.
    expect(run.summary).toContain(`The step failed: ${message.replaceAll("'", '&#39;')}`);
    expect(run.summary).not.toContain('<table>');
  });

  it('job-id, fail-on and wait-for take commas, whitespace and newlines alike', async () => {
    const s = scene();
    const run = await s.run({
      'job-id': '7001.pbs-m1.metacentrum.cz, 7002.pbs-m1.metacentrum.cz',
      'batch-system': 'PBS',
      'fail-on': 'failed killed',
      'wait-for': 'finished,\nfailed killed',
      'wait-timeout': '0s',
    });
    const rows = jobRows(run);
    expect(
      rows.map((r) => r.id),
      explain(run),
    ).toEqual(['7001.pbs-m1.metacentrum.cz', '7002.pbs-m1.metacentrum.cz']);
    expect(rows.map((r) => r.reason)).toEqual([
      "Job '7001.pbs-m1.metacentrum.cz' does not exist.",
      "Job '7002.pbs-m1.metacentrum.cz' does not exist.",
    ]);
    // One annotation per failed job, and nothing repeating them.
    expect(commands(run.stdout, 'error')).toHaveLength(2);
    expect(run.code).toBe(1);
  });

  it('a state-code output that workflows can compare, next to qq’s text in state', async () => {
    const s = scene();
    const id = s.pbsJob('Q');
    s.job('job', { jobId: id, jobState: 'running' });
    const run = await s.run({ path: 'job', 'fail-on': 'inconsistent' });
    expect(run.outputs.state, explain(run)).toBe('in an inconsistent state');
    expect(run.outputs['state-code']).toBe('inconsistent');
    expect(JSON.parse(run.outputs.jobs ?? '[]')[0].stateCode).toBe('inconsistent');
    expect(run.code).toBe(1);
  });
});

describe('messages that say what to do', () => {
  it('no info file: every path searched, the workspace, the likely cause; one error, no count', async () => {
    const s = scene();
    mkdirSync(join(s.workspace, 'empty'));
    const run = await s.run({ path: 'empty\ndoes-not-exist' });
    expect(run.code).toBe(1);
    // `reason` is qq's sentence; the step's one error says what was searched beside it.
    expect(run.outputs.reason).toBe('No qq job info file found.');
    const reason = stepError(run);
    expect(reason).toMatch(/^No qq job info file found\. /);
    expect(reason).toContain(`in the workspace '${s.workspace}'`);
    expect(reason).toContain(
      `'${join(s.workspace, 'empty')}' (a directory with no *.qqinfo file (empty))`,
    );
    expect(reason).toContain(`'${join(s.workspace, 'does-not-exist')}' (does not exist)`);
    expect(reason).toContain("'path' does not name the directory the job was submitted from");
    expect(commands(run.stdout, 'error')).toHaveLength(1);
    expect(run.stdout).not.toContain('Found ');
  });

  it('path: a directory the runner does not have gives one error and no wrong count; the cause names the runner', async () => {
    const s = scene();
    // Not even its parent exists here: the cluster's storage is not mounted (a parent that
    // exists means a wrong name: test/e2e/edges.test.ts).
    const run = await s.run({ path: '/nonexistent-qq-storage/home/sim' });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('Found 1 job(s).');
    expect(commands(run.stdout, 'error')).toHaveLength(1);
    expect(stepError(run)).toContain('self-hosted runner on the cluster');
    expect(jobRows(run)).toEqual([]);
  });

  it('a files entry that matches nothing: the step passes as in qq, with a warning naming it', async () => {
    const s = scene();
    const { workDir } = s.job('job', {}, { 'a.txt': 'a\n', 'sub/b.txt': 'b\n' });
    const run = await s.run({
      path: 'job',
      'shared-storage': 'true',
      files: 'a.txt, sub/b.txt, nothere.txt, *.xyz, sub/*.txt',
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.status).toBe('synced');
    const warnings = commands(run.stdout, 'warning');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(
      `::'files' entry 'nothere.txt' matched nothing in the working directory '${workDir}': nothing was fetched for it.`,
    );
    expect(warnings[1]).toContain("'files' entry '*.xyz' matched nothing");
    expect(readFileSync(join(s.workspace, 'job', 'sub', 'b.txt'), 'utf8')).toBe('b\n');
  });

  it('cache: true where the cache service is not available: one warning', async () => {
    const s = scene();
    s.job('a');
    s.job('b');
    const run = await s.run(
      { path: 'a\nb', 'shared-storage': 'true', cache: 'true' },
      { ACTIONS_CACHE_URL: '', ACTIONS_RESULTS_URL: '', ACTIONS_RUNTIME_TOKEN: '' },
    );
    expect(run.code, explain(run)).toBe(0);
    const warnings = commands(run.stdout, 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^::warning title=qq-sync%3A cache not available::The GitHub Actions cache service is not available/,
    );
  });
});

describe('a summary that tells the truth', () => {
  it('fail-on failing the step is the headline; exit codes; the step id in the heading', async () => {
    const s = scene();
    const id = s.pbsJob('F', 'node1.example.org', 3);
    s.job('sim', { jobId: id, jobState: 'failed', exitCode: 3 }, { 'md.log': 'Fatal\n' });
    const run = await s.run(
      { path: 'sim', 'shared-storage': 'true', 'fail-on': 'failed' },
      { GITHUB_ACTION: 'sync' },
    );
    expect(run.code, explain(run)).toBe(1);
    expect(run.outputs.status).toBe('synced');
    expect(run.summary).toContain('<h2>qq-sync: step sync, path sim</h2>');
    // The headline says what happened in words; the next line why the step failed.
    expect(run.summary).toContain(
      `<strong>Job ${id} (run_md.sh) failed (exit 3); its files were fetched (1 file, 6 B).</strong>`,
    );
    expect(run.summary).toContain(
      `<p>The step failed: fail-on: job ${id} (run_md.sh) failed (exit 3).</p>`,
    );
    expect(run.summary).toContain('<th>Exit</th>');
    expect(run.summary).toContain('<td>🟥&nbsp;failed</td><td>3</td><td>fetched</td>');
    expect(run.summary).not.toContain('status synced</strong>');
    // A step without an id is told apart by its paths.
    const other = await s.run(
      { path: 'sim', 'shared-storage': 'true' },
      { GITHUB_ACTION: '__your-org_qq-sync' },
    );
    expect(other.summary).toContain('<h2>qq-sync: path sim</h2>');
  });

  it('a job qq already synchronized, or run in its input directory, is a notice', async () => {
    const s = scene();
    const done = s.pbsJob('F', 'node1.example.org', 0);
    s.job('done', {
      jobId: done,
      jobState: 'finished',
      exitCode: 0,
      workDir: join(s.scratch, 'gone'),
    });
    // qq's rule: the same directory, and the job ran on the machine it was submitted from.
    s.job(
      'inplace',
      {
        jobId: s.pbsJob('R', 'login1.example.org'),
        mainNode: 'login1.example.org',
        workDir: join(s.workspace, 'inplace'),
      },
      {},
    );
    const run = await s.run({ path: 'done\ninplace', 'shared-storage': 'true' });
    expect(run.code, explain(run)).toBe(0);
    expect(commands(run.stdout, 'warning')).toEqual([]);
    const notices = commands(run.stdout, 'notice');
    expect(notices).toHaveLength(2);
    // Each message names its job: the log view does not show the title.
    expect(notices[0]).toContain(
      `::${done} (run_md.sh): Job has been completed and was synchronized: working directory no longer exists.`,
    );
    expect(notices[1]).toContain(
      '(run_md.sh): Working directory of the job is the input directory of the job: implicitly synchronized.',
    );
  });

  it('500 jobs: counts in the headline, a bar of states, a complete table under the size limit', async () => {
    const s = scene();
    const name = `<b>&${'n'.repeat(300)}`;
    const lines: string[] = [];
    for (let i = 0; i < 500; i++) {
      const dir = `c/j${String(i).padStart(3, '0')}`;
      if (i < 300) s.job(dir, { jobId: s.pbsJob('Q'), jobState: 'queued', jobName: name });
      else if (i < 490) {
        const id = s.pbsJob('F', 'node1.example.org', 0);
        s.job(dir, {
          jobId: id,
          jobState: 'finished',
          exitCode: 0,
          workDir: join(s.scratch, 'gone'),
          jobName: name,
        });
      } else s.job(dir, { jobId: s.pbsJob('R'), jobState: 'running', jobName: name });
      lines.push(dir);
    }
    const run = await s.run({ path: 'c/*', 'shared-storage': 'true', parallel: '8' });
    expect(run.code, explain(run)).toBe(0);
    expect(jobRows(run)).toHaveLength(500);
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
    expect(run.summary.match(/<tr><td>/g)).toHaveLength(500);
    expect(run.summary).not.toContain('not shown');
    expect(run.summary).toContain(
      '<strong>500 jobs: 10 fetched (10 files, 170 B), 490 nothing to fetch.</strong>',
    );
    // A bar of the states, in their colours, above the table.
    const bar = run.summary.indexOf('<br>🟩 finished 190 · 🟦 running 10 · ⬜ queued 300</p>');
    expect(bar).toBeGreaterThan(0);
    expect(bar).toBeLessThan(run.summary.indexOf('<table>'));
    expect(run.summary).not.toContain('mermaid');
    // Each reason on its job's row, in a few words, the whole text one click away.
    expect(
      run.summary.match(
        /<details><summary>nothing to fetch \(queued\)<\/summary>Job is queued or booting: nothing to sync.<\/details>/g,
      ),
    ).toHaveLength(300);
    expect(run.summary).not.toContain('<b>&');
  }, 180_000);
});

describe('retries to one node', () => {
  it('add jitter, so that parallel jobs do not retry in lockstep', async () => {
    const s = scene();
    for (const d of ['a', 'b', 'c', 'd']) s.job(d, { mainNode: '127.0.0.1' });
    const port = await freePort();
    const run = await s.run({
      path: 'a\nb\nc\nd',
      'shared-storage': 'false',
      'ssh-options': `-p ${port}`,
      retries: '2',
      parallel: '4',
    });
    expect(run.code).toBe(1);
    const delays = [
      ...run.stdout.matchAll(/Attempt (\d) failed [\s\S]*?; retrying in ([\d.]+) s\./g),
    ].map((m) => ({ attempt: Number(m[1]), sec: Number(m[2]) }));
    expect(delays, explain(run)).toHaveLength(8);
    // Equal jitter: between half and all of the backoff (2 s, then 4 s).
    for (const d of delays) {
      const full = 2 * 2 ** (d.attempt - 1);
      expect(d.sec).toBeGreaterThanOrEqual(full / 2);
      expect(d.sec).toBeLessThanOrEqual(full);
    }
    const first = new Set(delays.filter((d) => d.attempt === 1).map((d) => d.sec));
    const second = new Set(delays.filter((d) => d.attempt === 2).map((d) => d.sec));
    expect(first.size + second.size).toBeGreaterThan(2);
    expect(existsSync(join(s.workspace, 'a', 'result.txt'))).toBe(false);
    // One annotation per failed job, and nothing repeating them.
    expect(commands(run.stdout, 'error')).toHaveLength(4);
  }, 120_000);
});
