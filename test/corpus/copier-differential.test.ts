/**
 * The built-in copier against real rsync, through the bundle, on a generated tree: odd names
 * (non-UTF-8 bytes, spaces, leading dashes, a newline), permission bits (under umask 027),
 * symlinks, a FIFO, names that change type both ways, an unreadable directory and file, and
 * destination files newer and older than the job's. Both runs are unprivileged for file access
 * (root without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH, so mode 000 is unreadable), one with
 * rsync on PATH, one without. Every difference in the resulting tree (types, bytes, modes,
 * mtimes, link targets), in the exit, the status or the entries the failure names is a
 * failure of this test.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  lutimesSync,
  mkdirSync,
  openSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ActionRun, runAction } from '../../scripts/run-action.mjs';
import { byteSnapshot, escapeBytes, pathWithoutRsync, UNPRIVILEGED } from '../support/byte-tree.js';
import { explain } from '../support/explain.js';
import { ENTRY, PBS_BIN, Scene } from './harness.js';

const T0 = 1_700_000_000;
/** `dir-\xff` and `f\xe9.txt`: not UTF-8. */
const ODD_DIR = Buffer.from([0x64, 0x69, 0x72, 0x2d, 0xff]);
const ODD_FILE = Buffer.from([0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]);

// A PBS-like umask for the runs (inherited by the action; this file runs in its own process).
let savedUmask = 0;
beforeAll(() => {
  savedUmask = process.umask(0o027);
});
afterAll(() => {
  process.umask(savedUmask);
});

const noRsync = pathWithoutRsync();
const scenes: Scene[] = [];
afterEach(() => {
  for (const s of scenes.splice(0)) s.cleanup();
});
afterAll(() => rmSync(noRsync, { recursive: true, force: true }));

function at(root: string, ...parts: Array<string | Buffer>): Buffer {
  return Buffer.concat([
    Buffer.from(root),
    ...parts.flatMap((p) => [Buffer.from('/'), Buffer.from(p)]),
  ]);
}

function file(path: Buffer, content: string, mode = 0o644, mtime = T0): void {
  const fd = openSync(path, 'w', mode);
  writeSync(fd, content);
  closeSync(fd);
  chmodSync(path, mode);
  utimesSync(path, mtime, mtime);
}

function dir(path: Buffer, mode = 0o755): void {
  mkdirSync(path, { mode });
  chmodSync(path, mode);
}

function link(path: Buffer, target: string | Buffer, mtime = T0): void {
  symlinkSync(target, path);
  lutimesSync(path, mtime, mtime);
}

/** The job's working directory. */
function jobTree(w: string): void {
  for (const name of [
    'plain.txt',
    'with space.txt',
    '-leading-dash',
    ' leading space',
    'new\nline',
  ]) {
    file(at(w, name), `content of ${JSON.stringify(name)}\n`);
  }
  dir(at(w, ODD_DIR));
  file(at(w, ODD_DIR, 'inner.txt'), 'inner\n');
  file(at(w, ODD_DIR, ODD_FILE), 'odd in odd\n');
  file(at(w, ODD_FILE), 'odd\n');
  file(at(w, 'mode-600.txt'), '600\n', 0o600);
  file(at(w, 'mode-755.sh'), '755\n', 0o755);
  file(at(w, 'setuid'), 'setuid\n', 0o4755);
  dir(at(w, 'dir-700'), 0o700);
  file(at(w, 'dir-700', 'f'), 'f\n');
  dir(at(w, 'dir-750'), 0o750);
  file(at(w, 'dir-750', 'f'), 'f\n', 0o640);
  link(at(w, 'rel-link'), 'plain.txt');
  link(at(w, 'abs-link'), '/etc/hostname');
  link(at(w, 'dangling'), 'nowhere');
  link(at(w, 'odd-link'), ODD_FILE);
  const fifo = spawnSync('mkfifo', ['-m', '640', '--', join(w, 'pipe')]);
  expect(fifo.status).toBe(0);
  utimesSync(join(w, 'pipe'), T0, T0);
  // Unreadable entries, with readable ones after them.
  dir(at(w, 'locked'));
  file(at(w, 'locked', 'inside.txt'), 'inside\n');
  file(at(w, 'secret.bin'), 'secret\n', 0o000);
  dir(at(w, 'sub'));
  file(at(w, 'sub', 'ok2.txt'), 'ok2\n');
  dir(at(w, 'sub', 'deeper'));
  file(at(w, 'sub', 'deeper', 'z.bin'), '\0\x01\x02\xff');
  file(at(w, 'zz_last.txt'), 'last\n');
  // Names that change type, and files the destination has too.
  for (const d of ['became-dir-newer', 'became-dir-older', 'became-dir-link-newer']) {
    dir(at(w, d));
    file(at(w, d, 'f'), `${d}\n`);
  }
  file(at(w, 'became-file'), 'now a file\n');
  file(at(w, 'became-file-empty'), 'now a file\n');
  file(at(w, 'link-became-file'), 'now a file\n');
  file(at(w, 'kept-newer.txt'), 'job\n');
  file(at(w, 'replaced-older.txt'), 'job, newer\n', 0o640);
  file(at(w, 'same.txt'), 'same\n');
  // Directory times last, deepest first; the locked directory's bits after its contents.
  for (const d of [
    ['sub', 'deeper'],
    ['sub'],
    [ODD_DIR],
    ['dir-700'],
    ['dir-750'],
    ['became-dir-newer'],
    ['became-dir-older'],
    ['became-dir-link-newer'],
    ['locked'],
  ]) {
    utimesSync(at(w, ...d), T0 + 5, T0 + 5);
  }
  chmodSync(at(w, 'locked'), 0o000);
  utimesSync(w, T0 + 5, T0 + 5);
}

/** What the destination holds before the fetch. */
function seedDestination(d: string): void {
  file(at(d, 'became-dir-newer'), 'mine, newer\n', 0o644, T0 + 1000);
  file(at(d, 'became-dir-older'), 'mine, older\n', 0o644, T0 - 1000);
  link(at(d, 'became-dir-link-newer'), 'mine', T0 + 1000);
  dir(at(d, 'became-file'));
  file(at(d, 'became-file', 'x'), 'x\n');
  utimesSync(at(d, 'became-file'), T0 + 1000, T0 + 1000);
  dir(at(d, 'became-file-empty'));
  link(at(d, 'link-became-file'), 'elsewhere', T0 + 1000);
  file(at(d, 'kept-newer.txt'), 'mine\n', 0o644, T0 + 1000);
  file(at(d, 'replaced-older.txt'), 'stale\n', 0o644, T0 - 1000);
  file(at(d, 'same.txt'), 'same\n');
  file(at(d, 'dest-only.txt'), 'only mine\n');
}

/** The entries a failure names, relative to the work dir (rsync's and the copier's words). */
function named(run: ActionRun, workDir: string): string[] {
  const reason = run.outputs.reason ?? '';
  const out = new Set<string>();
  for (const m of reason.matchAll(/"([^"\n]+)"/g))
    out.add(`read: ${(m[1] as string).replace(`${workDir}/`, '')}`);
  for (const m of reason.matchAll(/could not make way for new [a-z ]+: ([^\n]+)/g)) {
    out.add(`kept dir: ${(m[1] as string).replace(/\.$/, '')}`);
  }
  for (const m of reason.matchAll(/'([^'\n]+)' in the destination is a/g)) out.add(`kept: ${m[1]}`);
  return [...out].sort();
}

interface Result {
  run: ActionRun;
  tree: ReturnType<typeof byteSnapshot>;
  named: string[];
}

async function fetchWith(method: 'rsync' | 'copier', overwrite: string): Promise<Result> {
  const scene = new Scene();
  scenes.push(scene);
  const job = scene.job('job', {}, {});
  jobTree(job.workDir);
  seedDestination(job.inputDir);
  const run = await runAction({
    workspace: scene.workspace,
    inputs: { 'shared-storage': 'true', path: 'job', retries: '0', overwrite },
    env: scene.env(method === 'copier' ? { PATH: `${PBS_BIN}:${noRsync}` } : {}),
    entry: ENTRY,
    wrap: UNPRIVILEGED,
  });
  const tree = byteSnapshot(job.inputDir);
  delete tree['run_md.qqinfo'];
  chmodSync(join(job.workDir, 'locked'), 0o755);
  return { run, tree, named: named(run, job.workDir) };
}

describe('the built-in copier and rsync -rltD, unprivileged, on the same generated tree', () => {
  it.each(['newer', 'always'])('overwrite: %s', async (overwrite) => {
    const viaRsync = await fetchWith('rsync', overwrite);
    const viaCopier = await fetchWith('copier', overwrite);
    // Each failed (unreadable entries) in its own words: the method is in them.
    expect(viaRsync.run.outputs.reason, explain(viaRsync.run)).toContain('rsync: [sender]');
    expect(viaCopier.run.outputs.reason, explain(viaCopier.run)).toMatch(/\(built-in copier\)\.$/);
    expect(viaCopier.tree).toEqual(viaRsync.tree);
    expect(viaCopier.run.code).toBe(viaRsync.run.code);
    expect(viaCopier.run.outputs.status).toBe(viaRsync.run.outputs.status);
    expect(viaCopier.named).toEqual(viaRsync.named);

    // What both must show, not only agree on.
    const t = viaCopier.tree;
    expect(viaCopier.run.code, explain(viaCopier.run)).not.toBe(0);
    expect(viaCopier.run.outputs.reason).toMatch(/^Could not rsync files between '.*' and '.*': /);
    expect(viaCopier.named).toEqual(
      expect.arrayContaining(['read: locked', 'read: secret.bin', 'kept dir: became-file']),
    );
    for (const name of ['sub/ok2.txt', 'zz_last.txt', 'sub/deeper/z.bin']) {
      expect(t[name]?.type, name).toBe('file');
    }
    expect(t[`${escapeBytes(ODD_DIR)}/${escapeBytes(ODD_FILE)}`]?.type).toBe('file');
    expect(t[escapeBytes(ODD_FILE)]?.content).toBe(Buffer.from('odd\n').toString('base64'));
    expect(t['odd-link']?.target).toBe(escapeBytes(ODD_FILE));
    expect(t.pipe).toMatchObject({ type: 'fifo', mode: 0o640, mtimeSec: T0 });
    // rsync without -p: new entries take the source's bits under the umask (027), no setuid.
    expect(t['mode-755.sh']?.mode).toBe(0o750);
    expect(t.setuid?.mode).toBe(0o750);
    expect(t['dir-700']).toMatchObject({ type: 'dir', mode: 0o700, mtimeSec: T0 + 5 });
    expect(t['became-file-empty']?.type).toBe('file');
    expect(t['became-dir-older']?.type).toBe('dir');
    expect(t['dest-only.txt']?.type).toBe('file');
    if (overwrite === 'newer') {
      expect(viaCopier.named).toEqual(
        expect.arrayContaining(['kept: became-dir-newer', 'kept: became-dir-link-newer']),
      );
      expect(t['became-dir-newer']).toMatchObject({ type: 'file', mtimeSec: T0 + 1000 });
      expect(t['became-dir-link-newer']).toMatchObject({ type: 'symlink', target: 'mine' });
      expect(t['kept-newer.txt']?.content).toBe(Buffer.from('mine\n').toString('base64'));
      // Replaced, but with its own bits (0644), not the source's (0640).
      expect(t['replaced-older.txt']).toMatchObject({ mode: 0o644, mtimeSec: T0 });
    } else {
      // overwrite: always is qq's behaviour: the job's copy wins.
      expect(t['became-dir-newer']?.type).toBe('dir');
      expect(t['became-dir-link-newer']?.type).toBe('dir');
      expect(t['kept-newer.txt']?.content).toBe(Buffer.from('job\n').toString('base64'));
    }
    expect(
      Object.keys(t).filter((n) => n.includes('qq-sync-displaced') || n.endsWith('.qqsync')),
    ).toEqual([]);
  });
});
