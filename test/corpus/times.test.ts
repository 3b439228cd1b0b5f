/**
 * Modification times as rsync -rltD keeps them, through the bundle, on every local path: real
 * rsync, the in-process copy (a small local job) and the built-in copier (no rsync on PATH).
 * A job's tree may hold times before 1970 (Node's utimes takes a negative number for "now"),
 * on files, directories and symlinks (rsync -t sets a link's own time). `overwrite: newer` is
 * rsync's --update, which compares whole seconds: a destination file newer by a fraction
 * within the same second is replaced, one a second newer is kept (rsync 3.5.0, tried by hand
 * first: the expectations below hold for the rsync run as much as for the others).
 */
import { lstatSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { lutimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ActionRun, runAction } from '../../scripts/run-action.mjs';
import { byteSnapshot, pathWithoutRsync } from '../support/byte-tree.js';
import { explain } from '../support/explain.js';
import { ENTRY, PBS_BIN, Scene } from './harness.js';

/** 1960-06-01 12:00:00.700 UTC, in ms: a time before 1970 with a fraction. */
const OLD_MS = -302_443_199_300;
/** 1969-12-31 23:59:59.500 UTC: half a second before 1970 (whole second −1). */
const JUST_BEFORE_MS = -500;
const T0_MS = 1_700_000_000_000;

const noRsync = pathWithoutRsync();
const scenes: Scene[] = [];
afterEach(() => {
  for (const s of scenes.splice(0)) s.cleanup();
});
afterAll(() => rmSync(noRsync, { recursive: true, force: true }));

/** Date: Node's utimes takes a negative number for "now" (what this file tests the action for). */
const at = (ms: number) => new Date(ms);

function file(path: string, content: string, ms: number): void {
  writeFileSync(path, content);
  utimesSync(path, at(ms), at(ms));
}

async function jobTree(w: string): Promise<void> {
  file(join(w, 'old.txt'), 'old\n', OLD_MS);
  mkdirSync(join(w, 'old-dir'));
  file(join(w, 'old-dir', 'just-before.txt'), 'just before 1970\n', JUST_BEFORE_MS);
  symlinkSync('old.txt', join(w, 'old-link'));
  await lutimes(join(w, 'old-link'), at(OLD_MS), at(OLD_MS));
  // --update against what the destination holds (the job's copy is always the longer one).
  file(join(w, 'same-second.txt'), 'job, longer\n', T0_MS + 200);
  file(join(w, 'next-second.txt'), 'job, longer\n', T0_MS + 700);
  file(join(w, 'old-same-second.txt'), 'job, longer\n', OLD_MS - 500);
  file(join(w, 'old-next-second.txt'), 'job, longer\n', OLD_MS);
  file(join(w, 'old-quick-check.txt'), 'job\n', OLD_MS - 600);
  utimesSync(join(w, 'old-dir'), at(OLD_MS + 1000), at(OLD_MS + 1000));
}

function seedDestination(d: string): void {
  file(join(d, 'same-second.txt'), 'mine\n', T0_MS + 700);
  file(join(d, 'next-second.txt'), 'mine\n', T0_MS + 1200);
  file(join(d, 'old-same-second.txt'), 'mine\n', OLD_MS);
  file(join(d, 'old-next-second.txt'), 'mine\n', OLD_MS + 1000);
  // Same size, same whole second: up to date for rsync's quick check.
  file(join(d, 'old-quick-check.txt'), 'own\n', OLD_MS);
}

type Path = 'rsync' | 'in-process copy' | 'built-in copier';

async function fetchWith(method: Path) {
  const scene = new Scene();
  scenes.push(scene);
  const job = scene.job('job', {}, {});
  await jobTree(job.workDir);
  seedDestination(job.inputDir);
  const env: Record<string, string> =
    method === 'built-in copier'
      ? { PATH: `${PBS_BIN}:${noRsync}` }
      : method === 'rsync'
        ? { QQ_SYNC_IN_PROCESS_BELOW_ENTRIES: '0' }
        : {};
  const run: ActionRun = await runAction({
    workspace: scene.workspace,
    inputs: { 'shared-storage': 'true', path: 'job', retries: '0', overwrite: 'newer' },
    env: scene.env(env),
    entry: ENTRY,
  });
  expect(run.code, explain(run)).toBe(0);
  expect(run.stdout).toContain(`(${method}).`);
  const tree = byteSnapshot(job.inputDir);
  delete tree['run_md.qqinfo'];
  // Below the second: rsync keeps nanoseconds; a time before 1970 is kept to the millisecond.
  const ms = Object.fromEntries(
    ['old.txt', 'old-link', 'old-dir', 'old-dir/just-before.txt'].map((n) => [
      n,
      Math.floor(lstatSync(join(job.inputDir, n)).mtimeMs),
    ]),
  );
  return { tree, ms };
}

describe('times before 1970 and --update, as rsync -rltD keeps and compares them', () => {
  it('rsync, the in-process copy and the built-in copier give the same tree', async () => {
    const viaRsync = await fetchWith('rsync');
    const t = viaRsync.tree;
    const sec = (ms: number) => Math.floor(ms / 1000);
    expect(t['old.txt']).toMatchObject({ type: 'file', mtimeSec: sec(OLD_MS) });
    expect(t['old-link']).toMatchObject({ type: 'symlink', mtimeSec: sec(OLD_MS) });
    expect(t['old-dir']).toMatchObject({ type: 'dir', mtimeSec: sec(OLD_MS + 1000) });
    expect(t['old-dir/just-before.txt']?.mtimeSec).toBe(-1);
    expect(viaRsync.ms).toEqual({
      'old.txt': OLD_MS,
      'old-link': OLD_MS,
      'old-dir': OLD_MS + 1000,
      'old-dir/just-before.txt': JUST_BEFORE_MS,
    });
    const text = (n: string) => Buffer.from(t[n]?.content ?? '', 'base64').toString();
    // Newer within the same second: replaced; a second newer: kept; same second and size: kept.
    expect(text('same-second.txt')).toBe('job, longer\n');
    expect(text('old-same-second.txt')).toBe('job, longer\n');
    expect(text('next-second.txt')).toBe('mine\n');
    expect(text('old-next-second.txt')).toBe('mine\n');
    expect(text('old-quick-check.txt')).toBe('own\n');

    for (const method of ['in-process copy', 'built-in copier'] as const) {
      const other = await fetchWith(method);
      expect(other.tree, method).toEqual(viaRsync.tree);
      expect(other.ms, method).toEqual(viaRsync.ms);
    }
  });
});
