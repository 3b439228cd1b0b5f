/**
 * Small local jobs are copied in-process (issue 19 §3): through the bundle, a campaign of
 * them spawns no rsync at all (not even `rsync --version`: whether rsync is installed is looked
 * up on PATH, its version asked only when it runs), a dry run none either, and
 * the trees, times, modes and counts are those rsync gives (the same campaign with rsync
 * made to run is the oracle). A job of as many entries as the threshold, or one holding a
 * FIFO, goes to rsync, unless its destination is new: then it is copied in-process at any
 * size (issue 29), unless `streams` may split it. The rsync on PATH is the real one behind a wrapper that logs its argv.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IN_PROCESS_BELOW_ENTRIES } from '../../src/transfer/index.js';
import { jobRows, Scene } from '../corpus/harness.js';
import { requireCurrentBundle } from '../support/bundle.js';
import { byteSnapshot } from '../support/byte-tree.js';
import { argvLoggingBin, loggedCalls } from '../support/call-log.js';
import { explain } from '../support/explain.js';

requireCurrentBundle();
const scene = new Scene('qq-sync-in-process-');
afterAll(() => scene.cleanup());

const JOBS = 12;
const T0 = 1_700_000_000;
const log = join(scene.base, 'rsync.log');
const wrappers = argvLoggingBin(join(scene.base, 'wrap'), ['rsync'], log);

for (let i = 0; i < JOBS; i++) {
  const { workDir } = scene.job(
    `campaign/j${String(i).padStart(2, '0')}`,
    {},
    {
      'md.log': `step ${i}\n`,
      'analysis/rmsd.xvg': `0 ${i}\n`,
      ' odd name $(x).txt': 'odd\n',
    },
  );
  symlinkSync('md.log', join(workDir, 'latest.log'));
  for (const p of ['md.log', 'analysis/rmsd.xvg', 'analysis', '.']) {
    utimesSync(join(workDir, p), T0 + i, T0 + i);
  }
}

/** The campaign fetched into `destination`; `rsync`: made to run (the oracle). */
async function fetchCampaign(
  destination: string,
  extra: Record<string, string> = {},
  rsync = false,
) {
  const calls = loggedCalls(log).length;
  const run = await scene.run(
    { path: 'campaign/*', 'shared-storage': 'true', destination, ...extra },
    {
      PATH: `${wrappers}:${scene.env().PATH}`,
      ...(rsync ? { QQ_SYNC_IN_PROCESS_BELOW_ENTRIES: '0' } : {}),
    },
  );
  expect(run.code, explain(run)).toBe(0);
  const status = extra['dry-run'] === 'true' ? 'dry-run' : 'synced';
  expect(jobRows(run).map((r) => r.status)).toEqual(Array(JOBS).fill(status));
  return { run, rsyncCalls: loggedCalls(log).slice(calls) };
}

/**
 * The destination's snapshot, its top-level entries without their time: the jobs' locks are
 * taken and removed beside each job's directory, after other copies.
 */
function tree(destination: string) {
  const snap = byteSnapshot(join(scene.workspace, destination));
  for (const [rel, entry] of Object.entries(snap)) if (!rel.includes('/')) entry.mtimeSec = 0;
  return snap;
}

describe('small local jobs, copied in-process', () => {
  it('spawn no rsync, and give what rsync gives: trees, times, modes, counts', async () => {
    const ours = await fetchCampaign('ours');
    expect(ours.rsyncCalls).toEqual([]);
    expect(ours.run.stdout.match(/ bytes \(in-process copy\)\./g)).toHaveLength(JOBS);
    // The summary does not call it out: it is how a small local job is fetched.
    expect(ours.run.summary).not.toContain('in-process');

    const oracle = await fetchCampaign('by-rsync', {}, true);
    expect(oracle.rsyncCalls.filter((c) => c.includes('-rltD'))).toHaveLength(JOBS);
    expect(tree('ours')).toEqual(tree('by-rsync'));
    for (const name of ['files-synced', 'bytes-synced']) {
      expect(ours.run.outputs[name], name).toBe(oracle.run.outputs[name]);
    }
    expect(ours.run.outputs['files-synced']).toBe(String(JOBS * 3));
    const changed = (run: typeof ours.run, prefix: string) =>
      (JSON.parse(run.outputs['changed-files'] ?? '[]') as string[]).map((p) =>
        p.replace(prefix, ''),
      );
    expect(changed(ours.run, 'ours/')).toEqual(changed(oracle.run, 'by-rsync/'));
    expect(changed(ours.run, 'ours/')).toHaveLength(JOBS * 4);
  });

  it('a dry run counts without spawning rsync, as rsync --dry-run counts, and writes nothing', async () => {
    const ours = await fetchCampaign('dry', { 'dry-run': 'true' });
    expect(ours.rsyncCalls).toEqual([]);
    const oracle = await fetchCampaign('dry-rsync', { 'dry-run': 'true' }, true);
    expect(oracle.rsyncCalls.filter((c) => c.includes('--dry-run'))).toHaveLength(JOBS);
    // Nothing written: files-synced is 0; what would be is in each job's would-fields.
    const would = (run: typeof ours.run) =>
      JSON.parse(run.outputs.jobs ?? '[]').reduce(
        (
          n: { files: number; bytes: number },
          j: { filesWouldSync: number; bytesWouldSync: number },
        ) => ({
          files: n.files + j.filesWouldSync,
          bytes: n.bytes + j.bytesWouldSync,
        }),
        { files: 0, bytes: 0 },
      );
    expect(ours.run.outputs['files-synced']).toBe('0');
    expect(ours.run.outputs.status).toBe('dry-run');
    expect(would(ours.run).files).toBe(JOBS * 3);
    expect(would(ours.run)).toEqual(would(oracle.run));
    expect(existsSync(join(scene.workspace, 'dry'))).toBe(false);
  });

  it(`a job of ${IN_PROCESS_BELOW_ENTRIES} entries or one with a FIFO goes to rsync`, async () => {
    // The root and IN_PROCESS_BELOW_ENTRIES - 1 files: as many entries as the limit.
    const files = Object.fromEntries(
      Array.from({ length: IN_PROCESS_BELOW_ENTRIES - 1 }, (_, i) => [`f${i}.dat`, `${i}\n`]),
    );
    scene.job('big', {}, files);
    const fifo = scene.job('fifo', {}, { 'out.txt': 'with a pipe\n' });
    expect(spawnSync('mkfifo', [join(fifo.workDir, 'pipe')]).status).toBe(0);
    const calls = loggedCalls(log).length;
    const run = await scene.run(
      { path: 'big\nfifo', 'shared-storage': 'true' },
      { PATH: `${wrappers}:${scene.env().PATH}` },
    );
    expect(run.code, explain(run)).toBe(0);
    const copies = loggedCalls(log)
      .slice(calls)
      .filter((c) => c.includes('-rltD'));
    expect(copies).toHaveLength(2);
    expect(run.stdout.match(/ bytes \(rsync\)\./g)).toHaveLength(2);
    expect(
      jobRows(run)
        .map((r) => r.filesSynced)
        .sort((a, b) => a - b),
    ).toEqual([1, IN_PROCESS_BELOW_ENTRIES - 1]);
  });

  const LARGE = 74;
  it('a job larger than the limit into a new destination: in-process, unless streams are asked for', async () => {
    // More entries than a small-tree limit of 64 (the default's tree would be slow to make),
    // a FIFO among them (the copier makes it).
    const files = Object.fromEntries(
      Array.from({ length: LARGE }, (_, i) => [`d${i % 4}/f${i}.dat`, `${i}\n`]),
    );
    const { workDir } = scene.job('large', {}, files);
    expect(spawnSync('mkfifo', [join(workDir, 'd1/pipe')]).status).toBe(0);
    const fetchLarge = async (destination: string, extra: Record<string, string>) => {
      const calls = loggedCalls(log).length;
      const run = await scene.run(
        { path: 'large', 'shared-storage': 'true', destination, ...extra },
        {
          PATH: `${wrappers}:${scene.env().PATH}`,
          RUNNER_DEBUG: '1',
          QQ_SYNC_IN_PROCESS_BELOW_ENTRIES: '64',
        },
      );
      expect(run.code, explain(run)).toBe(0);
      const copies = loggedCalls(log)
        .slice(calls)
        .filter((c) => c.includes('-rltD'));
      return { run, copies };
    };
    const ours = await fetchLarge('large-new', {});
    expect(ours.copies).toEqual([]);
    expect(ours.run.stdout).toMatch(
      /'[^']*': a new destination, copied in-process \(no rsync spawned\)/,
    );
    expect(ours.run.stdout).toMatch(/ bytes \(in-process copy\)\./);
    // Streams asked for: rsync, which may split it (this tree is too small to be split).
    const oracle = await fetchLarge('large-streams', { streams: '2' });
    expect(oracle.copies).toHaveLength(1);
    expect(oracle.run.stdout).toMatch(/ bytes \(rsync\)\./);
    expect(byteSnapshot(join(scene.workspace, 'large-new'))).toEqual(
      byteSnapshot(join(scene.workspace, 'large-streams')),
    );
    for (const name of ['files-synced', 'bytes-synced']) {
      expect(ours.run.outputs[name], name).toBe(oracle.run.outputs[name]);
    }
    const changed = (run: typeof ours.run, prefix: string) =>
      (JSON.parse(run.outputs['changed-files'] ?? '[]') as string[])
        .map((p) => p.replace(prefix, ''))
        .sort();
    expect(changed(ours.run, 'large-new/')).toEqual(changed(oracle.run, 'large-streams/'));
    expect(changed(ours.run, 'large-new/')).toHaveLength(LARGE);
    expect(ours.run.outputs['files-synced']).toBe(String(LARGE));
  });

  it('a refused type change, in-process then rsync and by rsync alone: the job fails, reporting only what is in the destination', async () => {
    for (const [dir, env] of [
      ['refused-in-process', {}],
      ['refused-rsync', { QQ_SYNC_IN_PROCESS_BELOW_ENTRIES: '0' }],
    ] as const) {
      const { workDir, inputDir } = scene.job(
        dir,
        {},
        {
          'res/inside.txt': 'inside\n',
          'res/deep/b.txt': 'b\n',
          'plain.txt': 'plain\n',
        },
      );
      utimesSync(join(workDir, 'res'), T0, T0);
      writeFileSync(join(inputDir, 'res'), 'mine, newer\n');
      utimesSync(join(inputDir, 'res'), T0 + 1000, T0 + 1000);
      const run = await scene.run({ path: dir, 'shared-storage': 'true' }, env);
      expect(run.code, explain(run)).toBe(1);
      const [row] = jobRows(run);
      expect(row?.status).toBe('failed');
      expect(row?.reason).toMatch(/'res' in the destination is a file newer/);
      expect([row?.filesSynced, row?.bytesSynced]).toEqual([1, 6]);
      expect(run.outputs['files-synced']).toBe('1');
      expect(JSON.parse(run.outputs['changed-files'] ?? '[]')).toEqual([`${dir}/plain.txt`]);
      expect(readFileSync(join(inputDir, 'res'), 'utf8')).toBe('mine, newer\n');
    }
  });
});
