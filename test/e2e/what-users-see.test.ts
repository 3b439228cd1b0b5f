/**
 * What a user sees, through the bundle as the runner runs it (issue 20): failures that show
 * although the step stays green, annotations that name their job, log groups titled with the
 * outcome, inputs given as empty, actions/checkout's clean deleting a campaign, and the
 * smaller messages. PBS answers come from the stand-in `qstat` of test/support/pbs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionDefaults, root } from '../../scripts/run-action.mjs';
import { jobRows } from '../corpus/harness.js';
import { explain, stepError } from '../support/explain.js';
import { sceneMaker } from '../support/scenes.js';

const scene = sceneMaker('qq-sync-users-see-');

/** Workflow commands of one kind in the log (`error`, `warning`, `notice`, `group`). */
function commands(stdout: string, kind: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind} `) || l.startsWith(`::${kind}::`));
}

describe('failures that show', () => {
  it('a failed job without fail-on: the step stays green, one warning names it, its state and exit code', async () => {
    const s = scene();
    const id = s.pbsJob('F', 'node1.example.org', 1);
    s.job('sim', { jobId: id, jobState: 'failed', exitCode: 1 }, { 'md.log': 'Fatal\n' });
    const run = await s.run({ path: 'sim', 'shared-storage': 'true' });
    expect(run.code, explain(run)).toBe(0);
    expect(commands(run.stdout, 'warning')).toEqual([
      `::warning title=qq-sync%3A ${id} failed::Job ${id} (run_md.sh) failed (exit 1); fetched 1 file, 6 B. The step does not fail on it (fail-on: failed would).`,
    ]);
    expect(run.summary).toContain(
      `<strong>Job ${id} (run_md.sh) failed (exit 1); its files were fetched (1 file, 6 B).</strong>`,
    );
    // Gated, the same job fails the step with a titled error and no warning.
    const gated = await s.run({ path: 'sim', 'shared-storage': 'true', 'fail-on': 'failed' });
    expect(gated.code).toBe(1);
    expect(commands(gated.stdout, 'warning')).toEqual([]);
    expect(commands(gated.stdout, 'error')).toEqual([
      `::error title=qq-sync%3A fail-on::fail-on: job ${id} (run_md.sh) failed (exit 1).`,
    ]);
  });

  it('many jobs not fetched: at most 10 warnings, the last summing up the rest; each names its job', async () => {
    const s = scene();
    const dirs = Array.from({ length: 14 }, (_, i) => `q${String(i).padStart(2, '0')}`);
    for (const d of dirs) s.job(d, { jobId: s.pbsJob('Q'), jobState: 'queued' });
    const run = await s.run({ path: 'q*', 'shared-storage': 'true' });
    expect(run.code, explain(run)).toBe(0);
    const warnings = commands(run.stdout, 'warning');
    expect(warnings).toHaveLength(10);
    for (const w of warnings.slice(0, 9)) {
      expect(w).toMatch(
        /^::warning title=qq-sync%3A \d+\.\S+ not fetched::\d+\.\S+ \(run_md\.sh\): Job is queued or booting: nothing to sync\.$/,
      );
    }
    expect(warnings[9]).toMatch(/^::warning title=qq-sync%3A 5 more warnings::5 more warnings: /);
    // A warning printed earlier in the run counts against the same limit.
    const early = await s.run({ path: 'q*', 'shared-storage': 'true', follow: 'true' });
    const all = commands(early.stdout, 'warning');
    expect(all, explain(early)).toHaveLength(10);
    expect(all[0]).toContain('follow without wait-for');
    expect(all[9]).toMatch(/^::warning title=qq-sync%3A 6 more warnings::6 more warnings: /);
  });
});

describe('log groups titled with the outcome', () => {
  it('several jobs: one group each, printed when the job is done, its title saying how it ended', async () => {
    const s = scene();
    const fetched = s.job('a', { jobId: s.pbsJob('R') }, { 'x.txt': 'x\n', 'y.txt': 'yy\n' });
    const queued = s.job('b', { jobId: s.pbsJob('Q'), jobState: 'queued' });
    const broken = s.job('c', { jobId: s.pbsJob('R') });
    rmSync(broken.workDir, { recursive: true });
    const run = await s.run({ path: 'a\nb\nc', 'shared-storage': 'true' });
    expect(run.code, explain(run)).toBe(1);
    const groups = commands(run.stdout, 'group');
    expect(groups).toContain(`::group::✔ ${fetched.jobId} (run_md.sh): fetched 2 files, 5 B`);
    expect(groups).toContain(`::group::– ${queued.jobId} (run_md.sh): nothing to fetch (queued)`);
    expect(groups).toContain(
      `::group::✖ ${broken.jobId} (run_md.sh): failed: working directory not found`,
    );
    // A group's lines follow its title: the job's own state line is inside it.
    const a = run.stdout.indexOf(`::group::✔ ${fetched.jobId}`);
    expect(run.stdout.indexOf('Job state: Job is running', a)).toBeGreaterThan(a);
  });

  it('a single job: its lines as they come, then one line with the outcome', async () => {
    const s = scene();
    const { jobId } = s.job('one', { jobId: s.pbsJob('R') });
    const run = await s.run({ path: 'one', 'shared-storage': 'true' });
    expect(run.code, explain(run)).toBe(0);
    expect(commands(run.stdout, 'group')).toEqual([]);
    const lines = run.stdout.split('\n');
    const state = lines.indexOf('Job state: Job is running');
    const outcome = lines.indexOf(`✔ ${jobId} (run_md.sh): fetched 1 file, 14 B`);
    expect(state).toBeGreaterThanOrEqual(0);
    expect(outcome).toBeGreaterThan(state);
  });
});

describe('inputs and the workspace', () => {
  it('every input given as empty means its default (a reusable workflow passes unset ones as "")', async () => {
    const s = scene();
    s.job('job', { jobId: s.pbsJob('R') });
    const empty = Object.fromEntries(Object.keys(actionDefaults()).map((k) => [k, '']));
    const run = await s.run({ ...empty, path: 'job', 'shared-storage': 'true' });
    expect(run.code, explain(run)).toBe(0);
    expect(run.outputs.status).toBe('synced');
    // Nothing at all but the path (a queued job: nothing to fetch, no ssh): the defaults apply.
    s.job('queued', { jobId: s.pbsJob('Q'), jobState: 'queued' });
    const bare = await s.run({ ...empty, path: 'queued' });
    expect(bare.code, explain(bare)).toBe(0);
    expect(bare.outputs.status).toBe('skipped');
  });

  it("actions/checkout's clean (git clean -ffdx) deletes an untracked campaign; the error says so", async () => {
    const s = scene();
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', s.workspace, ...args], { stdio: 'pipe', timeout: 30_000 });
    git('init', '-q');
    writeFileSync(join(s.workspace, 'README'), 'repo\n');
    git('add', 'README');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init');
    s.job('campaign/j1', { jobId: s.pbsJob('R') });
    const before = await s.run({ path: 'campaign/*/', 'shared-storage': 'true' });
    expect(before.code, explain(before)).toBe(0);
    // What actions/checkout does with its default clean: true.
    git('clean', '-ffdx');
    mkdirSync(join(s.workspace, 'campaign'));
    const after = await s.run({ path: 'campaign', 'shared-storage': 'true' });
    expect(after.code).toBe(1);
    expect(stepError(after)).toContain(
      "The workspace is a git checkout: actions/checkout with its default 'clean: true' runs 'git clean -ffdx', which deletes untracked job directories and .qqinfo files in it. Keep campaigns outside the checkout (an absolute 'path'), or check out with 'clean: false'.",
    );
  });
});

describe('smaller messages', () => {
  it("a files entry outside the working directory says it is the 'files' input", async () => {
    const s = scene();
    s.job('job', { jobId: s.pbsJob('R') });
    const run = await s.run({ path: 'job', 'shared-storage': 'true', files: '../../etc/passwd' });
    expect(run.code).toBe(1);
    // qq's sentence exactly as the reason; our hint next to it, in the log, annotation and summary.
    const reason = jobRows(run)[0]?.reason ?? '';
    expect(reason).toMatch(/^Item '[^']*\/etc\/passwd' is not in target directory '[^']*'\.$/);
    expect(run.outputs.reason).toBe(reason);
    const hint =
      "It is an entry of the 'files' input, which takes paths inside the job's working directory";
    expect(run.stdout).toContain(hint);
    expect(commands(run.stdout, 'error').join('\n')).toContain(`${reason} ${hint}`);
    expect(run.summary).toContain('It is an entry of the ');
  });

  it('follow: true without wait-for warns that nothing is followed', async () => {
    const s = scene();
    s.job('job', { jobId: s.pbsJob('R') });
    const run = await s.run({ path: 'job', 'shared-storage': 'true', follow: 'true' });
    expect(run.code, explain(run)).toBe(0);
    expect(commands(run.stdout, 'warning')).toEqual([
      "::warning title=qq-sync%3A follow without wait-for::follow: true streams a job's output only while waiting, and wait-for is empty: nothing is followed. Set wait-for (for example 'finished, failed, killed') or drop follow.",
    ]);
  });

  it('an unknown PBS job id without a server: the hint names the NNN.server form', async () => {
    const s = scene();
    const run = await s.run({ 'job-id': '4242', 'batch-system': 'PBS' });
    expect(run.code).toBe(1);
    // qq's sentence as the reason; the hint next to it (log, annotation, summary).
    expect(run.outputs.reason).toBe("Job '4242' does not exist.");
    const hint =
      "A job of another PBS server needs its full id, NNN.server, as qstat prints it (for example '4242.pbs-m1.metacentrum.cz').";
    expect(run.stdout).toContain(hint);
    expect(commands(run.stdout, 'error').join('\n')).toContain(
      `Job '4242' does not exist. ${hint}`,
    );
    expect(run.summary).toContain('A job of another PBS server needs its full id');
  });

  it('scripts/run-action.mjs --help prints its usage', () => {
    const out = execFileSync(
      process.execPath,
      [join(root, 'scripts', 'run-action.mjs'), '--help'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(out).toMatch(
      /^Usage: node scripts\/run-action\.mjs \[--workspace DIR\] \[NAME=VALUE \.\.\.\]/,
    );
  });

  it('the demo prints the summary as lines, with no words run together', () => {
    const out = execFileSync(process.execPath, [join(root, 'demo', 'demo.mjs')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(out).toContain(
      'Job 4242.pbs-demo (run_md.sh) failed (exit 1); its files were fetched (4 files, 157 B).',
    );
    expect(out).not.toMatch(/[a-z0-9]By /);
    expect(out).not.toMatch(/&[a-z]+;/);
    expect(out).toContain('Demo done');
  }, 150_000);
});
