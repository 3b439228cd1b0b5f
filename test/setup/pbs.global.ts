/**
 * Global setup: a real single-node OpenPBS (test/support/openpbs.ts), built from source when
 * it is not installed, started once per test run — or reused, and left running, when one
 * already answers (PBS's ports are fixed: one per machine). Tests get it with
 * `inject('pbs')`: `env` is null (and `skipReason` says why and how to provide it) when it
 * cannot run here — that fails the run when CI=true.
 */
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { type PbsUser, startPbs } from '../support/openpbs.js';

export interface ProvidedPbs {
  /** PATH (with qstat first) to add to a child's environment; null when PBS is not running. */
  env: Record<string, string> | null;
  binDir?: string;
  /** The default server's name. */
  server?: string;
  /** The execution node's name. */
  node?: string;
  /** The unprivileged user that submits the test jobs. */
  user?: PbsUser;
  version?: string;
  skipReason?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pbs: ProvidedPbs;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const started = Date.now();
    const pbs = await startPbs({ log: (m) => console.log(`[pbs] ${m}`) });
    console.log(
      `[pbs] the PBS tests run against a REAL OpenPBS ${pbs.version} (server '${pbs.server}', node '${pbs.node}', jobs submitted as '${pbs.user.name}'; ${pbs.reused ? 'already running, reused' : `started in ${((Date.now() - started) / 1000).toFixed(1)} s`})`,
    );
    project.provide('pbs', {
      env: pbs.env,
      binDir: pbs.binDir,
      server: pbs.server,
      node: pbs.node,
      user: pbs.user,
      version: pbs.version,
    });
    return () => pbs.stop();
  } catch (e) {
    const reason = `real OpenPBS could not start: ${e instanceof Error ? e.message : String(e)}`;
    if (process.env.CI === 'true') throw new Error(reason);
    console.warn(`\n!!! ${reason}\n!!! The real-PBS tests are SKIPPED.\n`);
    project.provide('pbs', { env: null, skipReason: reason });
    return async () => {};
  }
}
