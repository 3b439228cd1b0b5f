/**
 * Whether dist/ is the bundle of the working tree: the fingerprint `npm run bundle` wrote to
 * dist/source-hash against the fingerprint of src/ (and the lock file, tsconfig.json and the
 * bundle script) now. Only decided here; the suites that run the bundle fail on it
 * (test/support/bundle.ts), the others do not need dist/ at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { root } from '../../scripts/run-action.mjs';
import { STAMP, sourceHash } from '../../scripts/source-hash.mjs';

export interface ProvidedBundle {
  /** Why dist/ is not the bundle of the working tree; null when it is. */
  stale: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    bundle: ProvidedBundle;
  }
}

function staleness(): string | null {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp)) return `${STAMP} is missing`;
  const built = readFileSync(stamp, 'utf8').trim();
  const now = sourceHash(root);
  return built === now
    ? null
    : `${STAMP} is ${built.slice(0, 12)}…, the sources are ${now.slice(0, 12)}…`;
}

export default function setup(project: TestProject): void {
  project.provide('bundle', { stale: staleness() });
}
