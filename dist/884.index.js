export const id = 884;
export const ids = [884];
export const modules = {

/***/ 8884:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cacheAvailability: () => (/* binding */ cacheAvailability),
/* harmony export */   restoreJobFiles: () => (/* binding */ restoreJobFiles),
/* harmony export */   saveJobFiles: () => (/* binding */ saveJobFiles)
/* harmony export */ });
/* unused harmony exports CACHE_KEY_PREFIX, DEFAULT_CACHE_TIMEOUT_MS, safeKeyPart, cacheKeyPrefix, cacheKeyFor, cachePathsFor */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(17);
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
    cacheModule ??= Promise.all(/* import() */[__webpack_require__.e(377), __webpack_require__.e(570)]).then(__webpack_require__.bind(__webpack_require__, 3570));
    return cacheModule;
}
/** Key prefix of every entry this action saves. */
const CACHE_KEY_PREFIX = 'qq-sync-';
/** Default limit for one save or restore (archive, transfer, extraction). */
const DEFAULT_CACHE_TIMEOUT_MS = 10 * 60 * 1000;
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
    const ws = node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(workspace);
    const cwdIsWorkspace = realpath(process.cwd()) === realpath(ws);
    return paths.map((p) => {
        if (p === '' || /[\r\n]/.test(p)) {
            throw new Error(`Cannot cache the path ${JSON.stringify(p)}.`);
        }
        const abs = node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(ws, p);
        const rel = node_path__WEBPACK_IMPORTED_MODULE_1__.relative(ws, abs);
        const inside = rel === '' || !(rel === '..' || rel.startsWith(`..${node_path__WEBPACK_IMPORTED_MODULE_1__.sep}`));
        let out = abs;
        if (cwdIsWorkspace && inside && !node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute(rel)) {
            const posix = rel === '' ? '.' : rel.split(node_path__WEBPACK_IMPORTED_MODULE_1__.sep).join('/');
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
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.realpathSync)(p);
    }
    catch {
        return node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(p);
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
            notice: `The GitHub Actions cache cannot be used: ${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .g)(e)}`,
        };
    }
}
/** Resolve to `undefined` when `ms` passes first (the operation itself is not stopped). */
async function withTimeout(work, ms) {
    let timer;
    const timeout = new Promise((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms);
        timer.unref();
    });
    try {
        return await Promise.race([work.then((value) => ({ value })), timeout]);
    }
    finally {
        clearTimeout(timer);
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
        log(`Saving ${what} to the cache under key ${key}.`);
        const done = await withTimeout(cache.saveCache(paths, key), opts.timeoutMs ?? DEFAULT_CACHE_TIMEOUT_MS);
        if (!done) {
            return {
                warning: `Saving ${what} to the cache (key ${key}) timed out after ${Math.round((opts.timeoutMs ?? DEFAULT_CACHE_TIMEOUT_MS) / 1000)} s; the files were fetched all the same.`,
            };
        }
        // saveCache reports its own failures in the log and returns -1.
        if (done.value === -1) {
            return {
                warning: `Could not save ${what} to the cache (key ${key}); see the cache messages above. The files were fetched all the same.`,
            };
        }
        log(`Saved ${what} to the cache under key ${key}.`);
        return { key, paths };
    }
    catch (e) {
        return {
            warning: `Could not save ${what} to the cache: ${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .g)(e)} The files were fetched all the same.`,
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
        const timeoutMs = opts.timeoutMs ?? DEFAULT_CACHE_TIMEOUT_MS;
        log(`Looking for ${what} in the cache (key prefix ${prefix}).`);
        const done = await withTimeout(cache.restoreCache(paths, prefix, [prefix], {
            timeoutInMs: 60_000,
            segmentTimeoutInMs: timeoutMs,
        }), timeoutMs);
        if (!done) {
            return {
                hit: false,
                warning: `Restoring ${what} from the cache timed out after ${Math.round(timeoutMs / 1000)} s.`,
            };
        }
        if (done.value === undefined) {
            // A miss, or a failure that restoreCache has already reported in the log.
            return {
                hit: false,
                notice: `No cached copy of ${what} was restored (key prefix ${prefix}).`,
            };
        }
        log(`Restored ${what} from the cache (key ${done.value}).`);
        return { hit: true, key: done.value };
    }
    catch (e) {
        return { hit: false, warning: `Could not restore ${what} from the cache: ${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .g)(e)}` };
    }
}


/***/ })

};
