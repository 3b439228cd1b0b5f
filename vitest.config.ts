import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Real services (Slurm, OpenPBS, sshd, cache service) are started once per run by global
// setups under test/setup/ and handed to the tests with `inject()`; so is whether dist/ is the
// bundle of the working tree.
const globalSetup = [
  'test/setup/bundle.global.ts',
  'test/setup/slurm.global.ts',
  'test/setup/pbs.global.ts',
  'test/setup/sshd.global.ts',
  'test/setup/cache.global.ts',
].filter((f) => existsSync(f));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
    // @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }`, which
    // Node refuses: let Vite load it (test/publish/workflows.test.ts).
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
