/**
 * Issue 27 (points 6, 7) and issue 26's `follow` bullet, through the bundle as the runner runs
 * it, asserted on the Markdown written to GITHUB_STEP_SUMMARY: why a job failed (the last lines
 * of its stderr, escaped, and the scheduler's account), the summary read at a glance, and
 * nothing outside the job read on its behalf (a stdout or stderr file that is a symlink to a
 * fake key, or a FIFO) — here and over ssh. PBS answers come from the stand-in `qstat`; one
 * test runs a real Slurm job that fails writing its stderr.
 */

import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runAction } from '../../scripts/run-action.mjs';
import type { Scene } from '../corpus/harness.js';
import { explain } from '../support/explain.js';
import { makeJob } from '../support/jobs.js';
import { sceneMaker } from '../support/scenes.js';
import { slurmCli, slurmSkip, sshInputs, sshSkip } from '../support/services.js';
import { cleanTemps, tempDir } from '../support/temp.js';

const sshd = inject('sshd');
const slurm = inject('slurm');
// The sshd's user reads the scene's scratch over ssh.
const scene = sceneMaker('qq-sync-why-failed-', (s) => chmodSync(s.base, 0o755));
afterAll(() => cleanTemps());

const KEY = 'fake-private-key-material-7f3a';
/** A key of the runner's user, outside every job. */
function fakeKey(s: Scene): string {
  const file = join(s.base, 'id_ed25519');
  writeFileSync(file, `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY}\n`);
  return file;
}

/** The `<details>` blocks after the table: the "why it failed" part. */
const whyPart = (summary: string) => summary.slice(summary.indexOf('<h3>Why the'));

const HOSTILE_ERR = [
  'Fatal error: step 5000: particles moved too far',
  '</details></pre><script>alert(1)</script>',
  '',
  '| a | b |',
  '```',
  '::error::PWNED',
  "it's `done` & over",
  '',
].join('\n');

describe('why a job failed, in the summary', () => {
  it('a failed job: the last lines of its stderr (escaped, one line of HTML) and the scheduler’s walltime kill', async () => {
    const s = scene();
    const id = s.pbsJob('F', 'node1.example.org', -29);
    appendFileSync(
      join(s.records, `${id}.txt`),
      [
        '    resources_used.walltime = 01:00:04',
        '    resources_used.mem = 1204kb',
        '    Resource_List.walltime = 01:00:00',
        '    Resource_List.mem = 4gb',
        '',
      ].join('\n'),
    );
    const lines = Array.from({ length: 30 }, (_, i) => `noise ${i}`).join('\n');
    s.job(
      'sim',
      { jobId: id, jobState: 'failed', exitCode: 1 },
      { 'md.log': 'x\n', 'run_md.err': `${lines}\n${HOSTILE_ERR}` },
    );
    const run = await s.run({ path: 'sim', 'shared-storage': 'true' });
    expect(run.code, explain(run)).toBe(0);
    const why = whyPart(run.summary);
    expect(why).toMatch(
      /^<h3>Why the job failed<\/h3>\n<details open><summary>⚠️ \S+ \(run_md\.sh\) failed \(exit 1\) · walltime 01:00:04 of 01:00:00 · memory 1.2 MiB of 4.0 GiB · the scheduler stopped it at its walltime limit \(Exit_status -29\)<\/summary><p>Last 20 lines of <code>run_md\.err<\/code> \(the fetched copy\):<\/p><pre>noise 17&#10;/,
    );
    expect(why).toContain(
      '&#10;&lt;/details&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#10;&#10;| a | b |&#10;```&#10;::error::PWNED&#10;it&#39;s `done` &amp; over</pre></details>\n',
    );
    expect(why.trimEnd().split('\n')).toHaveLength(2);
    expect(run.summary).not.toContain('<script>');
    expect(run.summary).toContain('🟥&nbsp;failed<br><sub>walltime limit</sub>');
    // The job's stderr is not printed to the log (only the summary shows it).
    expect(run.stdout).not.toContain('PWNED');

    // stderr-lines: 0 (a public repository): the account stays, the job's text does not.
    const off = await s.run({ path: 'sim', 'shared-storage': 'true', 'stderr-lines': '0' });
    expect(off.code, explain(off)).toBe(0);
    expect(off.summary).not.toContain('noise');
    expect(off.summary).toContain('Its stderr is not shown (stderr-lines: 0).');
    expect(off.summary).toContain('walltime 01:00:04 of 01:00:00');
  });

  it('a stderr file that is a symlink to a key outside the job is never shown, and says why', async () => {
    const s = scene();
    const key = fakeKey(s);
    const id = s.pbsJob('F', 'node1.example.org', 1);
    const { workDir } = s.job(
      'sim',
      { jobId: id, jobState: 'failed', exitCode: 1 },
      { 'md.log': 'x\n' },
    );
    symlinkSync(key, join(workDir, 'run_md.err'));
    const run = await s.run({ path: 'sim', 'shared-storage': 'true', destination: 'out' });
    expect(run.code, explain(run)).toBe(0);
    expect(run.summary).not.toContain(KEY);
    expect(run.stdout).not.toContain(KEY);
    expect(run.summary).toContain(
      '<p>Its stderr <code>run_md.err</code> is not shown: not read in the fetched copy: it is a symlink.</p>',
    );
  });

  it('killed, failed, not fetched and finished jobs: the rows that fail the step first, marks for the user, no destination for nothing fetched', async () => {
    const s = scene();
    const ok = s.job('c/ok', { jobId: s.pbsJob('R') });
    // qq synchronized it already: copied from its input directory into the destination.
    const synced = s.job('c/synced', {
      jobId: s.pbsJob('F', 'node1.example.org', 0),
      jobState: 'finished',
      exitCode: 0,
    });
    const failed = s.job(
      'c/failed',
      { jobId: s.pbsJob('F', 'node1.example.org', 2), jobState: 'failed', exitCode: 2 },
      { 'run_md.err': 'segfault\n' },
    );
    const killed = s.job('c/killed', {
      jobId: s.pbsJob('F', 'node1.example.org', 271),
      jobState: 'killed',
    });
    const gone = s.job('c/gone', { jobId: s.pbsJob('R') });
    execFileSync('rm', ['-rf', gone.workDir]);
    const run = await s.run({ path: 'c/*/', destination: 'out', 'shared-storage': 'true' });
    expect(run.code, explain(run)).toBe(1);
    const rows = [...run.summary.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td>.*?<\/tr>/g)];
    expect(rows.map((m) => `${m[1]} ${m[2]}`)).toEqual([
      `✖ ${gone.jobId}`,
      `⚠️ ${failed.jobId}`,
      `⚠️ ${killed.jobId}`,
      `✔ ${ok.jobId}`,
      `✔ ${synced.jobId}`,
    ]);
    // The Destination column (the 9th): none where nothing was fetched (the job not fetched).
    const destination = (i: number) => rows[i]?.[0].split('</td><td>')[8];
    expect([0, 1, 2, 3, 4].map(destination)).toEqual([
      '',
      `out/${failed.jobId}`,
      `out/${killed.jobId}`,
      `out/${ok.jobId}`,
      `out/${synced.jobId}`,
    ]);
    // Failed and killed in two colours.
    expect(run.summary).toContain('🟥&nbsp;failed');
    expect(run.summary).toContain('🟧&nbsp;killed');
    expect(whyPart(run.summary)).toContain(
      '<p>The one line of <code>run_md.err</code> (the fetched copy):</p><pre>segfault</pre>',
    );
    expect(run.summary).toContain(
      '<p><sub>✔ fetched · ⚠️ fetched, but the job failed or was killed · ✖ not fetched: an error (the step fails)</sub></p>',
    );
  });

  it('an input error appears once; the title names the shard, and an empty shard says so', async () => {
    const s = scene();
    const bad = await s.run({ path: '.', 'fail-on': 'fialed' });
    expect(bad.code).toBe(1);
    expect(bad.summary.split('unknown condition &#39;fialed&#39;')).toHaveLength(2);
    s.job('one', { jobId: s.pbsJob('Q'), jobState: 'queued' });
    const shards = await Promise.all(
      ['1/2', '2/2'].map((shard) => s.run({ path: 'one', shard, 'shared-storage': 'true' })),
    );
    for (const [i, run] of shards.entries()) {
      expect(run.code, explain(run)).toBe(0);
      expect(run.summary).toContain(`, shard ${i + 1}/2</h2>`);
    }
    expect(shards.map((r) => r.summary.includes('No jobs in shard'))).toContain(true);
    expect(shards.map((r) => r.summary.includes('0 jobs'))).toEqual([false, false]);
  });

  it('a dry run: “would fetch”, with the amounts', async () => {
    const s = scene();
    s.job('d', { jobId: s.pbsJob('R') }, { 'a.txt': 'abc\n' });
    const run = await s.run({ path: 'd', 'shared-storage': 'true', 'dry-run': 'true' });
    expect(run.code, explain(run)).toBe(0);
    expect(run.summary).toContain('would fetch 1 file (4 B)');
    expect(run.summary).toMatch(/<tr><td>○<\/td>/);
  });
});

describe('follow reads nothing outside the job (issue 26)', () => {
  async function follow(s: Scene, extra: Record<string, string>, mainNode?: string) {
    const key = fakeKey(s);
    const { workDir } = s.job('f', { jobId: s.pbsJob('R'), ...(mainNode ? { mainNode } : {}) }, {});
    symlinkSync(key, join(workDir, 'run_md.out'));
    execFileSync('mkfifo', [join(workDir, 'run_md.err')]);
    execFileSync('chmod', ['-R', 'a+rX', s.base]);
    const started = Date.now();
    const run = await s.run(
      {
        path: 'f',
        'wait-for': 'finished',
        'wait-timeout': '3',
        'poll-interval': '1',
        follow: 'true',
        retries: '0',
        ...extra,
      },
      {},
      90_000,
    );
    return { run, took: Date.now() - started };
  }

  it('here: a stdout symlink to a key is not followed, a FIFO as stderr does not hang', async () => {
    const { run, took } = await follow(scene(), { 'shared-storage': 'true' });
    expect(run.stdout, explain(run)).not.toContain(KEY);
    expect(run.stdout).toMatch(/run_md\.out: not followed: it is a symlink/);
    expect(run.stdout).toMatch(/run_md\.err: not followed: it is not a regular file/);
    expect(run.outputs.reason).toMatch(/^Timed out after 3 s/);
    expect(took).toBeLessThan(60_000);
  });

  it.skipIf(sshSkip(sshd))('over ssh: the same', async () => {
    const { run, took } = await follow(
      scene(),
      { 'shared-storage': 'false', ...sshInputs(sshd) },
      '127.0.0.1',
    );
    expect(run.stdout, explain(run)).not.toContain(KEY);
    expect(run.stdout).toMatch(/run_md\.out: not followed: it is a symlink or not a regular file/);
    expect(run.stdout).toMatch(/run_md\.err: not followed: it is a symlink or not a regular file/);
    expect(took).toBeLessThan(80_000);
  });
});

describe.skipIf(slurmSkip(slurm))('a real Slurm job that fails writing its stderr', () => {
  it('the summary shows its last stderr lines and Slurm’s RunTime of TimeLimit', async () => {
    const base = tempDir('why-slurm');
    const workspace = join(base, 'workspace');
    const inputDir = join(workspace, 'md');
    const workDir = join(base, 'scratch', 'md');
    mkdirSync(workDir, { recursive: true });
    const info = makeJob({ jobId: '0', inputDir, jobState: 'running', mainNode: 'n1', workDir });
    const err = join(workDir, 'run_md.err');
    // What qq run does around the script: its stderr into run_md.err, the state at the end.
    const script = [
      'sleep 3',
      `echo 'reading topol.tpr' >> '${err}'`,
      `echo 'Fatal error: No such file: conf.gro <missing>' >> '${err}'`,
      `sed -i -e 's/^job_state: running/job_state: failed/' '${info}'`,
      `echo 'job_exit_code: 3' >> '${info}'`,
      'exit 3',
    ].join('; ');
    const id = await slurmCli(slurm).submit(['--time=5', '--wrap', script]);
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
        path: 'md',
        'shared-storage': 'true',
        'wait-for': 'failed, finished',
        'poll-interval': '1',
        'wait-timeout': '60',
      },
      env: slurm.env ?? {},
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.state).toBe('failed');
    const why = whyPart(run.summary);
    expect(why).toMatch(
      new RegExp(
        `<summary>⚠️ ${id} \\(run_md\\.sh\\) failed \\(exit 3\\) · walltime 00:00:\\d\\d of 00:05:00</summary>`,
      ),
    );
    expect(why).toContain(
      '<pre>reading topol.tpr&#10;Fatal error: No such file: conf.gro &lt;missing&gt;</pre>',
    );
    // The wait is part of the job's time.
    expect(run.summary).toMatch(/<br><sub>waited&nbsp;\d+\.\d&nbsp;s<\/sub><\/td><\/tr>/);
  });
});
