/**
 * What a step loads, through the bundle: Node's start and the bundle's load are most of the
 * action's fixed cost (README Performance), and about a third of it was an HTTP stack that
 * `@actions/core` imports for its OIDC client. A step that fetches a job without the cache
 * loads none of it; `cache: true` does (the cache client talks HTTP), which shows the check sees
 * what it looks for. The preload test/e2e/loaded-modules.mjs lists Node's built-in modules
 * loaded after it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { runAction } from '../../scripts/run-action.mjs';
import { ENTRY, Scene } from '../corpus/harness.js';
import { explain } from '../support/explain.js';

const preload = pathToFileURL(join(import.meta.dirname, 'loaded-modules.mjs')).href;
const HTTP_STACK = ['http', 'https', 'tls', 'zlib', 'dns', 'worker_threads'];
const scene = new Scene('qq-sync-startup-');
afterAll(() => scene.cleanup());

async function loadedBy(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const file = join(scene.base, `modules-${Object.keys(inputs).length}-${Date.now()}`);
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

it('a step that fetches a job loads no HTTP client; with cache: true it does', async () => {
  scene.job('sim');
  const plain = await loadedBy({});
  expect(plain.modules).toContain('child_process');
  expect(plain.modules.filter((m) => HTTP_STACK.includes(m))).toEqual([]);

  // No cache service: the cache client is loaded, then says the cache is not available.
  const cached = await loadedBy(
    { cache: 'true', overwrite: 'always' },
    { ACTIONS_RESULTS_URL: '', ACTIONS_CACHE_URL: '' },
  );
  expect(cached.modules).toEqual(expect.arrayContaining(['http', 'https']));
});
