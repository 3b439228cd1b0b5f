/**
 * For the suites that run the bundle (dist/index.js): fail at once, with what to do, when dist/
 * was built from other sources than the working tree's, rather than test an old build.
 * QQ_SYNC_TEST_ENTRY (another build, see test/corpus/harness.ts) skips the check.
 */
import { inject } from 'vitest';

export function requireCurrentBundle(): void {
  if (process.env.QQ_SYNC_TEST_ENTRY) return;
  const { stale } = inject('bundle');
  if (stale !== null) {
    throw new Error(`dist/ is not the bundle of src/: run npm run bundle (${stale})`);
  }
}
