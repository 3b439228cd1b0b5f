/**
 * The wrong runner and the debug log, through the bundle: on Windows or macOS the step fails at
 * once; on a GitHub-hosted runner that finds nothing the message says what the action needs
 * and points to the cache hand-off; "Could not guess a batch system" says what was looked for
 * and where; with step debug logging every command line, the local-or-ssh decision, the rsync
 * version and the settings are logged, and an identity file's contents never.
 *
 * The platform cannot be changed on this Linux machine: those two tests (only they) run node
 * with a preload, test/e2e/fake-platform.mjs, that redefines process.platform.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { runAction } from '../../scripts/run-action.mjs';
import { ENTRY, jobRows } from '../corpus/harness.js';
import { explain, stepError } from '../support/explain.js';
import { sceneMaker } from '../support/scenes.js';
import { sshInputs, sshSkip } from '../support/services.js';

const sshd = inject('sshd');
const scene = sceneMaker('qq-sync-runner-');

const fakePlatform = pathToFileURL(join(import.meta.dirname, 'fake-platform.mjs')).href;

describe('where it cannot run', () => {
  for (const [platform, name] of [
    ['win32', 'Windows'],
    ['darwin', 'macOS'],
  ] as const) {
    it(`${name}: fails at once, outputs and summary written, no scheduler asked`, async () => {
      const s = scene();
      s.job('sim');
      const schedLog = join(s.base, 'scheduler.log');
      const inputs = { path: 'sim', 'shared-storage': 'true' };
      const env = s.env({ QQ_SYNC_SCHEDULER_LOG: schedLog, QQ_SYNC_TEST_PLATFORM: platform });
      const run = await runAction({
        workspace: s.workspace,
        inputs,
        env,
        entry: ENTRY,
        nodeArgs: ['--import', fakePlatform],
      });
      expect(run.code, explain(run)).toBe(1);
      expect(run.outputs.status).toBe('failed');
      expect(run.outputs.reason).toBe(
        `This runner is ${name}. qq-sync runs on a Linux self-hosted runner on the cluster: a login node (or a machine like it) that sees the jobs’ files and can run the scheduler’s commands.`,
      );
      expect(run.stdout).toContain(`::error::This runner is ${name}.`);
      expect(run.summary).toContain(`This runner is ${name}.`);
      expect(() => readFileSync(schedLog)).toThrow();
      // The same step without the preload fetches the job: the failure was the platform's.
      const control = await runAction({ workspace: s.workspace, inputs, env, entry: ENTRY });
      expect(control.code, explain(control)).toBe(0);
      expect(control.outputs.status).toBe('synced');
    });
  }

  it('a GitHub-hosted runner that finds no job: needs a self-hosted runner, see the cache hand-off', async () => {
    const s = scene();
    mkdirSync(join(s.workspace, 'sim'));
    const hosted = await s.run({ path: 'sim' }, { RUNNER_ENVIRONMENT: 'github-hosted' });
    expect(hosted.code, explain(hosted)).toBe(1);
    expect(hosted.outputs.reason).toBe('No qq job info file found.');
    expect(stepError(hosted)).toMatch(/^No qq job info file found\. /);
    expect(stepError(hosted)).toContain('This is a GitHub-hosted runner');
    expect(stepError(hosted)).toContain('Linux self-hosted runner on the cluster');
    expect(stepError(hosted)).toContain('`cache: true`');
    expect(stepError(hosted)).toContain(
      'Hand the results to a GitHub-hosted runner through the Actions cache',
    );
    // A self-hosted runner gets the plain message.
    const self = await s.run({ path: 'sim' }, { RUNNER_ENVIRONMENT: 'self-hosted' });
    expect(stepError(self)).toMatch(/^No qq job info file found\. Searched in the workspace /);
    expect(stepError(self)).not.toContain('GitHub-hosted');
  });

  it('no batch system to guess: names the commands, the PATH, the input and the runner files', async () => {
    const s = scene();
    const emptyBin = mkdtempSync(join(tmpdir(), 'qq-sync-nobin-'));
    try {
      const run = await s.run(
        { 'job-id': '12345' },
        { PATH: emptyBin, RUNNER_ENVIRONMENT: 'github-hosted' },
      );
      expect(run.code, explain(run)).toBe(1);
      // `reason` is qq's sentence alone; what to do about it stands beside it.
      expect(run.outputs.reason).toBe(
        'Could not guess a batch system. No registered batch system available.',
      );
      const error = stepError(run);
      expect(error).toMatch(
        /^Could not guess a batch system\. No registered batch system available\. Looked for qsub \(PBS\), sbatch \(Slurm\), it4ifree \(SlurmIT4I\) and lumi-allocations \(SlurmLumi\) on PATH=/,
      );
      expect(error).toContain(`PATH=${emptyBin} `);
      expect(error).toContain('`batch-system` input');
      expect(error).toMatch(/\.path and .*\.env/);
      expect(error).toContain('This is a GitHub-hosted runner');
    } finally {
      rmSync(emptyBin, { recursive: true, force: true });
    }
  });
});

describe('step debug logging', () => {
  it('off: no command lines in the log', async () => {
    const s = scene();
    s.job('sim');
    const run = await s.run({ path: 'sim', 'shared-storage': 'true' });
    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout).not.toMatch(/::debug::run: /);
    expect(run.stdout).not.toContain('settings from the inputs');
  });

  it('on: every command line, the local decision and why, the rsync version, the settings', async () => {
    const s = scene();
    const { jobId } = s.job('sim');
    // rsync runs (a job this small is otherwise copied in-process: see the test below).
    const run = await s.run(
      { path: 'sim', 'shared-storage': 'true' },
      { RUNNER_DEBUG: '1', QQ_SYNC_IN_PROCESS_BELOW_ENTRIES: '0' },
    );
    expect(run.code, explain(run)).toBe(0);
    expect(jobRows(run).map((r) => r.status)).toEqual(['synced']);
    const debug = run.stdout.split('\n').filter((l) => l.startsWith('::debug::'));
    const has = (re: RegExp) =>
      expect(
        debug.some((l) => re.test(l)),
        debug.join('\n'),
      ).toBe(true);
    has(new RegExp(`^::debug::run: qstat -fxw ${jobId.replace(/\./g, '\\.')}`));
    has(/^::debug::exit 0 in \d+ ms: qstat /);
    has(/^::debug::run: rsync --version$/);
    has(/^::debug::rsync \d+\.\d+\.\d+ found \(rsync\s+version/);
    has(/^::debug::run: rsync -rltD .* -- \S+\/ \S+$/);
    has(
      /^::debug::sim\/run_md\.qqinfo: reads its working directory locally: shared-storage: true$/,
    );
    const settings = debug.find((l) => l.startsWith('::debug::settings from the inputs: '));
    expect(settings, debug.join('\n')).toBeDefined();
    const parsed = JSON.parse(
      (settings as string).slice('::debug::settings from the inputs: '.length),
    );
    expect(parsed.paths).toEqual(['sim']);
    expect(parsed.sharedStorage).toBe('true');
    expect(parsed.waitFor).toEqual([]);
    has(/^::debug::Node v\d+\.\d+\.\d+; compile cache: /);
  });

  it('on, a small local job: copied in-process, and the log says so instead of an rsync command', async () => {
    const s = scene();
    s.job('sim', {}, { 'out.txt': 'in-process\n' });
    const run = await s.run({ path: 'sim', 'shared-storage': 'true' }, { RUNNER_DEBUG: '1' });
    expect(run.code, explain(run)).toBe(0);
    expect(readFileSync(join(s.workspace, 'sim', 'out.txt'), 'utf8')).toBe('in-process\n');
    const debug = run.stdout.split('\n').filter((l) => l.startsWith('::debug::'));
    expect(debug.join('\n')).toMatch(
      /^::debug::'\S+': fewer than 4096 entries, copied in-process \(no rsync spawned\)$/m,
    );
    expect(debug.filter((l) => /^::debug::run: rsync -rltD/.test(l))).toEqual([]);
    expect(run.stdout).toMatch(/Fetched 1 file\(s\), \d+ bytes \(in-process copy\)\./);
  });

  it.skipIf(sshSkip(sshd))(
    'on, over the real sshd: the ssh decision and why, the ssh command lines, never the key',
    async () => {
      const s = scene();
      s.job('sim', { mainNode: '127.0.0.1' }, { 'out.txt': 'over ssh\n' });
      const run = await s.run({ path: 'sim', ...sshInputs(sshd) }, { RUNNER_DEBUG: '1' });
      expect(run.code, explain(run)).toBe(0);
      expect(readFileSync(join(s.workspace, 'sim', 'out.txt'), 'utf8')).toBe('over ssh\n');
      const debug = run.stdout.split('\n').filter((l) => l.startsWith('::debug::'));
      const has = (re: RegExp) =>
        expect(
          debug.some((l) => re.test(l)),
          debug.join('\n'),
        ).toBe(true);
      // This host's names, as qq's getfqdn() finds them: its address looked up (exec/hosts.ts).
      has(/^::debug::run: getent hosts \S+$/);
      has(
        /^::debug::sim\/run_md\.qqinfo: fetches over ssh from '127\.0\.0\.1': the main node '127\.0\.0\.1' is not this host \(/,
      );
      has(/^::debug::run: rsync -e .*ssh.* -- 127\.0\.0\.1:\S+\/ \S+$/);
      // The identity file's path is in the command lines; its contents never anywhere.
      expect(run.stdout).toContain(sshd.keyPath);
      const key = readFileSync(sshd.keyPath, 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'));
      for (const line of key) expect(run.stdout + run.stderr + run.summary).not.toContain(line);
    },
  );
});
