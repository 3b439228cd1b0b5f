/**
 * A Slurm that answers with garbage, through the bundle (stand-ins in
 * test/faults/bin/garbage-slurm: a real scontrol or sacct does not break on demand): one warning
 * per scheduler call, naming the program and what was wrong, and the jobs keep their info
 * files' state (running in the file, nothing from Slurm: qq's "in an inconsistent state").
 */
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { jobRows, Scene } from '../corpus/harness.js';
import { explain } from '../support/explain.js';

const here = new URL('.', import.meta.url).pathname;
const scenes: Scene[] = [];
afterAll(() => {
  for (const s of scenes) s.cleanup();
});

const cases = [
  {
    name: 'scontrol prints no record (one job)',
    garbage: 'scontrol',
    jobs: 1,
    warning:
      'Slurm scheduler could not be asked (scontrol printed no job record (exit 0, 53 bytes: "*** Welcome to the cluster ***")); the state of 1 job(s) is taken from their info files alone.',
  },
  {
    name: 'scontrol lists no record (two jobs)',
    garbage: 'scontrol',
    jobs: 2,
    warning:
      'Slurm scheduler could not be asked (scontrol printed no job record (exit 0: "*** Welcome to the cluster ***") listing the jobs); the state of 2 job(s) is taken from their info files alone.',
  },
  {
    name: 'sacct prints lines that are not records',
    garbage: 'sacct',
    jobs: 2,
    warning:
      'Slurm scheduler could not be asked about 2 job(s) (sacct printed no job record (exit 0, 2 line(s) without the 20 fields: "garbage|line")); their state is taken from their info files alone.',
  },
];

for (const c of cases) {
  it(`${c.name}: one warning, the info files' state`, async () => {
    const scene = new Scene();
    scenes.push(scene);
    const dirs = [...Array(c.jobs).keys()].map((i) => `slurm${i}`);
    for (const [i, dir] of dirs.entries()) {
      scene.job(dir, { batchSystem: 'Slurm', jobId: String(770000 + i) });
    }
    const run = await scene.run(
      { path: dirs.join('\n'), 'shared-storage': 'true' },
      {
        PATH: `${join(here, 'bin', 'garbage-slurm')}:/usr/local/bin:/usr/bin:/bin`,
        SLURM_GARBAGE: c.garbage,
      },
    );
    const why = explain(run);
    expect(run.code, why).toBe(0);
    expect(run.stdout.match(/^::warning::.*$/gm), why).toEqual([`::warning::${c.warning}`]);
    for (const row of jobRows(run)) {
      expect(row.state, why).toBe('in an inconsistent state');
      expect(row.status, why).toBe('synced');
    }
  });
}
