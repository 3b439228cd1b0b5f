/**
 * scripts/release.sh in a scratch repository with a bare `origin`: it tags vX.Y.Z, moves the
 * major tag to it and pushes both, and refuses what would make a wrong release.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', '..', 'scripts', 'release.sh');
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release@example.invalid',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release@example.invalid',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};
let base: string;
let origin: string;
let repo: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', timeout: 30_000 }).trim();
}

function release(...args: string[]) {
  const run = spawnSync('bash', ['scripts/release.sh', ...args], {
    cwd: repo,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

/** A commit of main whose package.json and CHANGELOG.md name `version`. */
function commitVersion(version: string, heading = `## v${version} (2026-12-01)`) {
  writeFileSync(join(repo, 'package.json'), `{ "name": "x", "version": "${version}" }\n`);
  writeFileSync(join(repo, 'CHANGELOG.md'), `# Changelog\n\n${heading}\n\n- changes\n`);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', `v${version}`);
  git(repo, 'push', '-q', 'origin', 'main');
}

const tagAt = (tag: string) => git(origin, 'rev-parse', `refs/tags/${tag}^{commit}`);

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'qq-sync-release-'));
  origin = join(base, 'origin.git');
  repo = join(base, 'repo');
  git(base, 'init', '-q', '--bare', '-b', 'main', origin);
  git(base, 'clone', '-q', origin, repo);
  git(repo, 'checkout', '-q', '-b', 'main');
  mkdirSync(join(repo, 'scripts'));
  mkdirSync(join(repo, 'dist'));
  copyFileSync(script, join(repo, 'scripts', 'release.sh'));
  writeFileSync(join(repo, 'dist', 'index.js'), '// bundle\n');
  writeFileSync(join(repo, 'dist', 'licenses.txt'), 'notices\n');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('scripts/release.sh', () => {
  it('tags v1.0.0, moves v1 to it and pushes both', () => {
    commitVersion('1.0.0');
    const run = release('1.0.0', '--push');
    expect(run.code, run.out).toBe(0);
    const head = git(repo, 'rev-parse', 'HEAD');
    expect(tagAt('v1.0.0')).toBe(head);
    expect(tagAt('v1')).toBe(head);
  });

  it('moves v1 to the next release and leaves v1.0.0 where it was', () => {
    const first = tagAt('v1.0.0');
    commitVersion('1.0.1');
    const run = release('1.0.1', '--push');
    expect(run.code, run.out).toBe(0);
    const head = git(repo, 'rev-parse', 'HEAD');
    expect(tagAt('v1.0.1')).toBe(head);
    expect(tagAt('v1')).toBe(head);
    expect(tagAt('v1.0.0')).toBe(first);
  });

  it('refuses an existing, older or malformed version, and a mismatch with package.json', () => {
    expect(release('1.0.1').out).toMatch(/already exists/);
    expect(release('1.0.0').out).toMatch(/already exists/);
    expect(release('0.9.0').out).toMatch(/not newer/);
    expect(release('v1.2.0').code).not.toBe(0);
    expect(release('1.2').code).not.toBe(0);
    expect(release('1.2.0').out).toMatch(/package.json says 1.0.1/);
  });

  it('refuses a version the changelog still marks unreleased, and a dirty tree', () => {
    commitVersion('1.1.0', '## v1.1.0 (unreleased)');
    expect(release('1.1.0').out).toMatch(/unreleased/);
    writeFileSync(join(repo, 'stray.txt'), 'x\n');
    expect(release('1.1.0').out).toMatch(/uncommitted/);
    rmSync(join(repo, 'stray.txt'));
    expect(git(origin, 'tag', '--list', 'v1.1.0')).toBe('');
  });
});
