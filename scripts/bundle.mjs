// npm run bundle: ncc builds dist/ from src/index.ts, then the sources' fingerprint is written
// to dist/source-hash (see source-hash.mjs) for the end-to-end suites to check.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP, sourceHash } from './source-hash.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js');
const args = ['build', 'src/index.ts', '-o', 'dist', '--license', 'licenses.txt'];
const built = spawnSync(process.execPath, [ncc, ...args, '--target', 'es2022'], {
  cwd: root,
  stdio: 'inherit',
});
if (built.status !== 0) process.exit(built.status ?? 1);
writeFileSync(join(root, STAMP), `${sourceHash(root)}\n`);
