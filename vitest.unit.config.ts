import { defineConfig } from 'vitest/config';

// `npm run test:unit`: the suites that need no service (no scheduler, sshd, cache service or
// bundle), so no global setup starts any, and nothing runs as root. Everything else is in
// `npm test` (vitest.config.ts).
export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/action/**/*.test.ts',
      'test/batch/pbs-parse.test.ts',
      'test/batch/slurm-parse.test.ts',
      'test/cache/keys.test.ts',
      'test/cache/messages.test.ts',
    ],
    // Reads over ssh too: it needs the sshd of `npm test`.
    exclude: ['test/action/job-output.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
  },
});
