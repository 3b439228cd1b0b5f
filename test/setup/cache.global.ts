/**
 * Global setup: the stand-in GitHub Actions cache service (test infrastructure, see
 * test/support/cache-service/) with Azurite behind it, started once per test run on loopback.
 * Tests get the environment for the `@actions/cache` client with `inject('cache')`; `env` is
 * null (and `skipReason` says why) when the service could not start, which fails the run when
 * CI=true.
 */
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startCacheService } from '../support/cache-service/index.js';

export interface ProvidedCache {
  env: Record<string, string> | null;
  skipReason?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    cache: ProvidedCache;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const service = await startCacheService();
    project.provide('cache', { env: service.env });
    return () => service.stop();
  } catch (e) {
    const reason = `cache service (Azurite + stand-in) could not start: ${e instanceof Error ? e.message : String(e)}`;
    if (process.env.CI === 'true') throw new Error(reason);
    console.warn(`\n!!! ${reason}\n!!! The cache tests that need it are SKIPPED.\n`);
    project.provide('cache', { env: null, skipReason: reason });
    return async () => {};
  }
}
