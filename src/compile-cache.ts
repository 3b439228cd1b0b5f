/**
 * Node's compile cache (`module.enableCompileCache()`, Node 22.1+): V8 keeps the compiled code
 * of the bundle on disk, so later runs skip parsing and compiling it. A no-op on Node 20.
 *
 * Where: the runner's tool cache (kept between jobs on a self-hosted runner), else its temp
 * directory (kept for the job's later steps), else the system temp directory. The cache holds
 * code that Node runs, so it is used only in a directory of our own that nobody else can write
 * to (on a login node, /tmp is shared with every user): created with mode 0700, and skipped when
 * it is a symlink, someone else's, or writable by group or others.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Enable = (directory?: string) => { status: number; message?: string; directory?: string };

/** The directory the cache is kept in. */
export function compileCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.RUNNER_TOOL_CACHE || env.RUNNER_TEMP;
  if (base) return join(base, 'qq-sync', 'compile-cache');
  return join(tmpdir(), `qq-sync-compile-cache-${process.getuid?.() ?? 'user'}`);
}

/** Ours alone: a real directory owned by this user, not writable by group or others. */
function privateDirectory(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const s = lstatSync(dir);
  const uid = process.getuid?.();
  return s.isDirectory() && (uid === undefined || s.uid === uid) && (s.mode & 0o022) === 0;
}

/** Turn the compile cache on where Node has it; returns the directory, or undefined. */
export function enableCompileCache(env: NodeJS.ProcessEnv): string | undefined {
  const enable = (nodeModule as { enableCompileCache?: Enable }).enableCompileCache;
  if (!enable || env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  try {
    const dir = compileCacheDir(env);
    if (!privateDirectory(dir)) return undefined;
    return enable(dir).directory;
  } catch {
    // A cache that cannot be written only costs the compile it would have saved.
    return undefined;
  }
}

/** Write the compile cache now (Node 22.10+): the process is about to end with process.exit(). */
export function flushCompileCache(): void {
  try {
    (nodeModule as { flushCompileCache?: () => void }).flushCompileCache?.();
  } catch {
    // Only the next run's compile is at stake.
  }
}
