/**
 * npx tsx bench/checksums.ts [MiB] [small files]
 *
 * What `manifest: true` and `checksums: true` cost, through the bundle (dist/index.js, run as
 * the runner runs it) with local rsync and with the built-in copier: each run fetches the same
 * working directory into an empty destination (so every file is written, listed and hashed),
 * the variants alternate (A B C C B A …) and the medians are printed. rsync reports no content
 * hash, so with checksums every file it wrote is read once more from the destination (from
 * the page cache here, right after it was written: the CPU cost of SHA-256, the best case).
 * Also `max-size`, whose rsync needs a record per file looked at (--info=name2). Never asserts.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../scripts/run-action.mjs';
import { makeJob } from '../test/support/jobs.js';

const mib = Number(process.argv[2] ?? 256);
const small = Number(process.argv[3] ?? 5000);
const ROUNDS = 3;

const base = mkdtempSync(join(tmpdir(), 'qq-sync-checksums-'));
const workDir = join(base, 'work');
mkdirSync(join(workDir, 'small'), { recursive: true });
const chunk = Buffer.alloc(4 * 1024 * 1024, 7);
for (let i = 0; i < mib / 4; i++) writeFileSync(join(workDir, `big-${i}.bin`), chunk);
for (let i = 0; i < small; i++) writeFileSync(join(workDir, 'small', `f${i}.txt`), `file ${i}\n`);
const nodeOnly = join(base, 'node-only');
mkdirSync(nodeOnly);
symlinkSync(process.execPath, join(nodeOnly, 'node'));

const VARIANTS: Record<string, Record<string, string>> = {
  plain: {},
  manifest: { manifest: 'true' },
  'manifest+checksums': { manifest: 'true', checksums: 'true' },
  'max-size (nothing over it)': { 'max-size': '1G' },
};

async function once(method: string, inputs: Record<string, string>): Promise<number> {
  const ws = mkdtempSync(join(base, 'ws-'));
  makeJob({
    batchSystem: 'PBS',
    jobId: '1.pbs',
    inputDir: join(ws, 'sim'),
    jobState: 'failed',
    exitCode: 1,
    mainNode: 'n1',
    workDir,
  });
  const run = await runAction({
    workspace: ws,
    inputs: { path: 'sim', destination: 'out', 'shared-storage': 'true', ...inputs },
    env: { PATH: method === 'built-in copier' ? nodeOnly : '/usr/local/bin:/usr/bin:/bin' },
  });
  if (run.code !== 0) throw new Error(`${method} ${JSON.stringify(inputs)}: ${run.stdout}`);
  rmSync(ws, { recursive: true, force: true });
  return run.durationMs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

try {
  console.log(`tree: ${mib} MiB in ${mib / 4} files of 4 MiB + ${small} small files`);
  for (const method of ['rsync', 'built-in copier']) {
    const times: Record<string, number[]> = {};
    const names = Object.keys(VARIANTS);
    await once(method, {}); // warm-up
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of r % 2 ? [...names].reverse() : names) {
        const t = await once(method, VARIANTS[name] as Record<string, string>);
        times[name] = [...(times[name] ?? []), t];
      }
    }
    const plain = median(times.plain ?? []);
    for (const name of names) {
      const m = median(times[name] ?? []);
      console.log(
        `${method.padEnd(16)} ${name.padEnd(28)} median ${String(m).padStart(6)} ms  (${(m / plain).toFixed(2)}x plain; runs ${times[name]?.join(', ')})`,
      );
    }
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
