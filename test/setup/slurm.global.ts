/**
 * Global setup: a real single-node Slurm (slurmctld + slurmd + a private munged, see
 * test/support/slurm.ts), started once per test run and stopped at teardown. Tests get it
 * with `inject('slurm')`: `env` holds SLURM_CONF and PATH for scontrol/sbatch/sacct, or is
 * null (and `skipReason` says why) when Slurm could not start — that fails the run when
 * CI=true.
 */
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startSlurm } from '../support/slurm.js';

export interface ProvidedSlurm {
  /** SLURM_CONF and PATH to add to a child's environment; null when Slurm is not running. */
  env: Record<string, string> | null;
  /** Where the Slurm client commands are (sbatch, scontrol, sacct, sinfo). */
  binDir?: string;
  /** The private directory of the test cluster (config, logs). */
  dir?: string;
  nodeName?: string;
  partition?: string;
  cpus?: number;
  skipReason?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    slurm: ProvidedSlurm;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const slurm = await startSlurm();
    project.provide('slurm', {
      env: slurm.env,
      binDir: slurm.binDir,
      dir: slurm.dir,
      nodeName: slurm.nodeName,
      partition: slurm.partition,
      cpus: slurm.cpus,
    });
    return () => slurm.stop();
  } catch (e) {
    const reason = `real Slurm could not start: ${e instanceof Error ? e.message : String(e)}`;
    if (process.env.CI === 'true') throw new Error(reason);
    console.warn(`\n!!! ${reason}\n!!! The Slurm tests are SKIPPED.\n`);
    project.provide('slurm', { env: null, skipReason: reason });
    return async () => {};
  }
}
