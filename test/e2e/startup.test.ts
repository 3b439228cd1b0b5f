/**
 * What a step loads, through the bundle: Node's start and the bundle's load are most of the
 * action's fixed cost (README Performance), and about a third of it was an HTTP stack that
 * `@actions/core` imports for its OIDC client. A step that fetches a job without the cache
 * loads none of it; `cache: true` does (the cache client talks HTTP), which shows the check sees
 * what it looks for. The preload test/e2e/loaded-modules.mjs lists Node's built-in modules
 * loaded after it. Node's compile cache (Node 22.1+) is kept in the runner's tool cache, in a
 * directory nobody else can write to, and a second step compiles nothing.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionNode, runAction } from '../../scripts/run-action.mjs';
import { ENTRY, Scene } from '../corpus/harness.js';
import { explain } from '../support/explain.js';

const preload = pathToFileURL(join(import.meta.dirname, 'loaded-modules.mjs')).href;
const HTTP_STACK = ['http', 'https', 'tls', 'zlib', 'dns', 'worker_threads'];
/**
 * Also unused by a plain fetch: @actions/exec's assert (through @actions/core's `platform`),
 * the resolver (this host's names, only with shared-storage: auto and a main node).
 */
const UNUSED = ['assert', 'dns/promises'];
const scene = new Scene('qq-sync-startup-');
beforeAll(() => scene.job('sim'));
afterAll(() => scene.cleanup());

let runs = 0;
async function loadedBy(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const file = join(scene.base, `modules-${++runs}`);
  const run = await runAction({
    workspace: scene.workspace,
    inputs: { path: 'sim', 'shared-storage': 'true', destination: 'out', ...inputs },
    env: scene.env({ QQ_SYNC_MODULES_FILE: file, ...env }),
    entry: ENTRY,
    nodeArgs: ['--import', preload],
  });
  expect(run.code, explain(run)).toBe(0);
  expect(run.outputs.status, explain(run)).toBe('synced');
  return { run, modules: readFileSync(file, 'utf8').split('\n') };
}

it('a step that fetches a job loads no HTTP client, assert or resolver; with cache: true it does', async () => {
  const plain = await loadedBy({});
  expect(plain.modules).toContain('child_process');
  expect(plain.modules.filter((m) => HTTP_STACK.includes(m))).toEqual([]);
  expect(plain.modules.filter((m) => UNUSED.includes(m))).toEqual([]);

  // No cache service: the cache client is loaded, then says the cache is not available.
  const cached = await loadedBy(
    { cache: 'true', overwrite: 'always' },
    { ACTIONS_RESULTS_URL: '', ACTIONS_CACHE_URL: '' },
  );
  expect(cached.modules).toEqual(expect.arrayContaining(['http', 'https']));
});

const [major = 0, minor = 0] = execFileSync(actionNode(), ['-p', 'process.versions.node'], {
  encoding: 'utf8',
})
  .trim()
  .split('.')
  .map(Number);
const hasCompileCache = major > 22 || (major === 22 && minor >= 1);

/** The chunks named by Node's compile-cache debug lines that match `re`, sorted. */
function chunks(stderr: string, re: RegExp): string[] {
  return [...new Set([...stderr.matchAll(re)].map((m) => m[1] as string))].sort();
}

describe("Node's compile cache", () => {
  function cacheRun(toolCache: string) {
    return runAction({
      workspace: scene.workspace,
      inputs: { path: 'sim', 'shared-storage': 'true', destination: 'out' },
      // NODE_DEBUG_NATIVE=COMPILE_CACHE: Node says on stderr what it read and wrote.
      env: scene.env({
        RUNNER_TOOL_CACHE: toolCache,
        RUNNER_DEBUG: '1',
        NODE_DEBUG_NATIVE: 'COMPILE_CACHE',
      }),
      entry: ENTRY,
    });
  }

  it.runIf(hasCompileCache)(
    'in the tool cache, private to the user; the second step takes every chunk from it',
    async () => {
      const toolCache = join(scene.base, 'tool-cache');
      const dir = join(toolCache, 'qq-sync', 'compile-cache');
      const first = await cacheRun(toolCache);
      expect(first.code, explain(first)).toBe(0);
      expect(first.stdout).toContain(`::debug::Node v${major}.`);
      expect(first.stdout).toContain(`compile cache: ${dir}`);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(readdirSync(dir).length).toBeGreaterThan(0);
      const written = chunks(first.stderr, /writing cache for ESM (\S+) to /g);
      expect(written.length, first.stderr).toBeGreaterThan(0);
      const second = await cacheRun(toolCache);
      expect(second.code, explain(second)).toBe(0);
      const accepted = chunks(second.stderr, /V8 code cache for ESM (\S+) was accepted/g);
      expect(accepted, second.stderr).toEqual(written);
      expect(second.stderr).not.toMatch(/was rejected|failed to/);
    },
  );

  it.runIf(hasCompileCache)(
    'not used in a directory that others can write to: the code there would be run',
    async () => {
      const toolCache = join(scene.base, 'shared-tool-cache');
      const dir = join(toolCache, 'qq-sync', 'compile-cache');
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o777);
      const run = await cacheRun(toolCache);
      expect(run.code, explain(run)).toBe(0);
      expect(run.stdout).toContain('compile cache: off');
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it.runIf(!hasCompileCache)('off on a Node without it, and the step runs', async () => {
    const run = await cacheRun(join(scene.base, 'tool-cache-old-node'));
    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout).toContain('compile cache: off');
  });
});
