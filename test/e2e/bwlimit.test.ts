/**
 * `bwlimit` through the bundle, with the real rsync behind a wrapper that logs its argv
 * (test/support/call-log.ts): each rsync the step starts gets `--bwlimit` of its share of the
 * whole step's rate (the total over jobs at once × streams); a small local job, copied
 * in-process without a limit, goes through rsync with one; without rsync the built-in copier
 * copies and a warning says the limit is not applied. No timing is asserted: the argv is.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/run-action.mjs';
import { ENTRY, jobRows, Scene } from '../corpus/harness.js';
import { requireCurrentBundle } from '../support/bundle.js';
import { pathWithoutRsync } from '../support/byte-tree.js';
import { argvLoggingBin, loggedCalls } from '../support/call-log.js';
import { explain } from '../support/explain.js';

requireCurrentBundle();
const scene = new Scene('qq-sync-bwlimit-');
const noRsync = pathWithoutRsync();
afterAll(() => {
  scene.cleanup();
  rmSync(noRsync, { recursive: true, force: true });
});

const log = join(scene.base, 'rsync.log');
const wrappers = argvLoggingBin(join(scene.base, 'wrap'), ['rsync'], log);

scene.job('small', {}, { 'a.txt': 'a\n', 'sub/b.txt': 'b\n' });
scene.job('two/j1', {}, { 'r.txt': 'one\n' });
scene.job('two/j2', {}, { 'r.txt': 'two\n' });
// 2,000 files: a tree `streams` splits (STREAMS_FROM_FILES).
scene.job(
  'large',
  {},
  Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`d${i % 10}/f${i}.txt`, `${i}\n`])),
);

/** The step's run and the rsync copies it started (not `rsync --version`), each as its argv. */
async function fetch(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  wrap: string[] = [],
) {
  const before = loggedCalls(log).length;
  const run = await runAction({
    workspace: scene.workspace,
    inputs: { 'shared-storage': 'true', ...inputs },
    env: scene.env({ PATH: `${wrappers}:${scene.env().PATH}`, ...env }),
    entry: ENTRY,
    wrap,
  });
  const copies = loggedCalls(log)
    .slice(before)
    .filter((c) => !c.includes('--version'));
  return { run, copies };
}

const limits = (copies: string[][]) =>
  copies.map((c) => c.filter((a) => a.startsWith('--bwlimit')).join(' '));

describe('bwlimit', () => {
  it('a small local job goes through rsync, with the whole limit (one rsync at once)', async () => {
    const { run, copies } = await fetch({
      path: 'small',
      destination: 'out-small',
      bwlimit: '1M',
      streams: '1',
    });
    expect(run.code, explain(run)).toBe(0);
    expect(jobRows(run).map((r) => [r.status, r.filesSynced])).toEqual([['synced', 2]]);
    expect(limits(copies)).toEqual(['--bwlimit=1024']);
    // Without the input: copied in-process, no rsync, no limit.
    const free = await fetch({ path: 'small', destination: 'out-free' });
    expect(free.run.code, explain(free.run)).toBe(0);
    expect(free.copies).toEqual([]);
  });

  it('streams: auto under taskset -c 0 (one usable core): one stream, the whole limit', async () => {
    const { run, copies } = await fetch(
      { path: 'small', destination: 'out-auto', bwlimit: '1M' },
      {},
      ['taskset', '-c', '0'],
    );
    expect(run.code, explain(run)).toBe(0);
    expect(limits(copies)).toEqual(['--bwlimit=1024']);
  });

  it('two jobs at once: each rsync gets half', async () => {
    const { run, copies } = await fetch({
      path: 'two/*',
      destination: 'out-two',
      bwlimit: '1000',
      parallel: '2',
      streams: '1',
    });
    expect(run.code, explain(run)).toBe(0);
    expect(limits(copies)).toEqual(['--bwlimit=500', '--bwlimit=500']);
  });

  it('one job in 2 streams: every rsync of it gets half', async () => {
    const { run, copies } = await fetch({
      path: 'large',
      destination: 'out-large',
      bwlimit: '1000',
      streams: '2',
    });
    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout).toMatch(/2000 files: fetched as \d+ parts, 2 streams at once\./);
    expect(jobRows(run)[0]?.filesSynced).toBe(2000);
    const parts = copies.filter((c) => c.some((a) => a.startsWith('--files-from=')));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(limits(copies))).toEqual(new Set(['--bwlimit=500']));
  });

  it('without rsync: the built-in copier copies, and a warning says the limit is not applied', async () => {
    const run = await scene.run(
      { path: 'small', destination: 'out-copier', 'shared-storage': 'true', bwlimit: '100' },
      { PATH: `${scene.env().PATH?.split(':')[0]}:${noRsync}` },
    );
    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout).toContain('(built-in copier)');
    expect(run.stdout).toMatch(
      /::warning title=qq-sync%3A bwlimit::bwlimit: 100 KiB\/s is not applied: rsync is not installed here/,
    );
  });

  it('refuses a value that is no rate, naming the input, before any copy', async () => {
    const { run, copies } = await fetch({ path: 'small', destination: 'out-bad', bwlimit: '--x' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Input 'bwlimit' must be a rate in KiB/s");
    expect(copies).toEqual([]);
  });
});
