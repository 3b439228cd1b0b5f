/**
 * The destination corpus, through the bundle, locally (shared storage, real rsync) and over the
 * real sshd: a symlink in the destination that points outside is never written through, a file
 * the user edited after the job wrote it is kept with `overwrite: newer`, odd names arrive
 * intact, symlinks arrive as symlinks.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { explain } from '../support/explain.js';
import { sshInputs, sshSkip } from '../support/services.js';
import { PBS_BIN, Scene } from './harness.js';

const sshd = inject('sshd');
const scenes: Scene[] = [];
afterEach(() => {
  for (const s of scenes.splice(0)) s.cleanup();
});

/** Names that break shells, option parsers, globbing, line-based parsers and encodings. */
const ODD_NAMES = [
  'a b.txt',
  'new\nline.txt',
  '-rf',
  '--rsh=touch CANARY',
  '*',
  '?[a]',
  'ünïcødé 名前 ✓.txt',
  '$(touch CANARY)',
  '`touch CANARY`',
  'it\'s "quoted"',
  'back\\slash',
  ' leading space',
  'trailing space ',
  'semi;colon|pipe&amp>gt',
  '::error::odd.txt',
  '.hidden',
];

// A PATH with node (for the stand-in qstat) but no rsync: the built-in copier is used.
const noRsyncBin = mkdtempSync(join(tmpdir(), 'qq-sync-g-bin-'));
symlinkSync(process.execPath, join(noRsyncBin, 'node'));
afterAll(() => rmSync(noRsyncBin, { recursive: true, force: true }));

const modes = [
  // A small local job is copied in-process unless told otherwise: here rsync runs.
  { name: 'locally with rsync', ssh: false, path: undefined, rsync: true },
  { name: 'locally, copied in-process (the default for a small job)', ssh: false, path: undefined },
  { name: 'locally with the built-in copier (no rsync on PATH)', ssh: false, path: noRsyncBin },
  { name: 'over the real sshd', ssh: true, path: undefined },
] as const;

for (const mode of modes) {
  describe.skipIf(mode.ssh && sshSkip(sshd))(`destination corpus, ${mode.name}`, () => {
    function setup(files: Record<string, string> = {}) {
      const scene = new Scene();
      scenes.push(scene);
      const job = scene.job('job', mode.ssh ? { mainNode: '127.0.0.1' } : {}, files);
      const inputs: Record<string, string> = mode.ssh
        ? { ...sshInputs(sshd), 'shared-storage': 'false', path: 'job', retries: '0' }
        : { 'shared-storage': 'true', path: 'job', retries: '0' };
      const env: Record<string, string> = mode.path ? { PATH: `${PBS_BIN}:${mode.path}` } : {};
      if ('rsync' in mode && mode.rsync) env.QQ_SYNC_IN_PROCESS_BELOW_ENTRIES = '0';
      const run = (extra: Record<string, string> = {}) => scene.run({ ...inputs, ...extra }, env);
      return { scene, job, run };
    }

    it('never writes through a symlink in the destination that points outside', async () => {
      const {
        scene,
        job,
        run: sync,
      } = setup({
        'out/evil.txt': 'from the job\n',
        'victim.txt': 'from the job\n',
      });
      const outside = join(scene.base, 'outside');
      mkdirSync(outside);
      writeFileSync(join(outside, 'victim.txt'), 'precious\n');
      // The destination holds symlinks where the job has a directory and a file.
      symlinkSync(outside, join(job.inputDir, 'out'));
      symlinkSync(join(outside, 'victim.txt'), join(job.inputDir, 'victim.txt'));
      const run = await sync();
      expect(run.code, explain(run)).toBe(0);
      expect(readdirSync(outside)).toEqual(['victim.txt']);
      expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('precious\n');
      expect(existsSync(join(outside, 'evil.txt'))).toBe(false);
    });

    it('keeps a file the user edited after the job wrote it (overwrite: newer), replaces it with always', async () => {
      const { job, run: sync } = setup({ 'notes.txt': 'job version\n', 'old.txt': 'job\n' });
      const past = new Date('2026-01-01T00:00:00Z');
      utimesSync(join(job.workDir, 'notes.txt'), past, past);
      utimesSync(join(job.workDir, 'old.txt'), past, past);
      writeFileSync(join(job.inputDir, 'notes.txt'), 'edited by the user\n');
      writeFileSync(join(job.inputDir, 'mine.txt'), 'only mine\n');
      const older = new Date('2025-01-01T00:00:00Z');
      writeFileSync(join(job.inputDir, 'old.txt'), 'stale copy\n');
      utimesSync(join(job.inputDir, 'old.txt'), older, older);
      const run = await sync();
      expect(run.code, explain(run)).toBe(0);
      expect(readFileSync(join(job.inputDir, 'notes.txt'), 'utf8')).toBe('edited by the user\n');
      expect(readFileSync(join(job.inputDir, 'old.txt'), 'utf8')).toBe('job\n');
      expect(readFileSync(join(job.inputDir, 'mine.txt'), 'utf8')).toBe('only mine\n');
      const always = await sync({ overwrite: 'always' });
      expect(always.code, explain(always)).toBe(0);
      expect(readFileSync(join(job.inputDir, 'notes.txt'), 'utf8')).toBe('job version\n');
      // Never deleted: files only the destination has stay.
      expect(readFileSync(join(job.inputDir, 'mine.txt'), 'utf8')).toBe('only mine\n');
    });

    it('brings odd names intact, and runs nothing they spell', async () => {
      const files = Object.fromEntries(ODD_NAMES.map((n, i) => [n, `content ${i}\n`]));
      files['dir with space/-sub *'] = 'nested\n';
      const { scene, job, run: sync } = setup(files);
      const run = await sync();
      expect(run.code, explain(run)).toBe(0);
      for (const [name, content] of Object.entries(files)) {
        expect(readFileSync(join(job.inputDir, name), 'utf8'), JSON.stringify(name)).toBe(content);
      }
      expect(run.summary).toContain(
        // The outcome names the method where it is not plain rsync.
        mode.path
          ? 'fetched (built-in copier)'
          : mode.ssh
            ? 'fetched (over ssh)'
            : '<td>fetched</td>',
      );
      // The log names the method too (the summary is not in the log).
      const method = mode.path
        ? 'built-in copier'
        : mode.ssh
          ? 'rsync over ssh'
          : 'rsync' in mode
            ? 'rsync'
            : 'in-process copy';
      expect(run.stdout).toContain(` bytes (${method}).`);
      expect(scene.canaryFired()).toEqual([]);
      expect(existsSync(join(scene.workspace, 'CANARY'))).toBe(false);
    });

    it('brings symlinks as symlinks (relative, absolute, dangling, to a directory)', async () => {
      const { job, run: sync } = setup({ 'result.txt': 'r\n', 'sub/inner.txt': 'i\n' });
      symlinkSync('result.txt', join(job.workDir, 'rel-link'));
      symlinkSync('/etc/hostname', join(job.workDir, 'abs-link'));
      symlinkSync('does/not/exist', join(job.workDir, 'dangling'));
      symlinkSync('sub', join(job.workDir, 'dir-link'));
      const run = await sync();
      expect(run.code, explain(run)).toBe(0);
      for (const [name, target] of [
        ['rel-link', 'result.txt'],
        ['abs-link', '/etc/hostname'],
        ['dangling', 'does/not/exist'],
        ['dir-link', 'sub'],
      ] as const) {
        const p = join(job.inputDir, name);
        expect(lstatSync(p).isSymbolicLink(), name).toBe(true);
        expect(readlinkSync(p), name).toBe(target);
      }
      expect(readFileSync(join(job.inputDir, 'sub/inner.txt'), 'utf8')).toBe('i\n');
    });
  });
}
