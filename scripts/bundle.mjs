// npm run bundle: dist/ from src/ with ncc, then dist/licenses.txt from what ncc put in it,
// then the sources' fingerprint in dist/source-hash (see source-hash.mjs) for the end-to-end
// suites to check.
//
// ncc's own --license output misses most of the packages webpack bundles, so the notices are
// made by scripts/notices.mjs from ncc's webpack stats, which stay in .tmp/ (not committed) for
// test/publish/notices.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildNotices,
  bundledPackages,
  describe,
  NCC_ARGS,
  NOTICES_FILE,
  STATS_FILE,
} from './notices.mjs';
import { STAMP, sourceHash } from './source-hash.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const nccCli = join(
  dirname(createRequire(import.meta.url).resolve('@vercel/ncc/package.json')),
  'dist/ncc/cli.js',
);

mkdirSync(join(root, '.tmp'), { recursive: true });
const ncc = spawnSync(process.execPath, [nccCli, ...NCC_ARGS, '--stats-out', STATS_FILE], {
  cwd: root,
  stdio: 'inherit',
});
if (ncc.status !== 0) process.exit(ncc.status ?? 1);

const stats = JSON.parse(readFileSync(join(root, STATS_FILE), 'utf8'));
const packages = bundledPackages(stats);
const { text, problems } = await buildNotices(packages, root);
if (problems.length > 0) {
  console.error(`Third-party notices: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
writeFileSync(join(root, NOTICES_FILE), text);
console.log(`${NOTICES_FILE}: ${packages.length} bundled packages`);
for (const p of packages) console.log(`  ${describe(p, root)}`);
writeFileSync(join(root, STAMP), `${sourceHash(root)}\n`);
