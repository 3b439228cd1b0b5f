/**
 * `npm run local-action` as action authors run it: @github/local-action runs
 * src/main.ts with .env.example on the demo world — no cluster, a stand-in `qstat` that has
 * forgotten the job — applying action.yml's defaults. What it shows is local-action's stand-in
 * for @actions/core (`::set-output` lines, no GITHUB_OUTPUT); the action's own part is what is
 * checked: the job fetched, the warning for the failed job, the summary written.
 *
 * local-action comes through npx, not as a devDependency: installed next to the action, its
 * @actions/cache 5 pulls a newer @azure/storage-common (Node >= 22) into the tree that the
 * bundle is built from.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
/** The version the README names; npx keeps it in npm's cache after the first run. */
const LOCAL_ACTION = '@github/local-action@7.0.1';

describe('npm run local-action', () => {
  it('is the template’s command, after building the demo world', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts['local-action']).toMatch(
      /npx --yes @github\/local-action@7\.0\.1 \. src\/main\.ts \.env$/,
    );
    expect(pkg.scripts['local-action']).toContain('node demo/world.mjs .tmp/demo-world');
  });

  it('runs the action from source on the demo world with .env.example', () => {
    // What the npm script does before local-action: the world, and the summary file.
    execFileSync(process.execPath, ['demo/world.mjs', '.tmp/demo-world'], {
      cwd: root,
      stdio: 'ignore',
      timeout: 30_000,
    });
    const summary = join(root, '.tmp', 'local-action-summary.md');
    mkdirSync(join(root, '.tmp'), { recursive: true });
    writeFileSync(summary, '');
    rmSync(join(root, '.tmp', 'demo-world', 'workspace', 'sim1', 'md.log'), { force: true });
    const run = spawnSync('npx', ['--yes', LOCAL_ACTION, '.', 'src/main.ts', '.env.example'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    const log = `${run.stdout}\n${run.stderr}`;
    expect(run.status, log).toBe(0);
    expect(log).toContain('::set-output name=status::synced');
    expect(log).toContain('::set-output name=state-code::failed');
    expect(log).toContain(
      '✔ 4242.pbs-demo (run_md.sh): fetched 4 files, 157 B; the job failed (exit 1)',
    );
    expect(log).toMatch(/::warning title=qq-sync: 4242\.pbs-demo failed::Job 4242\.pbs-demo/);
    expect(existsSync(join(root, '.tmp', 'demo-world', 'workspace', 'sim1', 'md.log'))).toBe(true);
    expect(readFileSync(summary, 'utf8')).toContain(
      '<strong>Job 4242.pbs-demo (run_md.sh) failed (exit 1); its files were fetched (4 files, 157 B).</strong>',
    );
  }, 300_000);
});
