/**
 * The `cache: true` feature: save a job's fetched files to the GitHub Actions cache, and restore
 * the newest cached copy when the job's working directory is gone.
 *
 * `@actions/cache` (and its large Azure dependency tree) is loaded only here, through a dynamic
 * `import()` inside the functions, so a run without `cache: true` never loads it (ncc puts it in
 * a separate chunk).
 *
 * Caching is optional: nothing here throws. A cache that is not available gives a notice, a
 * cache that fails gives a warning, and the sync goes on either way.
 *
 * Paths: `@actions/cache` treats paths as glob patterns (relative ones resolved against the
 * current directory) and stores them in the archive relative to `GITHUB_WORKSPACE`; the exact
 * path strings are part of the entry's version, so a later `actions/cache/restore` must be given
 * the same strings. `cachePathsFor()` turns literal paths into those strings: relative to the
 * workspace (as a user writes them in a workflow) where possible, absolute otherwise, with glob
 * characters escaped.
 */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../../util/errors.js';
import { relativeInside } from '../../util/paths.js';
import { CacheBudget, withTimeout } from './budget.js';
import { withLibraryMessages } from './messages.js';

/** `@actions/cache`, loaded on first use. */
type CacheModule = typeof import('@actions/cache');
let cacheModule: Promise<CacheModule> | undefined;
function loadCache(): Promise<CacheModule> {
  cacheModule ??= import('@actions/cache');
  return cacheModule;
}

/** Key prefix of every entry this action saves. */
export const CACHE_KEY_PREFIX = 'qq-sync-';

/** Default budget of a save or restore given none (archive, transfer, extraction). */
export const DEFAULT_CACHE_TIMEOUT_MS = 10 * 60 * 1000;

/** The budget given, or one of its own for this call alone. */
function budgetOf(opts: { budget?: CacheBudget; timeoutMs?: number }): CacheBudget {
  return (
    opts.budget ?? new CacheBudget(opts.timeoutMs ?? DEFAULT_CACHE_TIMEOUT_MS, 'cache timeout')
  );
}

/** Run one library call within what is left of the step's budget, its messages collected. */
async function budgeted<T>(
  budget: CacheBudget,
  call: (msLeft: number) => Promise<T>,
): Promise<{ done?: { value: T }; cause?: string; spent?: string }> {
  if (budget.spentReason) return { spent: budget.spentReason };
  const left = budget.remaining();
  if (left <= 0) return { spent: `the step's cache time of ${budget.describe()} is used up` };
  const { result, messages } = withLibraryMessages(() => call(left));
  const done = await withTimeout(result, left);
  if (!done) {
    budget.spentReason = `an earlier cache call did not finish within the step's cache time of ${budget.describe()}`;
  }
  return done ? { done, cause: messages.cause() } : { cause: messages.cause() };
}

/**
 * A key part made safe: letters, digits and `.` stay; every other character (including `-`,
 * the separator of the key's parts) becomes `_` and two upper-case hex digits per UTF-8 byte.
 * The encoding is one-to-one and never contains `-` or `,`, so `qq-sync-<job>-` is a prefix of
 * the keys of that job only (job `123` never picks up the entries of job `123-4`).
 */
export function safeKeyPart(value: string | number): string {
  let out = '';
  for (const byte of Buffer.from(String(value), 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9.]/.test(c) ? c : `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `qq-sync-<safe job id>-`: the prefix of every key saved for this job. */
export function cacheKeyPrefix(jobId: string): string {
  return `${CACHE_KEY_PREFIX}${safeKeyPart(jobId)}-`;
}

/** `qq-sync-<safe job id>-<run id>-<run attempt>`: a key that is new for every save. */
export function cacheKeyFor(
  jobId: string,
  runId: string | number,
  runAttempt: string | number,
): string {
  return `${cacheKeyPrefix(jobId)}${safeKeyPart(runId)}-${safeKeyPart(runAttempt)}`;
}

/** Escape what `@actions/glob` would read as a pattern (`\ * ? [`) in a literal path. */
function globEscape(p: string): string {
  let out = p.replace(/[\\*?[]/g, (c) => (c === '\\' ? '\\\\' : `[${c}]`));
  // The pattern is trimmed: a trailing white-space character is kept as a one-character set.
  const m = /\s$/.exec(out);
  if (m) out = `${out.slice(0, -1)}[${m[0]}]`;
  return out;
}

/**
 * The path strings handed to `@actions/cache` for literal paths (absolute, or relative to the
 * workspace): relative to the workspace, with `/`, when the path is inside it and the current
 * directory is the workspace (as on a runner); absolute otherwise. Glob characters are escaped.
 * Throws for a path that cannot be expressed (a line break in it).
 */
export function cachePathsFor(
  paths: readonly string[],
  workspace: string = process.env.GITHUB_WORKSPACE || process.cwd(),
): string[] {
  const ws = path.resolve(workspace);
  const cwdIsWorkspace = realpath(process.cwd()) === realpath(ws);
  return paths.map((p) => {
    if (p === '' || /[\r\n]/.test(p)) {
      throw new Error(`Cannot cache the path ${JSON.stringify(p)}.`);
    }
    const abs = path.resolve(ws, p);
    const rel = relativeInside(abs, ws);
    let out = abs;
    if (cwdIsWorkspace && rel !== undefined) {
      const posix = rel === '' ? '.' : rel;
      // A relative pattern must not start with what glob reads specially: negation (`!`), a
      // comment (`#`), the home directory (`~`) or white space that trimming would lose.
      if (!/^[!#~\s]/.test(posix)) out = posix;
    }
    return globEscape(out);
  });
}

function realpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

export type CacheLog = (message: string) => void;

/** Whether the cache service is configured here; if not, the notice to show. */
export async function cacheAvailability(): Promise<
  { available: true } | { available: false; notice: string }
> {
  try {
    const cache = await loadCache();
    if (cache.isFeatureAvailable()) return { available: true };
    return {
      available: false,
      notice:
        'The GitHub Actions cache service is not available on this runner (no cache service ' +
        'URL is set, e.g. GitHub Enterprise Server without the Actions cache): nothing is cached.',
    };
  } catch (e) {
    return {
      available: false,
      notice: `The GitHub Actions cache cannot be used: ${errorMessage(e)}`,
    };
  }
}

/** The cache-mode the runner exported (`ACTIONS_CACHE_MODE`), as `@actions/cache` reads it. */
function cacheMode(): string {
  return (process.env.ACTIONS_CACHE_MODE || '').trim().toLowerCase();
}

export interface SaveJobFilesOptions {
  jobId: string;
  /** The fetched files: the job's destination directory (absolute or relative to the workspace). */
  paths: readonly string[];
  /** `GITHUB_RUN_ID` and `GITHUB_RUN_ATTEMPT`: they make the key new for every save. */
  runId: string | number;
  runAttempt: string | number;
  log?: CacheLog;
  /** The step's budget (budget.ts); without it, `timeoutMs` for this call alone. */
  budget?: CacheBudget;
  timeoutMs?: number;
}

export interface SaveJobFilesResult {
  /** The key the files were saved under (absent when nothing was saved). */
  key?: string;
  /** The path strings of the entry: what `actions/cache/restore` needs as `path`. */
  paths?: string[];
  /** The cache is not available or not writable here (not an error). */
  notice?: string;
  /** The save failed; the sync is not affected. */
  warning?: string;
}

/** Save a job's fetched files under `cacheKeyFor(jobId, runId, runAttempt)`. Never throws. */
export async function saveJobFiles(opts: SaveJobFilesOptions): Promise<SaveJobFilesResult> {
  const log = opts.log ?? (() => {});
  const what = `the files of job ${opts.jobId}`;
  try {
    if (String(opts.runId) === '' || String(opts.runAttempt) === '') {
      return {
        warning: `Cannot save ${what} to the cache: the run id or run attempt is unknown (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT).`,
      };
    }
    const availability = await cacheAvailability();
    if (!availability.available) return { notice: availability.notice };
    const mode = cacheMode();
    if (mode === 'none' || mode === 'read') {
      return {
        notice: `Not saving ${what} to the cache: the runner's cache-mode '${mode}' does not permit writes.`,
      };
    }
    const key = cacheKeyFor(opts.jobId, opts.runId, opts.runAttempt);
    const paths = cachePathsFor(opts.paths);
    const cache = await loadCache();
    const budget = budgetOf(opts);
    log(`Saving ${what} to the cache under key ${key}.`);
    const call = await budgeted(budget, () => cache.saveCache(paths, key));
    if (call.spent) {
      return { warning: `Did not save ${what} to the cache (key ${key}): ${call.spent}.` };
    }
    if (!call.done) {
      return {
        warning: `Gave up saving ${what} to the cache (key ${key}): the cache service did not finish within the step's cache time of ${budget.describe()}${call.cause ? ` (${call.cause})` : ''}; no later cache call of this step is made. The files were fetched all the same.`,
      };
    }
    // saveCache reports its own failures in the log and returns -1.
    if (call.done.value === -1) {
      return {
        warning: `Could not save ${what} to the cache (key ${key}): ${call.cause ?? 'the cache service gave no reason'}. The files were fetched all the same.`,
      };
    }
    log(`Saved ${what} to the cache under key ${key}.`);
    return { key, paths };
  } catch (e) {
    return {
      warning: `Could not save ${what} to the cache: ${errorMessage(e)} The files were fetched all the same.`,
    };
  }
}

export interface RestoreJobFilesOptions {
  jobId: string;
  /** The job's destination directory, exactly as given when its files were saved. */
  paths: readonly string[];
  log?: CacheLog;
  /** The step's budget (budget.ts); without it, `timeoutMs` for this call alone. */
  budget?: CacheBudget;
  timeoutMs?: number;
}

export interface RestoreJobFilesResult {
  hit: boolean;
  /** The key of the entry that was restored. */
  key?: string;
  /** Nothing was restored for an ordinary reason (no entry, no cache service here). */
  notice?: string;
  /** The restore failed. */
  warning?: string;
}

/**
 * Restore the newest entry saved for the job (key prefix `cacheKeyPrefix(jobId)`) into its
 * destination; files of the same name there are replaced. Never throws.
 */
export async function restoreJobFiles(
  opts: RestoreJobFilesOptions,
): Promise<RestoreJobFilesResult> {
  const log = opts.log ?? (() => {});
  const what = `the files of job ${opts.jobId}`;
  try {
    const availability = await cacheAvailability();
    if (!availability.available) return { hit: false, notice: availability.notice };
    const mode = cacheMode();
    if (mode === 'none' || mode === 'write-only') {
      return {
        hit: false,
        notice: `Not restoring ${what} from the cache: the runner's cache-mode '${mode}' does not permit reads.`,
      };
    }
    const prefix = cacheKeyPrefix(opts.jobId);
    const paths = cachePathsFor(opts.paths);
    const cache = await loadCache();
    const budget = budgetOf(opts);
    log(`Looking for ${what} in the cache (key prefix ${prefix}).`);
    const call = await budgeted(budget, (left) =>
      cache.restoreCache(paths, prefix, [prefix], {
        timeoutInMs: Math.min(60_000, left),
        segmentTimeoutInMs: left,
      }),
    );
    if (call.spent) {
      return { hit: false, warning: `Did not look for ${what} in the cache: ${call.spent}.` };
    }
    if (!call.done) {
      return {
        hit: false,
        warning: `Gave up restoring ${what} from the cache: the cache service did not finish within the step's cache time of ${budget.describe()}${call.cause ? ` (${call.cause})` : ''}; no later cache call of this step is made.`,
      };
    }
    const done = call.done;
    if (done.value === undefined) {
      // A miss, or a failure the library reported (held back: its cause is named here).
      return call.cause
        ? { hit: false, warning: `Could not restore ${what} from the cache: ${call.cause}.` }
        : { hit: false, notice: `No cached copy of ${what} was restored (key prefix ${prefix}).` };
    }
    log(`Restored ${what} from the cache (key ${done.value}).`);
    return { hit: true, key: done.value };
  } catch (e) {
    return { hit: false, warning: `Could not restore ${what} from the cache: ${errorMessage(e)}` };
  }
}
