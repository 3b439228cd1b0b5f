/**
 * `streams` through the bundle: a job large enough to be split, fetched with one stream and
 * with four — by local rsync, by the built-in copier (which takes the whole tree: the same
 * result whatever `streams` says) and by rsync over the real sshd — gives the same tree and
 * the same counts; a part that fails for a transient reason is retried alone.
 */
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { jobRows, PBS_BIN, Scene } from '../corpus/harness.js';
import { requireCurrentBundle } from '../support/bundle.js';
import { explain } from '../support/explain.js';
import { sshInputs, sshSkip } from '../support/services.js';
import {
  byteSnapshot,
  corpusTree,
  FILLER_DIRS,
  FILLER_PER_DIR,
  failingRsync,
  seedDestination,
} from '../support/streams-corpus.js';
import { put } from '../support/transfer.js';

requireCurrentBundle();
const sshd = inject('sshd');
const scene = new Scene('qq-sync-streams-');
afterAll(() => scene.cleanup());

const outside = join(scene.base, 'outside');
mkdirSync(outside);
await put(outside, 'target.txt', 'outside');
let next = 0;

type How = 'rsync' | 'built-in copier' | 'rsync over ssh';

/** A job whose work dir holds the corpus; `inputs` for fetching it the way `how` says. */
async function corpusJob(how: How) {
  const ssh = how === 'rsync over ssh';
  const dir = `job${next++}`;
  const job = scene.job(dir, { mainNode: ssh ? '127.0.0.1' : 'node1.example.org' }, {});
  await corpusTree(job.workDir, outside, how !== 'built-in copier');
  const inputs: Record<string, string> = {
    path: dir,
    overwrite: 'newer',
    'shared-storage': ssh ? 'false' : 'true',
    ...(ssh ? sshInputs(sshd) : {}),
  };
  const env: Record<string, string> = {};
  if (how === 'built-in copier') {
    // No rsync on PATH: node (for the stand-in qstat) and nothing else.
    const nodeOnly = join(scene.base, 'node-only');
    mkdirSync(nodeOnly, { recursive: true });
    try {
      symlinkSync(process.execPath, join(nodeOnly, 'node'));
    } catch {}
    env.PATH = `${PBS_BIN}:${nodeOnly}`;
  }
  return { dir, inputs, env };
}

describe.each<How>(['rsync', 'built-in copier', 'rsync over ssh'])('streams with %s', (how) => {
  it.skipIf(how === 'rsync over ssh' && sshSkip(sshd))(
    'one stream and four give the same tree and the same counts',
    async () => {
      const { dir, inputs, env } = await corpusJob(how);
      const snaps = [];
      const counts = [];
      for (const streams of ['1', '4']) {
        const destination = join(scene.base, `dest-${dir}-${streams}`);
        await seedDestination(destination, outside);
        const run = await scene.run({ ...inputs, streams, destination }, env);
        expect(run.code, explain(run)).toBe(0);
        const [row] = jobRows(run);
        expect(row?.status, explain(run)).toBe('synced');
        counts.push([row?.filesSynced, row?.bytesSynced]);
        // The copier takes the whole tree (it is concurrent inside); rsync is split.
        const split = streams === '4' && how !== 'built-in copier';
        expect(run.stdout.includes('parts, 4 streams at once.'), explain(run)).toBe(split);
        snaps.push(await byteSnapshot(destination));
      }
      expect(snaps[1]).toEqual(snaps[0]);
      expect(counts[1]).toEqual(counts[0]);
      expect(counts[0]?.[0]).toBeGreaterThan(FILLER_DIRS * FILLER_PER_DIR);
      expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe('outside');
    },
    120_000,
  );
});

it('a part failing for a transient reason is retried alone; the counts stay exact', async () => {
  const { dir, inputs } = await corpusJob('rsync');
  const log = join(scene.base, 'rsync-calls');
  const marker = 'data05/f17.txt';
  const bin = failingRsync(join(scene.base, 'failing-bin'), { marker, code: 10, times: 1, log });
  const destination = join(scene.base, `dest-${dir}`);
  const single = join(scene.base, `dest-${dir}-single`);
  const run = await scene.run(
    { ...inputs, streams: '4', retries: '2', destination },
    { PATH: `${bin}:${PBS_BIN}:${process.env.PATH}` },
  );
  expect(run.code, explain(run)).toBe(0);
  const calls = readFileSync(log, 'utf8').trim().split('\n');
  expect(calls.filter((c) => c === 'fail marked')).toHaveLength(1);
  expect(calls.filter((c) => c === 'run marked')).toHaveLength(1);
  expect(run.stdout).toMatch(/Part \d+ of \d+: attempt 1 failed \(.*\); retrying it alone in/);
  const once = await scene.run({ ...inputs, streams: '1', destination: single });
  expect(jobRows(run)[0]?.filesSynced).toBe(jobRows(once)[0]?.filesSynced);
  expect(jobRows(run)[0]?.bytesSynced).toBe(jobRows(once)[0]?.bytesSynced);
  expect(await byteSnapshot(destination)).toEqual(await byteSnapshot(single));
}, 120_000);
