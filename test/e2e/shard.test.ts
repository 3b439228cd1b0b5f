/**
 * `shard: k/n` through the bundle: a matrix of 8 steps over one campaign (stand-in qstat,
 * PBS Pro's layout). Together the 8 steps fetch every job exactly once, each asks the
 * scheduler once and only about its own jobs, and an empty shard passes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobRows, pbsRecord, Scene } from '../corpus/harness.js';
import { requireCurrentBundle } from '../support/bundle.js';
import { explain } from '../support/explain.js';

requireCurrentBundle();
const SHARDS = 8;
const JOBS = 40;
const scene = new Scene();
afterAll(() => scene.cleanup());

const ids: string[] = [];
for (let i = 0; i < JOBS; i++) {
  const dir = `campaign/j${String(i).padStart(2, '0')}`;
  const { jobId, infoFile } = scene.job(dir, {}, { 'energy.xvg': `job ${i}\n` });
  ids.push(jobId);
  // The record names the info file, as qq's jobs do: a `job-id` step finds it there.
  writeFileSync(
    join(scene.records, `${jobId}.txt`),
    pbsRecord(jobId).replace('QQ_ENV_SET=true', `QQ_ENV_SET=true,QQ_INFO=${infoFile}`),
  );
}

/** Run the 8 steps of the matrix (two at a time: the machine is small) with these inputs. */
async function matrix(inputs: Record<string, string>) {
  const runs = [];
  for (let k = 1; k <= SHARDS; k += 2) {
    runs.push(
      ...(await Promise.all(
        [k, k + 1].map(async (shard) => {
          const log = join(scene.base, `qstat-${shard}-${Object.keys(inputs).join('')}.log`);
          writeFileSync(log, '');
          const run = await scene.run(
            { ...inputs, shard: `${shard}/${SHARDS}`, 'shared-storage': 'true' },
            { QSTAT_STANDIN_LOG: log },
          );
          const calls = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
          return { shard, run, calls: calls.map((c) => JSON.parse(c) as string[]) };
        }),
      )),
    );
  }
  return runs;
}

describe('a campaign split over a matrix of 8 shards', () => {
  it.each([
    ['path', { path: 'campaign/*' }],
    ['job-id', { 'job-id': ids.join('\n'), 'batch-system': 'PBS' }],
  ])(
    'by %s: every job fetched by exactly one shard, one scheduler call each',
    async (_, inputs) => {
      const runs = await matrix(inputs);
      const fetched: string[] = [];
      for (const { shard, run, calls } of runs) {
        expect(run.code, explain(run)).toBe(0);
        const rows = jobRows(run);
        expect(rows.every((r) => r.status === 'synced')).toBe(true);
        fetched.push(...rows.map((r) => r.id));
        // Consecutive ids spread one by one: 40 over 8 shards are 5 each.
        expect(rows.length).toBe(JOBS / SHARDS);
        expect(run.stdout).toContain(`Shard ${shard}/${SHARDS}: ${rows.length} of ${JOBS} jobs.`);
        // One scheduler call per shard, about this shard's jobs only (none for an empty shard).
        expect(calls.length).toBe(rows.length > 0 ? 1 : 0);
        if (rows.length > 0) {
          const asked = (calls[0] as string[]).filter((a) => !a.startsWith('-')).sort();
          expect(asked).toEqual(rows.map((r) => r.id).sort());
        }
      }
      expect(fetched.sort()).toEqual([...ids].sort());
      // Spread over the shards, not all in one (the hash is stable: this holds on every run).
      expect(new Set(runs.filter((r) => jobRows(r.run).length > 0).map((r) => r.shard)).size).toBe(
        SHARDS,
      );
      for (let i = 0; i < JOBS; i++) {
        const dir = join(scene.workspace, `campaign/j${String(i).padStart(2, '0')}`);
        expect(readFileSync(join(dir, 'energy.xvg'), 'utf8')).toBe(`job ${i}\n`);
      }
    },
    240_000,
  );

  it('refuses a shard that is not k/n with 1 ≤ k ≤ n', async () => {
    const run = await scene.run({ path: 'campaign/*', shard: '9/8' });
    expect(run.code).not.toBe(0);
    expect(run.outputs.reason ?? run.stdout).toContain("Input 'shard' must be 'k/n'");
  });
});
