// The fingerprint of what the bundle is built from: every source file under src/, the locked
// dependency versions, the compiler options and the bundle script. `npm run bundle` writes it to
// dist/source-hash; the end-to-end suites compare it with the working tree's, so that they never
// test an old bundle after src/ has changed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Files outside src/ that change what ncc produces. */
const INPUTS = ['package-lock.json', 'tsconfig.json', 'scripts/bundle.mjs'];
const SOURCE = /\.(?:[cm]?ts|[cm]?js|json)$/;

/** Where the bundle's fingerprint is kept. */
export const STAMP = join('dist', 'source-hash');

/** sha256 over the relative path and contents of every input, in a fixed order. */
export function sourceHash(root) {
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && SOURCE.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .concat(INPUTS)
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}
