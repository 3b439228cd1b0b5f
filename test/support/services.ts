/**
 * Small adapters over the services the global setups start (test/setup/*.global.ts), for the
 * end-to-end tests: skip rules, a Slurm client, and the action inputs that reach the sshd.
 */
import type { ProvidedSlurm } from '../setup/slurm.global.js';
import type { ProvidedSshd } from '../setup/sshd.global.js';
import { sbatch, scancel, waitForJob } from './slurm.js';

export function slurmSkip(slurm: ProvidedSlurm): boolean {
  return slurm.env === null;
}

export function sshSkip(sshd: ProvidedSshd): boolean {
  return sshd.port === undefined || sshd.port === null;
}

export function slurmCli(slurm: ProvidedSlurm) {
  const env = slurm.env ?? {};
  return {
    submit: (args: string[], cwd?: string) => sbatch(env, ['--output=/dev/null', ...args], cwd),
    waitFor: (id: string, state: string) => waitForJob(env, id, state, { timeoutMs: 60_000 }),
    cancel: (id: string) => scancel(env, [id]),
  };
}

/** `ssh-options` (and host-key input) that reach the test sshd with its throw-away key. */
export function sshInputs(
  sshd: ProvidedSshd,
  over: { port?: number } = {},
): Record<string, string> {
  return {
    'ssh-options': [
      `-p ${over.port ?? sshd.port}`,
      `-i ${sshd.keyPath}`,
      `-l ${sshd.user}`,
      `-o UserKnownHostsFile=${sshd.knownHostsPath}`,
    ].join('\n'),
    'strict-host-key-checking': 'yes',
  };
}
