// npm run bundle: dist/ from src/ with ncc, then dist/licenses.txt from what ncc put in it,
// then the sources' fingerprint in dist/source-hash (see source-hash.mjs) for the end-to-end
// suites to check.
//
// Packages marked side-effect free for the bundler while ncc runs (SIDE_EFFECT_FREE, below):
// webpack then leaves out what nothing uses. ncc takes no webpack configuration, so the flag is
// written into the package's package.json for the build and the original put back after.
//
// ncc's own --license output misses most of the packages webpack bundles, so the notices are
// made by scripts/notices.mjs from ncc's webpack stats, which stay in .tmp/ (not committed) for
// test/publish/notices.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * `@actions/core` imports its OIDC client (`getIDToken`) at the top, and with it
 * `@actions/http-client`, undici and Node's http, tls and zlib: about 1 MB that every step
 * evaluated at start (25-30 ms of a 80 ms no-job step on Node 24; measured with --cpu-prof).
 * The action never asks for an OIDC token; only `cache: true` uses an HTTP client, in its own
 * chunk. Likewise its `platform` details import `@actions/exec`, and with it `@actions/io`
 * and Node's assert: unused but by the cache's tar, in the cache's chunk. These packages'
 * modules only declare things at their top level, so the flag is true.
 */
const SIDE_EFFECT_FREE = ['@actions/http-client', '@actions/exec', '@actions/io'];

/** Runs `fn` with each of `packages` flagged `"sideEffects": false`, then restores them. */
function withSideEffectFree(packages, fn) {
  const saved = packages.map((name) => {
    const file = join(root, 'node_modules', name, 'package.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      `${JSON.stringify({ ...JSON.parse(text), sideEffects: false }, null, 2)}\n`,
    );
    return { file, text };
  });
  try {
    return fn();
  } finally {
    for (const { file, text } of saved) writeFileSync(file, text);
  }
}

mkdirSync(join(root, '.tmp'), { recursive: true });
mkdirSync(join(root, 'dist'), { recursive: true });
// ncc leaves the chunks of an earlier build in dist/: remove them, so dist/ holds this one's.
for (const f of readdirSync(join(root, 'dist'))) {
  if (/^(\d+\.)?index\.js$/.test(f)) rmSync(join(root, 'dist', f));
}
// --no-cache: ncc's webpack cache does not notice a changed package.json (the flag above).
const ncc = withSideEffectFree(SIDE_EFFECT_FREE, () =>
  spawnSync(process.execPath, [nccCli, ...NCC_ARGS, '--no-cache', '--stats-out', STATS_FILE], {
    cwd: root,
    stdio: 'inherit',
  }),
);
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
