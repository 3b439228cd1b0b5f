/**
 * The edges where the action used to do something else than the user meant, and said nothing
 * (issue 27): exclude as a one-line list, a dry run that said `synced`, a job qq already
 * synchronized missing from `destination`, a layout that followed the match count, shards of
 * consecutive ids, and the log (group order, zero counts, what a message compared, the right
 * word blamed). Through the bundle; jobs of the real Slurm where the point is about jobs, the
 * stand-in `qstat` of test/support/pbs elsewhere.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type ActionRun, runAction } from '../../scripts/run-action.mjs';
import { ENTRY, jobRows } from '../corpus/harness.js';
import { requireCurrentBundle } from '../support/bundle.js';
import { explain, stepError } from '../support/explain.js';
import { makeJob } from '../support/jobs.js';
import { sceneMaker } from '../support/scenes.js';
import { slurmCli, slurmSkip } from '../support/services.js';
import { cleanTemps, tempDir } from '../support/temp.js';

requireCurrentBundle();
const slurm = inject('slurm');
const scene = sceneMaker('qq-sync-edges-');
afterAll(() => cleanTemps());

/** Workflow commands of one kind in the log (`warning`, `error`, `group`). */
function commands(stdout: string, kind: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind} `) || l.startsWith(`::${kind}::`));
}

function jobsOf(run: ActionRun): Array<Record<string, unknown>> {
  return JSON.parse(run.outputs.jobs ?? '[]');
}

describe('exclude as a list', () => {
  it('a one-line comma list is several patterns, [,] a literal comma; a pattern matching nothing is a warning', async () => {
    const s = scene();
    s.job(
      'sim',
      {},
      {
        'md.log': 'log\n',
        'traj.xtc': 'x'.repeat(3000),
        'scratch/tmp.bin': 'tmp\n',
        'a,b.txt': 'comma\n',
      },
    );
    const run = await s.run({
      path: 'sim',
      'shared-storage': 'true',
      exclude: '*.xtc, scratch/,a[,]b.txt , nothing-*.tmp',
    });
    expect(run.code, explain(run)).toBe(0);
    const dir = join(s.workspace, 'sim');
    expect(readFileSync(join(dir, 'md.log'), 'utf8')).toBe('log\n');
    expect(existsSync(join(dir, 'traj.xtc'))).toBe(false);
    expect(existsSync(join(dir, 'scratch'))).toBe(false);
    expect(existsSync(join(dir, 'a,b.txt'))).toBe(false);
    expect(run.stdout).toContain("Leaving out '*.xtc', 'scratch/', 'a[,]b.txt', 'nothing-*.tmp'.");
    expect(commands(run.stdout, 'warning')).toEqual([
      "::warning title=qq-sync%3A exclude 'nothing-*.tmp' matched nothing::'exclude' pattern 'nothing-*.tmp' matched nothing in the job's files: nothing was left out for it.",
    ]);
  });

  it('a pattern that matches in one job of several is no warning; one that matches in none is', async () => {
    const s = scene();
    s.job('c/a', {}, { 'keep.txt': 'a\n', 'big.xtc': 'xx' });
    s.job('c/b', {}, { 'keep.txt': 'b\n' });
    const run = await s.run({
      path: 'c/*',
      'shared-storage': 'true',
      exclude: '*.xtc\n*.trr',
    });
    expect(run.code, explain(run)).toBe(0);
    const warnings = commands(run.stdout, 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      "'exclude' pattern '*.trr' matched nothing in the files of any of the 2 jobs",
    );
  });
});

describe('destination and a job qq already synchronized', () => {
  it('is not copied from an input directory that does not hold its info file', async () => {
    const s = scene();
    const secret = join(s.base, 'elsewhere');
    mkdirSync(secret);
    writeFileSync(join(secret, 'private.txt'), 'not for the artifact\n');
    const id = s.pbsJob('F', 'node1.example.org', 0);
    s.job('sim', { jobId: id, jobState: 'finished', exitCode: 0, inputDir: secret }, {});
    const run = await s.run({ path: 'sim', 'shared-storage': 'true', destination: 'results' });
    expect(run.code, explain(run)).toBe(0);
    expect(existsSync(join(s.workspace, 'results', 'private.txt'))).toBe(false);
    expect(jobRows(run)[0]?.status).toBe('skipped');
    expect(run.stdout).toContain('the info file is not in the input directory it names');
  });
});

describe('the log', () => {
  it('groups in the summary’s order (failing first, then as found), the same on two runs; no zero counts', async () => {
    const s = scene();
    s.job('c/a', {}, { 'a.txt': 'a\n' });
    // Its working directory is gone: its fetch fails.
    const gone = s.job('c/b', {}, {});
    rmSync(gone.workDir, { recursive: true });
    s.job('c/c', {}, { 'c.txt': 'c\n' });
    const titles = async () => {
      const run = await s.run({ path: 'c/*', 'shared-storage': 'true', 'max-size': '1M' });
      expect(run.code, explain(run)).toBe(1);
      expect(run.stdout).not.toMatch(/Left out 0 file/);
      return commands(run.stdout, 'group').map((l) => l.replace(/^::group::/, ''));
    };
    const first = await titles();
    expect(first.map((t) => t.slice(0, 1))).toEqual(['✖', '✔', '✔']);
    expect(first[0]).toContain(gone.jobId);
    expect(await titles()).toEqual(
      first.map((t) => t.replace(/fetched 1 file, 2 B/, 'up to date')),
    );
  });

  it('a wrong path whose parent exists is a wrong name, not a runner that does not see the cluster', async () => {
    const s = scene();
    s.job('sim');
    const typo = await s.run({ path: 'simm' });
    expect(typo.code).toBe(1);
    // `reason` is qq's sentence alone; the step's error says what to fix beside it.
    expect(typo.outputs.reason).toBe('No qq job info file found.');
    expect(stepError(typo)).toContain(
      `The most likely cause: 'path' is wrong: the directory '${s.workspace}' exists and has no such entry`,
    );
    expect(stepError(typo)).not.toContain('does not see');
    const away = await s.run({ path: '/nonexistent-qq-cluster/project/sim' });
    expect(stepError(away)).toContain("the runner does not see the cluster's files");
  });

  it('ssh-options: an unquoted value with spaces blames the extra words and shows the quoting', async () => {
    const s = scene();
    s.job('sim');
    const run = await s.run({ path: 'sim', 'ssh-options': '-o ProxyCommand=nc x 22' });
    expect(run.code).toBe(1);
    expect(run.outputs.reason).toBe(
      `Input 'ssh-options', line '-o ProxyCommand=nc x 22': 'x 22' after '-o ProxyCommand=nc' is not an ssh option; a value with spaces is one word, quoted: -o "ProxyCommand=nc x 22".`,
    );
  });
});

describe('shard', () => {
  it('20 consecutive ids over 4 shards: 5 each, the log names the shard; an empty shard says so', async () => {
    const s = scene();
    for (let i = 0; i < 20; i++) s.job(`c/j${String(i).padStart(2, '0')}`);
    const seen: string[] = [];
    for (let k = 1; k <= 4; k++) {
      const run = await s.run({ path: 'c/*', 'shared-storage': 'true', shard: `${k}/4` });
      expect(run.code, explain(run)).toBe(0);
      expect(run.stdout).toContain(`Shard ${k}/4: 5 of 20 jobs.`);
      seen.push(...jobRows(run).map((r) => r.id));
    }
    expect(new Set(seen).size).toBe(20);
    const one = scene();
    const { jobId } = one.job('only');
    const owner = (Number(jobId.split('.')[0]) % 2) + 1;
    const empty = await one.run({ path: 'only', shard: `${3 - owner}/2` });
    expect(empty.code, explain(empty)).toBe(0);
    expect(empty.stdout).toContain(`Shard ${3 - owner}/2 has no jobs.`);
    expect(empty.outputs.status).toBe('skipped');
  });
});

describe.skipIf(slurmSkip(slurm))('with the real Slurm', () => {
  const cli = () => slurmCli(slurm);
  const base = tempDir('edges');
  const workspace = join(base, 'workspace');
  const run = (inputs: Record<string, string>) =>
    runAction({ workspace, inputs, env: slurm.env ?? {}, entry: ENTRY });

  /** A running Slurm job with a qq info file in `<workspace>/<dir>`. */
  async function running(dir: string, files: Record<string, string>) {
    const id = await cli().submit(['--wrap', 'sleep 300']);
    await cli().waitFor(id, 'RUNNING');
    makeJob({
      jobId: id,
      inputDir: join(workspace, dir),
      jobState: 'running',
      mainNode: 'node1.example.org',
      workDir: join(base, 'scratch', id),
      files,
    });
    return id;
  }

  /** A finished job that qq synchronized: its files are in its input directory. */
  async function synchronized(dir: string, files: Record<string, string>) {
    const id = await cli().submit(['--wrap', 'true']);
    await cli().waitFor(id, 'COMPLETED');
    const inputDir = join(workspace, dir);
    makeJob({
      jobId: id,
      inputDir,
      jobState: 'finished',
      exitCode: 0,
      mainNode: 'node1.example.org',
      workDir: join(base, 'scratch', `gone-${id}`),
    });
    for (const [name, content] of Object.entries(files))
      writeFileSync(join(inputDir, name), content);
    return id;
  }

  it('dry-run: status dry-run, nothing counted as written, what would be in its own fields', async () => {
    const id = await running('dry', { 'a.txt': 'aaa\n', 'b.txt': 'bb\n' });
    const r = await run({
      path: 'dry',
      'shared-storage': 'true',
      'dry-run': 'true',
      destination: 'dry-out',
    });
    expect(r.code, explain(r)).toBe(0);
    expect(r.outputs.status).toBe('dry-run');
    expect(r.outputs['files-synced']).toBe('0');
    expect(r.outputs['bytes-synced']).toBe('0');
    const [job] = jobsOf(r);
    expect(job).toMatchObject({
      id,
      status: 'dry-run',
      filesSynced: 0,
      bytesSynced: 0,
      filesWouldSync: 2,
      bytesWouldSync: 7,
    });
    expect(existsSync(join(workspace, 'dry-out'))).toBe(false);
    expect(r.stdout).toContain('Would fetch 2 file(s), 7 bytes');
    await cli().cancel(id);
  });

  it('destination: a job qq already synchronized is copied there from its input directory; the layout follows the inputs', async () => {
    const live = await running('camp/e1', { 'md.log': 'live\n' });
    const done = await synchronized('camp/e2', {
      'result.dat': 'done\n',
      'big.xtc': 'x'.repeat(100),
    });
    const r = await run({
      path: 'camp/e*/',
      'shared-storage': 'true',
      destination: 'results',
      exclude: '*.xtc',
    });
    expect(r.code, explain(r)).toBe(0);
    const rows = jobsOf(r);
    expect(rows.map((j) => j.status)).toEqual(['synced', 'synced']);
    expect(readFileSync(join(workspace, 'results', live, 'md.log'), 'utf8')).toBe('live\n');
    expect(readFileSync(join(workspace, 'results', done, 'result.dat'), 'utf8')).toBe('done\n');
    expect(existsSync(join(workspace, 'results', done, 'big.xtc'))).toBe(false);
    expect(JSON.parse(r.outputs['changed-files'] ?? '[]')).toContain(`results/${done}/result.dat`);
    expect(rows[1]).toMatchObject({ destination: join(workspace, 'results', done) });
    expect(r.stdout).toMatch(
      /copied \d+ files?, .* from the input directory \(already synchronized by qq\)/,
    );
    expect(commands(r.stdout, 'notice')).toEqual([]);

    await cli().cancel(live);
  });

  it('the layout follows the inputs: a pattern matching one job gives <destination>/<job_id>, one plain directory the destination', async () => {
    const live = await running('grow/e1', { 'md.log': 'live\n' });
    // A pattern that matches one job still gives <destination>/<job_id>: the layout does not
    // move when a campaign grows.
    const one = await run({ path: 'grow/e*/', 'shared-storage': 'true', destination: 'one' });
    expect(one.code, explain(one)).toBe(0);
    expect(readdirSync(join(workspace, 'one'))).toEqual([live]);
    expect(readFileSync(join(workspace, 'one', live, 'md.log'), 'utf8')).toBe('live\n');
    const plain = await run({ path: 'grow/e1', 'shared-storage': 'true', destination: 'plain' });
    expect(plain.code, explain(plain)).toBe(0);
    expect(readFileSync(join(workspace, 'plain', 'md.log'), 'utf8')).toBe('live\n');
    await cli().cancel(live);
  });

  it('job-id that does not exist: no "Found 1 job(s)"; a job that is not qq’s names the info file looked for', async () => {
    const missing = await run({ 'job-id': '99999', 'batch-system': 'Slurm' });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("Job '99999' does not exist.");
    expect(missing.stdout).not.toContain('Found 1 job(s).');
    const cwd = join(base, 'plain-job');
    mkdirSync(cwd, { recursive: true });
    const id = await cli().submit(['--wrap', 'sleep 300'], cwd);
    await cli().waitFor(id, 'RUNNING');
    const r = await run({ 'job-id': id, 'batch-system': 'Slurm' });
    expect(r.code).toBe(1);
    expect(r.outputs.reason).toBe(`Job '${id}' is not a valid qq job.`);
    const looked = `Its info file would be '${join(cwd, 'wrap.qqinfo')}' (the job's WorkDir and JobName), which does not exist or cannot be read here.`;
    expect(r.stdout).toContain(looked);
    expect(commands(r.stdout, 'error').join('\n')).toContain(
      'which does not exist or cannot be read here',
    );
    await cli().cancel(id);
  });
});
