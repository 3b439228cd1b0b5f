/** Helpers for the cache tests: a private workspace and the environment of a runner. */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { cleanTemps, tempDir } from '../support/temp.js';

const saved = { env: { ...process.env }, cwd: process.cwd() };

/**
 * Act as a runner would for a step: `env` (the cache service's), a workspace that is also the
 * current directory, a private RUNNER_TEMP. Variables of a real runner that would change what
 * the client does are removed.
 */
export async function enterRunner(env: Record<string, string>, workspace: string): Promise<void> {
  for (const k of [
    'ACTIONS_CACHE_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_CACHE_SERVICE_V2',
    'ACTIONS_CACHE_MODE',
    'GITHUB_SERVER_URL',
  ]) {
    delete process.env[k];
  }
  Object.assign(process.env, env);
  process.env.GITHUB_WORKSPACE = workspace;
  process.env.RUNNER_TEMP = tempDir('runner-temp');
  process.chdir(workspace);
}

export async function leaveRunner(): Promise<void> {
  process.chdir(saved.cwd);
  for (const k of Object.keys(process.env)) if (!(k in saved.env)) delete process.env[k];
  Object.assign(process.env, saved.env);
  cleanTemps();
}

/** Write files (relative path → content) under `dir`. */
export async function writeTree(
  dir: string,
  files: Record<string, string | Buffer>,
): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    await mkdir(path.dirname(p), { recursive: true });
    await writeFile(p, content);
  }
}

/** Every regular file under `dir`: relative path → content (base64) and mtime (whole seconds). */
export async function readTree(
  dir: string,
): Promise<Record<string, { data: string; mtime: number }>> {
  const out: Record<string, { data: string; mtime: number }> = {};
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else {
        out[path.relative(dir, p)] = {
          data: (await readFile(p)).toString('base64'),
          mtime: Math.floor((await stat(p)).mtimeMs / 1000),
        };
      }
    }
  };
  await walk(dir);
  return out;
}
