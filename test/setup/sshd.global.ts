/**
 * Global setup: a real OpenSSH server on 127.0.0.1 (test/support/sshd.ts) with a throw-away
 * host key and user key, started once per test run. Tests get it with `inject('sshd')`; `port`
 * is null (and `skipReason` says why) when it could not start — a failure when CI=true.
 */
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startSshd } from '../support/sshd.js';

export interface ProvidedSshd {
  port: number | null;
  user: string;
  keyPath: string;
  knownHostsPath: string;
  hostKeyPublic: string;
  skipReason?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sshd: ProvidedSshd;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const s = await startSshd();
    project.provide('sshd', {
      port: s.port,
      user: s.user,
      keyPath: s.keyPath,
      knownHostsPath: s.knownHostsPath,
      hostKeyPublic: s.hostKeyPublic,
    });
    return () => s.stop();
  } catch (e) {
    const reason = `sshd could not start: ${e instanceof Error ? e.message : String(e)}`;
    if (process.env.CI === 'true') throw new Error(reason);
    console.warn(`\n!!! ${reason}\n!!! The ssh tests are SKIPPED.\n`);
    project.provide('sshd', {
      port: null,
      user: '',
      keyPath: '',
      knownHostsPath: '',
      hostKeyPublic: '',
      skipReason: reason,
    });
    return async () => {};
  }
}
