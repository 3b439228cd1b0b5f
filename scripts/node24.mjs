// Provides a Node 24 binary (the action's runtime, `runs.using: node24`) for the tests and the
// benchmark, without making it a dependency that every `npm ci` downloads.
//
//   node scripts/node24.mjs           fetch it if needed; print the binary's path
//   node scripts/node24.mjs --find    print the path only if already there (exit 1 if not)
//
// Where it comes from, first found: $QQ_SYNC_NODE24 (a node binary you provide), the cache
// .tmp/node24/ of this repository (git-ignored), else `npm pack node-<platform>-<arch>@24` from
// the npm registry (the official binaries, checked by npm against the registry's integrity
// hash), unpacked into that cache.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAJOR = 24;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The cache directory: `<cache>/bin/node` is the binary. */
export const cacheDir = join(root, '.tmp', `node${MAJOR}`);

/** The version a node binary reports (`v24.22.3`), or undefined if it does not run. */
export function nodeVersion(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
}

const isMajor = (version) => version?.startsWith(`v${MAJOR}.`) ?? false;

/**
 * A Node 24 binary that is already here, without touching the network:
 * `{ path, version, from }`, or `{ why }` saying what was looked at.
 */
export function findNode24(env = process.env) {
  const given = env.QQ_SYNC_NODE24;
  if (given) {
    const version = nodeVersion(given);
    if (isMajor(version)) return { path: given, version, from: 'QQ_SYNC_NODE24' };
    return {
      why: `QQ_SYNC_NODE24=${given} ${version ? `is Node ${version}, not ${MAJOR}` : 'does not run'}`,
    };
  }
  const cached = join(cacheDir, 'bin', 'node');
  const version = existsSync(cached) ? nodeVersion(cached) : undefined;
  if (isMajor(version)) return { path: cached, version, from: cacheDir };
  return { why: `QQ_SYNC_NODE24 is not set and ${cached} is not there` };
}

/** Fetch Node 24 from the npm registry into the cache; returns the binary's path. */
export function fetchNode24() {
  const pkg = `node-${process.platform}-${process.arch}@${MAJOR}`;
  mkdirSync(dirname(cacheDir), { recursive: true });
  const work = mkdtempSync(join(dirname(cacheDir), `.node${MAJOR}-`));
  try {
    // --json: the tarball's file name, whatever npm's progress output looks like.
    const packed = JSON.parse(
      execFileSync('npm', ['pack', pkg, '--json', '--pack-destination', work], {
        encoding: 'utf8',
        timeout: 600_000,
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    const tarball = join(work, packed[0].filename);
    execFileSync('tar', ['-xzf', tarball, '-C', work], { timeout: 600_000 });
    const unpacked = join(work, 'package');
    if (!existsSync(join(unpacked, 'bin', 'node'))) {
      throw new Error(`${pkg}: no bin/node in the package (${readdirSync(unpacked).join(', ')})`);
    }
    rmSync(cacheDir, { recursive: true, force: true });
    renameSync(unpacked, cacheDir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const bin = join(cacheDir, 'bin', 'node');
  const version = nodeVersion(bin);
  if (!isMajor(version)) throw new Error(`${bin} reports ${version ?? 'nothing'}, not ${MAJOR}`);
  return bin;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = findNode24();
  if (found.path) {
    console.error(`Node ${found.version} from ${found.from}`);
    console.log(found.path);
  } else if (process.argv.includes('--find')) {
    console.error(`No Node ${MAJOR}: ${found.why}.`);
    process.exit(1);
  } else if (process.env.QQ_SYNC_NODE24) {
    console.error(`${found.why}.`);
    process.exit(1);
  } else {
    console.error(`Fetching Node ${MAJOR} from the npm registry into ${cacheDir} …`);
    const bin = fetchNode24();
    console.error(`Node ${nodeVersion(bin)} in ${cacheDir}`);
    console.log(bin);
  }
}
