/**
 * `exclude`, `max-size`, `changed-files` and the manifest through the bundle (dist/index.js,
 * as the runner runs it), with each of the three ways a job is fetched: rsync on this machine,
 * rsync over ssh from the real sshd on loopback, and the built-in copier (a PATH without
 * rsync). The jobs are PBS jobs the scheduler has forgotten (no qstat on PATH): the info file
 * decides, as in cache.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ActionRun, runAction } from '../../scripts/run-action.mjs';
import { decodeName } from '../../src/transfer/rsync/records.js';
import { requireCurrentBundle } from '../support/bundle.js';
import { explain } from '../support/explain.js';
import { makeJob } from '../support/jobs.js';
import { sshInputs, sshSkip } from '../support/services.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import { names } from '../support/transfer.js';

requireCurrentBundle();
const sshd = inject('sshd');
const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin';

type Method = 'rsync' | 'rsync over ssh' | 'built-in copier' | 'in-process copy';
/** 'rsync' is made to run for these small trees; by default they are copied in-process. */
const METHODS: Method[] = ['rsync', 'rsync over ssh', 'built-in copier', 'in-process copy'];

let base: string;
/** A PATH with node only: no rsync, so a local copy takes the built-in copier. */
let nodeOnly: string;
let counter = 0;

beforeAll(() => {
  base = tempDir('selection-e2e');
  nodeOnly = join(base, 'node-only');
  mkdirSync(nodeOnly);
  symlinkSync(process.execPath, join(nodeOnly, 'node'));
});
afterAll(cleanTemps);

/** A forgotten PBS job whose working directory holds `files`; its workspace and work dir. */
function job(files: Record<string, string>, method: Method) {
  const n = ++counter;
  const ws = join(base, `ws-${n}`);
  const workDir = join(base, `scratch-${n}`);
  makeJob({
    batchSystem: 'PBS',
    jobId: `${7000 + n}.pbs`,
    inputDir: join(ws, 'sim'),
    jobState: 'failed',
    exitCode: 2,
    mainNode: method === 'rsync over ssh' ? '127.0.0.1' : 'n1',
    workDir,
    files,
  });
  return { ws, workDir, dest: join(ws, 'results') };
}

function fetch(
  method: Method,
  where: { ws: string },
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction({
    workspace: where.ws,
    inputs: {
      path: 'sim',
      destination: 'results',
      'shared-storage': method === 'rsync over ssh' ? 'false' : 'true',
      ...(method === 'rsync over ssh' ? sshInputs(sshd) : {}),
      ...inputs,
    },
    env: {
      PATH: method === 'built-in copier' ? nodeOnly : SYSTEM_PATH,
      ...(method === 'rsync' ? { QQ_SYNC_IN_PROCESS_BELOW_ENTRIES: '0' } : {}),
      ...env,
    },
  });
}

function methodLine(run: ActionRun, method: Method): void {
  expect(run.stdout, explain(run)).toContain(`(${method})`);
}

/** What the rsync command itself selects with these excludes (the oracle). */
function rsyncSelects(workDir: string, exclude: string[]): string[] {
  const r = spawnSync(
    'rsync',
    [
      '-r',
      '-l',
      '--dry-run',
      '--out-format=%n',
      ...exclude.flatMap((p) => ['--exclude', p]),
      '--',
      `${workDir}/`,
      join(base, 'nowhere'),
    ],
    { encoding: 'latin1', env: { ...process.env, LC_ALL: 'C' } },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout
    .split('\n')
    .filter((l) => l && l !== './')
    .map((l) => Buffer.from(decodeName(l).replace(/\/$/, ''), 'latin1').toString('utf8'))
    .sort();
}

/** A tree of awkward names, directories and wildcard characters. */
const TREE: Record<string, string> = {
  'md.log': 'log\n',
  'traj.xtc': 'x'.repeat(3000),
  'sub/t2.xtc': 'trajectory 2\n',
  'sub/keep.txt': 'keep\n',
  'sub/sub/t2.xtc': 'deeper\n',
  't2.xtc': 'top t2\n',
  'dir.xtc/inner.txt': 'in a directory named like a trajectory\n',
  'scratch/tmp.dat': 'scratch\n',
  'deep/scratch/x': 'deep scratch\n',
  'notes/scratch': 'a file named scratch\n',
  'top.txt': 'top\n',
  'deep/top.txt': 'deep top\n',
  'a[b].txt': 'brackets\n',
  'q1.txt': 'q1\n',
  'qx.txt': 'qx\n',
  'star*.txt': 'star\n',
  'with space.txt': 'space\n',
  '-dash.txt': 'dash\n',
  'back\\slash.txt': 'backslash\n',
  'cache/a/b.bin': 'cache\n',
  'deep/cache/c.bin': 'deep cache\n',
  '.hidden/h': 'hidden\n',
  'ünï/cødé.txt': 'unicode\n',
};

const EXCLUDE_SETS: string[][] = [
  ['*.xtc', 'scratch/', '/top.txt'],
  ['sub/t2.xtc', '**/cache/**', 'q[!0-9].txt', 'a\\[b].txt', '.*', 'cødé.*'],
];

describe.each(METHODS)('%s', (method) => {
  const skip = method === 'rsync over ssh' && sshSkip(sshd);

  it.skipIf(skip)(
    'exclude: *.xtc, scratch/ (directories only), /top.txt (the top only)',
    async () => {
      const j = job(TREE, method);
      const run = await fetch(method, j, { exclude: '*.xtc\nscratch/\n/top.txt' });
      expect(run.code, explain(run)).toBe(0);
      methodLine(run, method);
      expect(run.stdout).toContain("Leaving out '*.xtc', 'scratch/', '/top.txt'.");
      const got = await names(j.dest);
      for (const gone of ['traj.xtc', 'sub/t2.xtc', 't2.xtc', 'dir.xtc', 'scratch', 'top.txt']) {
        expect(got, gone).not.toContain(gone);
      }
      expect(got).not.toContain('deep/scratch');
      for (const kept of ['md.log', 'sub/keep.txt', 'notes/scratch', 'deep/top.txt']) {
        expect(got, kept).toContain(kept);
      }
    },
  );

  it.skipIf(skip)('exclude wins over files', async () => {
    const j = job(TREE, method);
    const run = await fetch(method, j, { files: 'sub md.log', exclude: '*.xtc' });
    expect(run.code, explain(run)).toBe(0);
    expect(await names(j.dest)).toEqual(['md.log', 'sub', 'sub/keep.txt', 'sub/sub']);
  });

  it.skipIf(skip)(
    'a files entry that exclude leaves out is no "matched nothing" warning',
    async () => {
      const j = job(TREE, method);
      const run = await fetch(method, j, {
        files: 'md.log traj.xtc scratch/tmp.dat nothere.txt',
        exclude: '*.xtc\nscratch/',
      });
      expect(run.code, explain(run)).toBe(0);
      expect(await names(j.dest)).toEqual(['md.log']);
      const warnings = run.stdout
        .split('\n')
        .filter((l) => l.startsWith('::warning') && l.includes('matched nothing'));
      expect(warnings, run.stdout).toHaveLength(1);
      expect(warnings[0]).toContain("'files' entry 'nothere.txt' matched nothing");
    },
  );

  it.skipIf(skip)(
    'no "matched nothing" for an entry whose ** crosses directories, nor for one max-size left out',
    async () => {
      const j = job(
        {
          'a/b/c.xtc': 'deep\n',
          'sub/x/y/e.txt': 'deeper\n',
          'big.dat': 'x'.repeat(3000),
          'other/deep/g.txt': 'other\n',
          'sub/z/other.txt': 'not selected\n',
        },
        method,
      );
      const run = await fetch(method, j, {
        files: '**/c.xtc sub/**/e.txt big.dat nothere.txt',
        'max-size': '1K',
      });
      expect(run.code, explain(run)).toBe(0);
      // Only the directories on the way to what was fetched: no empty skeleton of the job's
      // folders (rsync --prune-empty-dirs, which the rules that look everywhere need).
      expect(await names(j.dest)).toEqual([
        'a',
        'a/b',
        'a/b/c.xtc',
        'sub',
        'sub/x',
        'sub/x/y',
        'sub/x/y/e.txt',
      ]);
      const warnings = run.stdout
        .split('\n')
        .filter((l) => l.startsWith('::warning') && l.includes('matched nothing'));
      expect(warnings, run.stdout).toHaveLength(1);
      expect(warnings[0]).toContain("'files' entry 'nothere.txt' matched nothing");
      expect(run.stdout).toContain("'big.dat' is larger than max-size: left out.");
    },
  );

  it.skipIf(skip)('differential: the same entries as the rsync command selects', async () => {
    for (const exclude of EXCLUDE_SETS) {
      const j = job(TREE, method);
      const run = await fetch(method, j, { exclude: exclude.join('\n') });
      expect(run.code, explain(run)).toBe(0);
      expect(await names(j.dest), exclude.join(' ')).toEqual(rsyncSelects(j.workDir, exclude));
    }
  });

  it.skipIf(skip)(
    'max-size: larger files are left out, and the log and summary say so',
    async () => {
      const j = job(
        {
          'small.txt': 's'.repeat(100),
          'edge.bin': 'e'.repeat(1024),
          'big.bin': 'b'.repeat(5000),
          'sub/big2.bin': 'c'.repeat(3000),
        },
        method,
      );
      const run = await fetch(method, j, { 'max-size': '1K' });
      expect(run.code, explain(run)).toBe(0);
      expect(await names(j.dest)).toEqual(['edge.bin', 'small.txt', 'sub']);
      expect(run.stdout).toContain('Leaving out files over 1.0 KiB.');
      expect(run.stdout).toContain('Left out 2 file(s) over max-size (7.8 KiB).');
      expect(run.summary).toContain('left out 2 files over max-size (7.8 KiB)');
    },
  );

  it.skipIf(skip)('a destination named ..results is inside the workspace', async () => {
    const j = job({ 'md.log': 'log\n' }, method);
    const run = await fetch(method, j, { destination: '..results' });
    expect(run.code, explain(run)).toBe(0);
    expect(readFileSync(join(j.ws, '..results', 'md.log'), 'utf8')).toBe('log\n');
    expect(JSON.parse(run.outputs['changed-files'] ?? '')).toEqual(['..results/md.log']);
    expect(run.summary).toContain('..results');
    expect(run.summary).not.toContain(join(j.ws, '..results'));
  });

  it.skipIf(skip)(
    'changed-files: what this run wrote; [] on a re-sync; then only the new and the updated',
    async () => {
      const j = job({ 'md.log': 'step 1\n', 'sub/rmsd.xvg': '1 2\n', 'traj.xtc': 'xx' }, method);
      symlinkSync('md.log', join(j.workDir, 'latest'));
      const first = await fetch(method, j, { exclude: '*.xtc' });
      expect(first.code, explain(first)).toBe(0);
      const all = ['results/latest', 'results/md.log', 'results/sub/rmsd.xvg'];
      expect(JSON.parse(first.outputs['changed-files'] ?? '')).toEqual(all);
      expect(JSON.parse(first.outputs.jobs ?? '')[0]).toMatchObject({
        changedFiles: all,
        changedFilesCount: 3,
      });
      expect(first.outputs['changed-files-file']).toBe('');

      const again = await fetch(method, j, { exclude: '*.xtc' });
      expect(again.code, explain(again)).toBe(0);
      expect(again.outputs['changed-files']).toBe('[]');
      expect(JSON.parse(again.outputs.jobs ?? '')[0].changedFiles).toEqual([]);

      writeFileSync(join(j.workDir, 'md.log'), 'step 1\nstep 2\n');
      utimesSync(join(j.workDir, 'md.log'), new Date(), new Date(Date.now() + 5000));
      writeFileSync(join(j.workDir, 'sub', 'new file.dat'), 'new');
      const third = await fetch(method, j, { exclude: '*.xtc' });
      expect(third.code, explain(third)).toBe(0);
      expect(JSON.parse(third.outputs['changed-files'] ?? '')).toEqual([
        'results/md.log',
        'results/sub/new file.dat',
      ]);
    },
  );

  it.skipIf(skip)(
    'manifest: path, size, mtime and SHA-256 of each fetched file, under RUNNER_TEMP',
    async () => {
      const j = job({ 'md.log': 'log\n', 'sub/energy.xvg': '0 1\n' }, method);
      const mtime = 1_700_000_000;
      utimesSync(join(j.workDir, 'md.log'), mtime, mtime);
      const temp = tempDir('runner-temp');
      const run = await fetch(
        method,
        j,
        { manifest: 'true', checksums: 'true' },
        { RUNNER_TEMP: temp },
      );
      expect(run.code, explain(run)).toBe(0);
      const file = run.outputs.manifest ?? '';
      expect(file.startsWith(`${temp}/`)).toBe(true);
      const m = JSON.parse(readFileSync(file, 'utf8'));
      const sha = (s: string) => createHash('sha256').update(s).digest('hex');
      expect(m.checksums).toBe('sha256');
      expect(m.files).toEqual([
        {
          path: 'results/md.log',
          job: expect.stringMatching(/\.pbs$/),
          kind: 'file',
          size: 4,
          mtime: new Date(mtime * 1000).toISOString(),
          sha256: sha('log\n'),
        },
        expect.objectContaining({ path: 'results/sub/energy.xvg', size: 4, sha256: sha('0 1\n') }),
      ]);
      expect(run.stdout).toContain(`Manifest of the 2 fetched file(s): ${file}.`);
    },
  );

  it.skipIf(skip)(
    'an exclude pattern that could be read as an option is refused, naming the input',
    async () => {
      const j = job({ 'md.log': 'log\n' }, method);
      const run = await fetch(method, j, { exclude: '*.xtc\n--delete' });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("Input 'exclude' has '--delete', which looks like an option");
      expect(existsSync(j.dest)).toBe(false);
    },
  );
});
