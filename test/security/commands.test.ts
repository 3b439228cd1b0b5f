/**
 * No workflow-command injection, through the bundle. Cluster text (file names, job output,
 * rsync/ssh messages, info-file values) holding `::error::`, `::add-mask::`, `::set-output`,
 * `::stop-commands::` or the runner's v1 form `##[add-mask]` must never act as a command:
 * stdout is read as the runner's ActionCommandManager reads it (harness.parseWorkflowCommands)
 * and no command may come from the hostile text. Every payload is marked PWNED.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { jobRows, parseWorkflowCommands } from '../corpus/harness.js';
import { explain } from '../support/explain.js';
import { sceneMaker } from '../support/scenes.js';
import { sshInputs, sshSkip } from '../support/services.js';

const sshd = inject('sshd');

/** Lines a job could print or name files after. */
const HOSTILE = [
  '::error::PWNED-error',
  '::warning file=x::PWNED-warning',
  '::add-mask::PWNED-mask',
  '::set-output name=status::PWNED-output',
  '::set-env name=NODE_OPTIONS::PWNED-env',
  '::stop-commands::PWNEDTOKEN0123456789',
  '::warning::PWNED-after-stop',
  '::PWNEDTOKEN0123456789::',
  '   ::error::PWNED-indented',
  '##[add-mask]PWNED-v1',
  'text before ##[error]PWNED-v1-inline',
  '::endgroup::',
  '::group::PWNED-group',
];

/** The commands in stdout that the hostile text produced (must be none). */
function injected(stdout: string): string[] {
  const { commands, problems } = parseWorkflowCommands(stdout);
  const bad = commands
    .filter((c) => {
      const data = c.line.trimStart().replace(/^::[^:]*::/, '');
      if (c.name.startsWith('v1:')) return true;
      if (['add-mask', 'set-output', 'set-env', 'add-path', 'save-state', 'echo'].includes(c.name))
        return true;
      // The action's own commands may quote hostile text inside their data, escaped; a
      // command whose data *starts* with a payload is a payload line.
      return data.startsWith('PWNED') || c.line.trimStart().startsWith('::PWNED');
    })
    .map((c) => `line ${c.lineNo}: ${c.line}`);
  return [...bad, ...problems];
}

const scene = sceneMaker();

describe('no workflow-command injection', () => {
  it('the reader finds commands the way the runner does', () => {
    expect(injected('::error::PWNED-x')).toHaveLength(1);
    expect(injected('  ::add-mask::PWNED')).toHaveLength(1);
    expect(injected('a ##[add-mask]PWNED b')).toHaveLength(1);
    expect(injected('::stop-commands::abcdefabcdefabcdef\n::error::PWNED\n')).toContain(
      'a stop-commands fence (abcdefabcdefabcdef) is never closed',
    );
    expect(
      injected('::stop-commands::abcdefabcdefabcdef\n::error::PWNED\n::abcdefabcdefabcdef::'),
    ).toEqual([]);
    expect(injected('::error title=qq-sync%3A x::Refusing ::error::PWNED')).toEqual([]);
  });

  it('file names, .out lines, info-file values and rsync messages stay text (local)', async () => {
    const s = scene();
    const files: Record<string, string> = { 'run_md.out': `${HOSTILE.join('\n')}\n` };
    for (const [i, line] of HOSTILE.entries()) {
      if (!line.includes('/')) files[`n${i}${line.replaceAll('/', '_')}`] = 'x';
    }
    // A job whose name and node are payloads; its node is not used on shared storage.
    s.job('named', { jobName: '::error::PWNED-name\n##[add-mask]PWNED-name' }, files);
    // A job whose work dir is gone: rsync's error quotes the path with a payload in it.
    const gone = join(s.scratch, '::error::PWNED-path ##[add-mask]PWNED-path');
    s.job('gone', { workDir: gone }, {});
    rmSync(gone, { recursive: true });
    // A file the selection names that does not exist: quoted in messages.
    const run = await s.run({
      path: 'named\ngone',
      'shared-storage': 'true',
      parallel: '1',
    });
    const names = await s.run({
      path: 'named',
      'shared-storage': 'true',
      files: '::error::PWNED-files,run_md.out',
    });
    for (const r of [run, names]) {
      expect(r.stdout, explain(r)).toContain('PWNED');
      expect(injected(r.stdout), explain(r)).toEqual([]);
      expect(r.outputs.status).not.toMatch(/PWNED/);
    }
    expect(jobRows(run).find((j) => j.name.includes('PWNED'))?.status).toBe('synced');
    expect(run.stdout).toContain('PWNED-path');
  });

  // Known bug: qq's state details ("Running for … on '<node>'") are printed unfenced when they
  // hold no '::' or line break, but the runner also acts on the v1 form '##[cmd]' anywhere in
  // a line. The node comes from the info file (unchecked on shared storage) or from qstat.
  it('a main node spelling a v1 command (##[add-mask]) stays text', async () => {
    const s = scene();
    s.job('node', { mainNode: '##[add-mask]PWNED-node' });
    const run = await s.run({ path: 'node', 'shared-storage': 'true' });
    expect(run.stdout, explain(run)).toContain('PWNED-node');
    expect(injected(run.stdout), explain(run)).toEqual([]);
  });

  it('follow: true streams .out lines fenced while waiting', async () => {
    const s = scene();
    const job = s.job(
      'following',
      {},
      {
        'run_md.out': `${HOSTILE.join('\n')}\nlast line\n`,
        'run_md.err': `${HOSTILE.reverse().join('\n')}\n`,
      },
    );
    const run = await s.run(
      {
        path: 'following',
        'shared-storage': 'true',
        'wait-for': 'finished',
        'wait-timeout': '3',
        'poll-interval': '1',
        follow: 'true',
      },
      {},
      60_000,
    );
    expect(run.stdout, explain(run)).toContain('PWNED-mask');
    expect(run.stdout).toContain('last line');
    expect(injected(run.stdout), explain(run)).toEqual([]);
    expect(job.workDir).toBeTruthy();
  });

  it.skipIf(sshSkip(sshd))(
    'over ssh: follow, file names and ssh/rsync messages stay text',
    async () => {
      const s = scene();
      const files: Record<string, string> = { 'run_md.out': `${HOSTILE.join('\n')}\n` };
      for (const [i, line] of HOSTILE.entries()) {
        if (!line.includes('/')) files[`n${i}${line}`] = 'x';
      }
      s.job('remote', { mainNode: '127.0.0.1' }, files);
      const gone = join(s.scratch, '::error::PWNED-remote ##[add-mask]PWNED-remote');
      s.job('gone', { mainNode: '127.0.0.1', workDir: gone }, {});
      rmSync(gone, { recursive: true });
      mkdirSync(join(s.workspace, 'remote'), { recursive: true });
      writeFileSync(join(s.base, 'unused'), '');
      const follow = await s.run(
        {
          path: 'remote',
          'shared-storage': 'false',
          retries: '0',
          'wait-for': 'finished',
          'wait-timeout': '3',
          'poll-interval': '1',
          follow: 'true',
          ...sshInputs(sshd),
        },
        {},
        90_000,
      );
      expect(follow.stdout, explain(follow)).toContain('PWNED-mask');
      expect(injected(follow.stdout), explain(follow)).toEqual([]);
      const run = await s.run(
        { path: 'remote\ngone', 'shared-storage': 'false', retries: '0', ...sshInputs(sshd) },
        {},
        90_000,
      );
      expect(run.stdout, explain(run)).toContain('PWNED-remote');
      expect(injected(run.stdout), explain(run)).toEqual([]);
    },
  );
});
