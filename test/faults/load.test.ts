/**
 * Load: a campaign of 500 PBS jobs (stand-in qstat serving 500 records; PBS cannot be
 * installed here) — plus, where the real Slurm runs, 20 Slurm jobs it has forgotten — in one
 * step of the bundle. Every job is answered and fetched, the scheduler is asked once per batch
 * system (counted by the stand-in's QSTAT_STANDIN_LOG and by wrappers on PATH that log each call),
 * and the peak RSS of the node process stays bounded (measured with
 * process.resourceUsage().maxRSS by a wrapper entry; asserted only against a generous bound).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { root, runAction } from '../../scripts/run-action.mjs';
import { ENTRY, jobRows, Scene } from '../corpus/harness.js';
import { argvLoggingBin, loggedCalls } from '../support/call-log.js';
import { explain } from '../support/explain.js';
import { slurmSkip } from '../support/services.js';

const slurm = inject('slurm');
const here = new URL('.', import.meta.url).pathname;
const PBS_JOBS = 500;
const SLURM_JOBS = 20;
const scene = new Scene();
afterAll(() => scene.cleanup());

it(`a campaign of ${PBS_JOBS} jobs: all fetched, one scheduler call per system, bounded memory`, async () => {
  for (let i = 0; i < PBS_JOBS; i++) {
    scene.job(`campaign/pbs${String(i).padStart(3, '0')}`, {}, { 'energy.xvg': `pbs ${i}\n` });
  }
  const withSlurm = !slurmSkip(slurm);
  if (withSlurm) {
    for (let i = 0; i < SLURM_JOBS; i++) {
      // Unknown to Slurm (accounting is off in the test Slurm): qq's "forgotten" path.
      scene.job(
        `campaign/slurm${i}`,
        { batchSystem: 'Slurm', jobId: String(990000 + i), jobState: 'failed', exitCode: 1 },
        { 'energy.xvg': `slurm ${i}\n` },
      );
    }
  }
  const qstatLog = join(scene.base, 'qstat.log');
  const schedLog = join(scene.base, 'scheduler.log');
  const rssFile = join(scene.base, 'rss');
  writeFileSync(qstatLog, '');
  writeFileSync(schedLog, '');
  const wrappers = argvLoggingBin(
    join(scene.base, 'wrap'),
    ['qstat', 'scontrol', 'sacct'],
    schedLog,
  );
  const basePath = withSlurm ? `${scene.env().PATH}:${slurm.env?.PATH ?? ''}` : scene.env().PATH;
  const run = await runAction({
    workspace: scene.workspace,
    entry: join(here, 'rss-entry.mjs'),
    inputs: { path: 'campaign/*', 'shared-storage': 'true', parallel: '8' },
    env: {
      ...scene.env({
        QSTAT_STANDIN_LOG: qstatLog,
        QQ_SYNC_RSS_FILE: rssFile,
        QQ_SYNC_REAL_ENTRY: ENTRY ?? join(root, 'dist', 'index.js'),
      }),
      ...(withSlurm ? { SLURM_CONF: slurm.env?.SLURM_CONF ?? '' } : {}),
      PATH: `${wrappers}:${basePath}`,
    },
    timeoutMs: 170_000,
  });
  const why = explain(run).slice(0, 5000);
  const rows = jobRows(run);
  expect(run.code, why).toBe(0);
  expect(rows.length).toBe(PBS_JOBS + (withSlurm ? SLURM_JOBS : 0));
  expect(
    rows.filter((r) => r.status !== 'synced'),
    why,
  ).toEqual([]);
  expect(run.outputs['files-synced']).toBe(String(rows.length));
  for (const i of [0, 250, 499]) {
    const dir = join(scene.workspace, 'campaign', `pbs${String(i).padStart(3, '0')}`);
    expect(readFileSync(join(dir, 'energy.xvg'), 'utf8')).toBe(`pbs ${i}\n`);
  }
  // One qstat for all 500 PBS jobs.
  const qstatCalls = readFileSync(qstatLog, 'utf8').trim().split('\n').filter(Boolean);
  expect(qstatCalls.length).toBe(1);
  const byProgram = new Map<string, number>();
  for (const [program = ''] of loggedCalls(schedLog)) {
    byProgram.set(program, (byProgram.get(program) ?? 0) + 1);
  }
  expect(byProgram.get('qstat')).toBe(1);
  if (withSlurm) {
    // scontrol once for all Slurm jobs, and sacct once for the ones scontrol no longer knows.
    expect(byProgram.get('scontrol')).toBe(1);
    expect(byProgram.get('sacct') ?? 0).toBeLessThanOrEqual(1);
  }
  const rssKiB = Number(readFileSync(rssFile, 'utf8'));
  console.log(
    `load: ${rows.length} jobs in ${(run.durationMs / 1000).toFixed(1)} s, peak RSS ${(rssKiB / 1024).toFixed(0)} MiB, scheduler calls ${JSON.stringify(Object.fromEntries(byProgram))}`,
  );
  expect(rssKiB).toBeGreaterThan(0);
  expect(rssKiB).toBeLessThan(1024 * 1024);
}, 180_000);
