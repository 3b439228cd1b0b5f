/**
 * A file that changes while the built-in copier reads it, through the bundle (no rsync on
 * PATH): never a torn file under its final name, and only bytes actually written counted.
 * - truncated once in the middle of the copy (the moment its temporary file appears in the
 *   destination): the copier sees the change, reads it again, and the destination gets the
 *   version the source has now;
 * - rewritten all the time: after its tries the copier names it and the job fails; the file
 *   is not in the destination, the other files are.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/run-action.mjs';
import { ENTRY, PBS_BIN, Scene } from '../corpus/harness.js';
import { bigFile } from '../support/big-file.js';
import { pathWithoutRsync } from '../support/byte-tree.js';
import { explain } from '../support/explain.js';

const noRsync = pathWithoutRsync();
const scenes: Scene[] = [];
afterEach(() => {
  for (const s of scenes.splice(0)) s.cleanup();
});
afterAll(() => rmSync(noRsync, { recursive: true, force: true }));

const MIB = 1024 * 1024;

/**
 * A second process that changes `file`: `once` — when a temporary file appears in `dest`,
 * truncate it to its first 2 MiB and end (printing `fired`); `always` — truncate and
 * regrow it every few ms until killed.
 */
function changer(mode: 'once' | 'always', file: string, dest: string) {
  const script = `
    const fs = require('node:fs');
    const [mode, file, dest] = process.argv.slice(1);
    const fresh = Buffer.alloc(2 * 1024 * 1024, 0x5a);
    process.stdout.write('ready ');
    if (mode === 'once') {
      // A busy look (not a timer): on a loaded machine a timer can sleep through the copy.
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        let names = [];
        try { names = fs.readdirSync(dest); } catch {}
        if (!names.some((n) => n.endsWith('.qqsync'))) continue;
        fs.truncateSync(file, 2 * 1024 * 1024); // one call: no moment between two versions
        process.stdout.write('fired');
        break;
      }
    } else {
      // Never small (a small file is copied within one tick of the file-time clock, so
      // a version can be read whole between two changes): 32 MiB and 64 MiB in turn.
      let big = false;
      setInterval(() => {
        fs.truncateSync(file, big ? 32 * 1024 * 1024 : 64 * 1024 * 1024);
        fs.writeFileSync(file, fresh, { flag: 'r+' });
        big = !big;
      }, 2);
    }`;
  const child = spawn(process.execPath, ['-e', script, mode, file, dest], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', () => {
      if (out.includes('ready')) resolve();
    });
  });
  // Its output can arrive after the run ends: wait for `fired` (or for it to end, or 5 s).
  const settled = () =>
    new Promise<void>((resolve) => {
      if (out.includes('fired') || child.exitCode !== null) return resolve();
      const t = setTimeout(resolve, 5000);
      const check = () => {
        if (!out.includes('fired') && child.exitCode === null) return;
        clearTimeout(t);
        resolve();
      };
      child.stdout.on('data', check);
      child.on('exit', check);
    });
  return { child, ready, settled, fired: () => out.includes('fired') };
}

function setup() {
  const scene = new Scene();
  scenes.push(scene);
  const job = scene.job('job', {}, { 'a.txt': 'a\n', 'z/last.txt': 'last\n' });
  const run = () =>
    runAction({
      workspace: scene.workspace,
      inputs: { 'shared-storage': 'true', path: 'job', retries: '0' },
      env: scene.env({ PATH: `${PBS_BIN}:${noRsync}` }),
      entry: ENTRY,
      // The changer first: on a loaded machine it must not sleep through the copy.
      wrap: ['/usr/bin/nice', '-n', '19'],
    });
  return { job, run };
}

function leftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) =>
    n.endsWith('.qqsync'),
  );
}

describe('the built-in copier and a file that changes while it is read', () => {
  it('truncated in the middle of the copy: read again, the version the source has now arrives', async () => {
    // The truncation must land during the copy; on a loaded machine the changer can miss the
    // moment (then the source changed after the fetch, which proves nothing): set up again.
    for (let tries = 1; ; tries++) {
      const { job, run } = setup();
      const big = join(job.workDir, 'big.bin');
      await bigFile(big, 300);
      const c = changer('once', big, job.inputDir);
      await c.ready;
      try {
        const r = await run();
        await c.settled();
        if (!c.fired() && tries < 4) continue;
        expect(c.fired(), 'the truncation came during the copy').toBe(true);
        expect(r.code, explain(r)).toBe(0);
        const now = readFileSync(big);
        expect(now.length).toBe(2 * MIB);
        expect(readFileSync(join(job.inputDir, 'big.bin')).equals(now)).toBe(true);
        // 2 MiB, a.txt and z/last.txt: what was written, not what was read before the change.
        expect(Number(r.outputs['bytes-synced'])).toBe(2 * MIB + 2 + 5);
        expect(r.outputs['files-synced']).toBe('3');
        expect(leftovers(job.inputDir)).toEqual([]);
        return;
      } finally {
        c.child.kill('SIGKILL');
        rmSync(big, { force: true });
      }
    }
  });

  it('rewritten all the time: named in the failure, never under its final name; the rest arrives', async () => {
    const { job, run } = setup();
    const big = join(job.workDir, 'big.bin');
    await bigFile(big, 64);
    const c = changer('always', big, job.inputDir);
    await c.ready;
    try {
      const r = await run();
      expect(r.code, explain(r)).not.toBe(0);
      expect(r.outputs.reason).toBe(
        `Could not rsync files between '${job.workDir}' and '${job.inputDir}': "${big}" kept changing while it was read: not copied (built-in copier).`,
      );
      expect(existsSync(join(job.inputDir, 'big.bin'))).toBe(false);
      expect(readFileSync(join(job.inputDir, 'a.txt'), 'utf8')).toBe('a\n');
      expect(readFileSync(join(job.inputDir, 'z/last.txt'), 'utf8')).toBe('last\n');
      expect(leftovers(job.inputDir)).toEqual([]);
    } finally {
      c.child.kill('SIGKILL');
    }
    expect(statSync(big).size).toBeGreaterThan(0);
    writeFileSync(big, ''); // no 300 MiB left behind for the clean-up to wait on
  });
});
