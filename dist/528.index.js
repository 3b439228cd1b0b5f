export const id = 528;
export const ids = [528];
export const modules = {

/***/ 9528:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cacheAvailability: () => (/* binding */ cacheAvailability),
  restoreJobFiles: () => (/* binding */ restoreJobFiles),
  saveJobFiles: () => (/* binding */ saveJobFiles)
});

// UNUSED EXPORTS: CACHE_KEY_PREFIX, DEFAULT_CACHE_TIMEOUT_MS, cacheKeyFor, cacheKeyPrefix, cachePathsFor, safeKeyPart

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(17);
// EXTERNAL MODULE: ./src/util/paths.ts
var util_paths = __webpack_require__(4964);
// EXTERNAL MODULE: ./src/action/cache/budget.ts
var cache_budget = __webpack_require__(2230);
// EXTERNAL MODULE: external "node:async_hooks"
var external_node_async_hooks_ = __webpack_require__(6698);
;// CONCATENATED MODULE: ./src/action/cache/messages.ts
/**
 * What `@actions/cache` says while it saves or restores, read from stdout. The library reports
 * failures only in the log: a failed reservation becomes "another job may be creating this
 * cache" whatever the cause (a refused connection, a denied token), and the cause itself goes to
 * a `::debug::` line. To name the real cause in one warning of ours, the library's annotations
 * and that misleading line are held back, and the cause is taken from them; every other line
 * (progress, debug) goes through unchanged.
 *
 * Which lines are the library's: those written within the call's asynchronous context
 * (AsyncLocalStorage follows the library's promises, timers and sockets). So calls for several
 * jobs may run at once, each gets its own messages, a line written meanwhile by the rest of the
 * action (another job's log, a cancel's annotation) is never touched, and a call given up after
 * a timeout stays silent when it fails later.
 */

/** `%0A` and friends back to text (core's escapeData), then the first line without `Error: `. */
function firstLineOf(data) {
    const text = data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
    return (text.split(/\r?\n/)[0] ?? '').replace(/^(\w*Error: )+/, '').trim();
}
class Collector {
    reserveCause;
    reported = [];
    /** True: the line is held back. */
    hold(line) {
        // Passed through: the debug line is only shown with step debug logging.
        const debug = /^::debug::Failed to reserve cache: (.*)$/.exec(line);
        if (debug)
            this.reserveCause = firstLineOf(debug[1] ?? '');
        const annotation = /^::(?:warning|error)(?: [^:]*)?::(.*)$/.exec(line);
        if (annotation) {
            this.reported.push(firstLineOf(annotation[1] ?? '').replace(/^Failed to (save|restore): /, ''));
            return true;
        }
        // core.info of the misleading "another job may be creating this cache".
        return /^Failed to save: Unable to reserve cache with key /.test(line);
    }
    cause() {
        return (this.reserveCause ??
            this.reported.find((m) => !/another job may be/.test(m)) ??
            this.reported[0]);
    }
}
const context = new external_node_async_hooks_.AsyncLocalStorage();
let installed = false;
/** Route stdout writes made within a capture to its collector (installed once). */
function install() {
    if (installed)
        return;
    installed = true;
    const original = process.stdout.write;
    process.stdout.write = function (chunk, ...rest) {
        const collector = context.getStore();
        if (collector && typeof chunk === 'string' && collector.hold(chunk.replace(/\r?\n$/, ''))) {
            rest.find((r) => typeof r === 'function')?.();
            return true;
        }
        return original.call(this, chunk, ...rest);
    };
}
/** Start `call` with its library messages collected; the promise is `call`'s. */
function withLibraryMessages(call) {
    install();
    const collector = new Collector();
    return { result: context.run(collector, call), messages: collector };
}

;// CONCATENATED MODULE: ./src/action/cache/actions-cache.ts
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






let cacheModule;
function loadCache() {
    cacheModule ??= Promise.all(/* import() */[__webpack_require__.e(377), __webpack_require__.e(60)]).then(__webpack_require__.bind(__webpack_require__, 6060));
    return cacheModule;
}
/** Key prefix of every entry this action saves. */
const CACHE_KEY_PREFIX = 'qq-sync-';
/** Default budget of a save or restore given none (archive, transfer, extraction). */
const DEFAULT_CACHE_TIMEOUT_MS = 10 * 60 * 1000;
/** The budget given, or one of its own for this call alone. */
function budgetOf(opts) {
    return (opts.budget ?? new cache_budget/* CacheBudget */.Q9(opts.timeoutMs ?? DEFAULT_CACHE_TIMEOUT_MS, 'cache timeout'));
}
/** Run one library call within what is left of the step's budget, its messages collected. */
async function budgeted(budget, call) {
    if (budget.spentReason)
        return { spent: budget.spentReason };
    const left = budget.remaining();
    if (left <= 0)
        return { spent: `the step's cache time of ${budget.describe()} is used up` };
    const { result, messages } = withLibraryMessages(() => call(left));
    const done = await (0,cache_budget/* withTimeout */.wj)(result, left);
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
function safeKeyPart(value) {
    let out = '';
    for (const byte of Buffer.from(String(value), 'utf8')) {
        const c = String.fromCharCode(byte);
        out += /[A-Za-z0-9.]/.test(c) ? c : `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
}
/** `qq-sync-<safe job id>-`: the prefix of every key saved for this job. */
function cacheKeyPrefix(jobId) {
    return `${CACHE_KEY_PREFIX}${safeKeyPart(jobId)}-`;
}
/** `qq-sync-<safe job id>-<run id>-<run attempt>`: a key that is new for every save. */
function cacheKeyFor(jobId, runId, runAttempt) {
    return `${cacheKeyPrefix(jobId)}${safeKeyPart(runId)}-${safeKeyPart(runAttempt)}`;
}
/** Escape what `@actions/glob` would read as a pattern (`\ * ? [`) in a literal path. */
function globEscape(p) {
    let out = p.replace(/[\\*?[]/g, (c) => (c === '\\' ? '\\\\' : `[${c}]`));
    // The pattern is trimmed: a trailing white-space character is kept as a one-character set.
    const m = /\s$/.exec(out);
    if (m)
        out = `${out.slice(0, -1)}[${m[0]}]`;
    return out;
}
/**
 * The path strings handed to `@actions/cache` for literal paths (absolute, or relative to the
 * workspace): relative to the workspace, with `/`, when the path is inside it and the current
 * directory is the workspace (as on a runner); absolute otherwise. Glob characters are escaped.
 * Throws for a path that cannot be expressed (a line break in it).
 */
function cachePathsFor(paths, workspace = process.env.GITHUB_WORKSPACE || process.cwd()) {
    const ws = external_node_path_.resolve(workspace);
    const cwdIsWorkspace = realpath(process.cwd()) === realpath(ws);
    return paths.map((p) => {
        if (p === '' || /[\r\n]/.test(p)) {
            throw new Error(`Cannot cache the path ${JSON.stringify(p)}.`);
        }
        const abs = external_node_path_.resolve(ws, p);
        const rel = (0,util_paths/* relativeInside */.J)(abs, ws);
        let out = abs;
        if (cwdIsWorkspace && rel !== undefined) {
            const posix = rel === '' ? '.' : rel;
            // A relative pattern must not start with what glob reads specially: negation (`!`), a
            // comment (`#`), the home directory (`~`) or white space that trimming would lose.
            if (!/^[!#~\s]/.test(posix))
                out = posix;
        }
        return globEscape(out);
    });
}
function realpath(p) {
    try {
        return (0,external_node_fs_.realpathSync)(p);
    }
    catch {
        return external_node_path_.resolve(p);
    }
}
/** Whether the cache service is configured here; if not, the notice to show. */
async function cacheAvailability() {
    try {
        const cache = await loadCache();
        if (cache.isFeatureAvailable())
            return { available: true };
        return {
            available: false,
            notice: 'The GitHub Actions cache service is not available on this runner (no cache service ' +
                'URL is set, e.g. GitHub Enterprise Server without the Actions cache): nothing is cached.',
        };
    }
    catch (e) {
        return {
            available: false,
            notice: `The GitHub Actions cache cannot be used: ${(0,errors/* errorMessage */.g)(e)}`,
        };
    }
}
/** The cache-mode the runner exported (`ACTIONS_CACHE_MODE`), as `@actions/cache` reads it. */
function cacheMode() {
    return (process.env.ACTIONS_CACHE_MODE || '').trim().toLowerCase();
}
/** Save a job's fetched files under `cacheKeyFor(jobId, runId, runAttempt)`. Never throws. */
async function saveJobFiles(opts) {
    const log = opts.log ?? (() => { });
    const what = `the files of job ${opts.jobId}`;
    try {
        if (String(opts.runId) === '' || String(opts.runAttempt) === '') {
            return {
                warning: `Cannot save ${what} to the cache: the run id or run attempt is unknown (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT).`,
            };
        }
        const availability = await cacheAvailability();
        if (!availability.available)
            return { notice: availability.notice };
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
    }
    catch (e) {
        return {
            warning: `Could not save ${what} to the cache: ${(0,errors/* errorMessage */.g)(e)} The files were fetched all the same.`,
        };
    }
}
/**
 * Restore the newest entry saved for the job (key prefix `cacheKeyPrefix(jobId)`) into its
 * destination; files of the same name there are replaced. Never throws.
 */
async function restoreJobFiles(opts) {
    const log = opts.log ?? (() => { });
    const what = `the files of job ${opts.jobId}`;
    try {
        const availability = await cacheAvailability();
        if (!availability.available)
            return { hit: false, notice: availability.notice };
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
        const call = await budgeted(budget, (left) => cache.restoreCache(paths, prefix, [prefix], {
            timeoutInMs: Math.min(60_000, left),
            segmentTimeoutInMs: left,
        }));
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
    }
    catch (e) {
        return { hit: false, warning: `Could not restore ${what} from the cache: ${(0,errors/* errorMessage */.g)(e)}` };
    }
}


/***/ })

};
