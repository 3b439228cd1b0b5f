/**
 * Third-party notices: every npm package that has code in dist/ (the bundle and its chunks)
 * has a section in dist/licenses.txt, with an allowed license and the text of the package's own
 * license file. Which packages are in dist/ is read from ncc's webpack stats, not from the
 * dependency tree: the stats `npm run bundle` left in .tmp/ when they describe the committed
 * dist/ (same chunk files, same sizes), else the stats of a fresh bundle of src/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundledPackageDirs,
  bundledPackages,
  licenseAllowed,
  NCC_ARGS,
  NOTICES_FILE,
  parseNotices,
  STATS_FILE,
  type WebpackStats,
} from '../../scripts/notices.mjs';

const root = join(import.meta.dirname, '..', '..');
const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

function chunkFiles(stats: WebpackStats): string[] {
  return (stats.assets ?? [])
    .filter((a) => a.name.endsWith('.js'))
    .map((a) => `${a.name} ${a.size}`)
    .sort();
}

function distFiles(): string[] {
  return readdirSync(join(root, 'dist'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `${f} ${statSync(join(root, 'dist', f)).size}`)
    .sort();
}

/** Stats that describe the committed dist/: .tmp's if they match, else a fresh bundle's. */
function statsOfDist(): WebpackStats {
  const kept = join(root, STATS_FILE);
  if (existsSync(kept)) {
    const stats = JSON.parse(readFileSync(kept, 'utf8')) as WebpackStats;
    if (JSON.stringify(chunkFiles(stats)) === JSON.stringify(distFiles())) return stats;
  }
  const out = mkdtempSync(join(tmpdir(), 'qq-sync-ncc-'));
  scratch.push(out);
  const cli = join(
    join(createRequire(import.meta.url).resolve('@vercel/ncc/package.json'), '..'),
    'dist/ncc/cli.js',
  );
  const args = NCC_ARGS.map((a) => (a === 'dist' ? out : a));
  const run = spawnSync(
    process.execPath,
    [cli, ...args, '--quiet', '--stats-out', join(out, 'stats.json')],
    { cwd: root, encoding: 'utf8', timeout: 540_000 },
  );
  if (run.status !== 0) throw new Error(`ncc failed: ${run.stderr}`);
  return JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as WebpackStats;
}

function ownLicenseText(dir: string): string | undefined {
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)([.-].*)?$/i.test(f));
  return file && readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n').trim();
}

describe('dist/licenses.txt', () => {
  let stats: WebpackStats;
  let notices: ReturnType<typeof parseNotices>;
  beforeAll(() => {
    stats = statsOfDist();
    notices = parseNotices(readFileSync(join(root, NOTICES_FILE), 'utf8'));
  }, 600_000);

  it('has a notice with an allowed license and the package’s license text for every bundled package', () => {
    const packages = bundledPackages(stats);
    // The bundle's big dependencies, as a floor: if the stats reading broke, this says so.
    const names = new Set(packages.map((p) => p.name));
    for (const expected of ['@actions/core', '@actions/cache', 'yaml', '@actions/glob', 'undici']) {
      expect(names).toContain(expected);
    }
    const missing: string[] = [];
    for (const pkg of packages) {
      const id = `${pkg.name}@${pkg.version}`;
      const notice = notices.get(id);
      if (!notice) {
        missing.push(`${id}: no notice`);
        continue;
      }
      if (!licenseAllowed(notice.license)) missing.push(`${id}: license ${notice.license}`);
      const own = ownLicenseText(pkg.dir);
      if (own ? !notice.text.includes(own) : !notice.text.includes('ships no license file')) {
        missing.push(`${id}: notice does not hold the package's license text`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('which packages are in the bundle', () => {
  const loaders = '/r/node_modules/@vercel/ncc/dist/ncc/loaders/ts-loader.js??x!';
  const stats: WebpackStats = {
    modules: [
      { identifier: `${loaders}/r/src/main.ts`, chunks: [1] },
      {
        identifier: `${loaders}/r/node_modules/@scope/a/lib/x.js|abc`,
        chunks: [1],
        // concatenated into the module above: in the bundle too
        modules: [{ identifier: '/r/node_modules/b/node_modules/c/index.js' }],
      },
      { identifier: 'external node-commonjs "os"', chunks: [1] },
      // an orphan that no chunk holds is not in dist/
      { identifier: '/r/node_modules/unused/index.js', chunks: [] },
    ],
  };

  it('takes the innermost package of each emitted module, never the loaders', () => {
    expect(bundledPackageDirs(stats)).toEqual([
      '/r/node_modules/@scope/a',
      '/r/node_modules/b/node_modules/c',
    ]);
  });

  it('allows only permissive licenses, and expressions whose parts are', () => {
    expect(licenseAllowed('MIT')).toBe(true);
    expect(licenseAllowed('(Apache-2.0 AND BSD-3-Clause)')).toBe(true);
    expect(licenseAllowed('(GPL-3.0-only OR MIT)')).toBe(true);
    expect(licenseAllowed('(MIT AND GPL-3.0-only)')).toBe(false);
    expect(licenseAllowed('GPL-3.0-only')).toBe(false);
    expect(licenseAllowed('MIT*')).toBe(false);
    expect(licenseAllowed('UNKNOWN')).toBe(false);
  });
});
