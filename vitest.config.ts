import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { findNode24, MAJOR } from './scripts/node24.mjs';

// Real services (Slurm, OpenPBS, sshd, cache service) are started once per run by global
// setups under test/setup/ and handed to the tests with `inject()`, and so is whether dist/ is
// the bundle of the working tree; every project below shares them.
const globalSetup = [
  'test/setup/bundle.global.ts',
  'test/setup/slurm.global.ts',
  'test/setup/pbs.global.ts',
  'test/setup/sshd.global.ts',
  'test/setup/cache.global.ts',
].filter((f) => existsSync(f));

const common = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
  teardownTimeout: 60_000,
  pool: 'forks',
  // @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }`, which
  // Node refuses: let Vite load it (test/publish/workflows.test.ts).
  server: { deps: { inline: ['@actions/workflow-parser'] as string[] } },
} as const;

// The suites that run the bundle (dist/index.js through scripts/run-action.mjs) run a second
// time with the bundle under Node 24, the action's runtime (`runs.using: node24`); the
// project's name says which Node ran the bundle. Node 24 comes from scripts/node24.mjs
// (QQ_SYNC_NODE24 or the cache .tmp/node24/; `npm run node24` fetches it).
const BUNDLE_SUITES = [
  'test/e2e/**/*.test.ts',
  'test/corpus/**/*.test.ts',
  'test/security/**/*.test.ts',
  'test/faults/**/*.test.ts',
];
const here = process.versions.node.split('.')[0];
const node24 = here === String(MAJOR) ? undefined : findNode24();
if (node24 && !node24.path) {
  const why = `Node ${MAJOR} is not available (${node24.why}): the bundle suites run under Node ${process.version} only. Run \`npm run node24\` to fetch it.`;
  if (process.env.CI === 'true') throw new Error(why);
  console.warn(`\n!!! ${why}\n!!! The node${MAJOR} project is SKIPPED.\n`);
}

export default defineConfig({
  test: {
    globalSetup,
    reporters: ['default'],
    projects: [
      { test: { name: `node${here}`, include: ['test/**/*.test.ts'], ...common } },
      ...(node24?.path
        ? [
            {
              test: {
                name: `node${MAJOR}`,
                include: BUNDLE_SUITES,
                env: { QQ_SYNC_NODE: node24.path },
                ...common,
              },
            },
          ]
        : []),
    ],
  },
});
