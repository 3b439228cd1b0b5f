/**
 * Scheduler faults, through the bundle: qstat hangs, crashes, prints garbage or is missing.
 * A real qstat does not break on demand: the broken qstat programs are stand-ins
 * (test/support/pbs/hang, test/support/pbs/garbage, test/faults/bin/{crash,empty,flood}), and the healthy one
 * serves recorded output. A PBS server that is down is met with the real OpenPBS client in
 * test/e2e/pbs.test.ts.
 * Each run is a campaign: a job whose info file says it is running (it needs the scheduler's
 * answer) and a job whose info file says it failed (qq fetches it on the file's word), plus,
 * where the real Slurm runs, a Slurm job — the broken PBS must not take the others down.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { jobRows, PBS_BIN, Scene } from '../corpus/harness.js';
import { explain } from '../support/explain.js';
import { slurmCli, slurmSkip } from '../support/services.js';

const slurm = inject('slurm');
const here = new URL('.', import.meta.url).pathname;
const nodeOnly = mkdtempSync(join(tmpdir(), 'qq-sync-g-node-'));
symlinkSync(process.execPath, join(nodeOnly, 'node'));
const scenes: Scene[] = [];
afterAll(() => {
  rmSync(nodeOnly, { recursive: true, force: true });
  for (const s of scenes) s.cleanup();
});

const faults: { name: string; path: string; warning?: RegExp }[] = [
  {
    name: 'hangs',
    path: `${join(PBS_BIN, 'hang')}:${process.env.PATH}`,
    warning: /PBS scheduler could not be asked \(qstat timed out after 2 s\.?\)/,
  },
  {
    name: 'crashes (SIGSEGV)',
    path: `${join(here, 'bin', 'crash')}:${process.env.PATH}`,
    // The partial record printed before the crash must not be taken as PBS's answer.
    warning: /PBS scheduler could not be asked \(.*SIGSEGV/,
  },
  {
    name: 'prints garbage',
    path: `${join(PBS_BIN, 'garbage')}:${process.env.PATH}`,
    warning:
      /^::warning::PBS scheduler could not be asked about 2 job\(s\) \(qstat printed no job record \(exit 0, \d+ bytes: "\*\*\* Welcome to the cluster \*\*\*"\)\); their state is taken from their info files alone\.$/m,
  },
  {
    name: 'prints nothing with exit 0',
    path: `${join(here, 'bin', 'empty')}:${process.env.PATH}`,
    warning:
      /^::warning::PBS scheduler could not be asked about 2 job\(s\) \(qstat printed nothing \(exit 0\)\); their state is taken from their info files alone\.$/m,
  },
  {
    name: 'prints 100 MB',
    path: `${join(here, 'bin', 'flood')}:${process.env.PATH}`,
    warning:
      /^::warning::PBS scheduler could not be asked \(qstat's answer was not used: the output exceeded 64 MiB\.\); the state of 2 job\(s\) is taken from their info files alone\.$/m,
  },
  {
    name: 'is missing',
    path: `${nodeOnly}:${process.env.SLURM_BIN ?? ''}`,
    warning: /PBS scheduler could not be asked \(Could not run 'qstat': command not found\.\)/,
  },
];

describe('the scheduler command fails', () => {
  for (const fault of faults) {
    it(`qstat ${fault.name}: a clear answer for every job, nothing hangs`, async () => {
      const scene = new Scene();
      scenes.push(scene);
      const running = scene.job('running', { jobId: scene.pbsJob('R') });
      const failed = scene.job('failed', {
        jobId: scene.pbsJob('F', 'node1.example.org', 3),
        jobState: 'failed',
        exitCode: 3,
      });
      let slurmJob: ReturnType<Scene['job']> | undefined;
      let slurmId: string | undefined;
      const env: Record<string, string> = { PATH: fault.path };
      if (!slurmSkip(slurm)) {
        slurmId = await slurmCli(slurm).submit(['--wrap', 'sleep 300']);
        await slurmCli(slurm).waitFor(slurmId, 'RUNNING');
        slurmJob = scene.job('slurm', { batchSystem: 'Slurm', jobId: slurmId });
        env.SLURM_CONF = slurm.env?.SLURM_CONF ?? '';
        // Without the test PBS's own /opt/pbs/bin (on a login shell's PATH here): its real
        // qstat would answer where this fault has none.
        const slurmPath = (slurm.env?.PATH ?? '')
          .split(':')
          .filter((d) => !d.startsWith('/opt/pbs'))
          .join(':');
        env.PATH = `${fault.path}:${slurmPath}`;
      }
      try {
        const run = await scene.run(
          {
            path: `running\nfailed${slurmJob ? '\nslurm' : ''}`,
            'shared-storage': 'true',
            'scheduler-timeout': '2',
          },
          env,
          60_000,
        );
        const why = explain(run);
        const rows = jobRows(run);
        expect(rows.length, why).toBe(slurmJob ? 3 : 2);
        // The job qq fetches on its file's word is fetched.
        const f = rows.find((r) => r.infoFile === failed.infoFile);
        expect(f?.status, why).toBe('synced');
        expect(f?.state, why).toBe('failed');
        // The running job cannot be confirmed: qq's answer without the scheduler (its file says
        // running, PBS says nothing), not a hang or a crash. qq syncs such a job.
        const r = rows.find((x) => x.infoFile === running.infoFile);
        expect(r?.state, why).toBe('in an inconsistent state');
        expect(r?.status, why).toBe('synced');
        // Slurm, asked separately, still answers for its job.
        if (slurmJob) {
          const s = rows.find((x) => x.infoFile === slurmJob?.infoFile);
          expect(s?.status, why).toBe('synced');
          expect(s?.state, why).toBe('running');
        }
        if (fault.warning) expect(run.stdout, why).toMatch(fault.warning);
        // One warning for the one qstat call, not one per job.
        expect(run.stdout.match(/^::warning::PBS scheduler/gm)?.length, why).toBe(1);
        expect(run.stdout + run.stderr, why).not.toMatch(/\n\s+at .*\.js:\d+:\d+/);
        expect(run.code, why).toBe(0);
      } finally {
        if (slurmId) await slurmCli(slurm).cancel(slurmId);
      }
    });
  }
});
