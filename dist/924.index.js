export const id = 924;
export const ids = [924,44];
export const modules = {

/***/ 6044:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Im: () => (/* binding */ killAllCommandsNow),
/* harmony export */   JX: () => (/* binding */ liveCommandCount),
/* harmony export */   L: () => (/* binding */ onPath),
/* harmony export */   Nz: () => (/* binding */ debugMessage),
/* harmony export */   d1: () => (/* binding */ runCommand),
/* harmony export */   logCommandsTo: () => (/* binding */ logCommandsTo),
/* harmony export */   mB: () => (/* binding */ stopAllCommands)
/* harmony export */ });
/* unused harmony exports STOP_GRACE_MS, commandLine */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);

/** The programs running now, each the leader of its process group; true for a `cleanup` one. */
const live = new Map();
let stopping = false;
function signalGroup(child, signal) {
    try {
        // The whole group: what the program started (rsync's ssh, its receiver) goes with it.
        if (child.pid)
            process.kill(-child.pid, signal);
    }
    catch {
        if (child.exitCode === null && child.signalCode === null)
            child.kill(signal);
    }
}
/** Grace between SIGTERM and SIGKILL for the programs of a cancelled run. */
const STOP_GRACE_MS = 1000;
/**
 * The run is cancelled: start no program from now on (but `cleanup` ones), send SIGTERM to
 * every live process group (rsync removes its temporary file on it) and SIGKILL to those
 * still there STOP_GRACE_MS later.
 */
function stopAllCommands() {
    stopping = true;
    const groups = [...live].filter(([, cleanup]) => !cleanup).map(([child]) => child);
    for (const child of groups)
        signalGroup(child, 'SIGTERM');
    if (groups.length > 0) {
        setTimeout(() => {
            for (const child of groups)
                if (live.has(child))
                    signalGroup(child, 'SIGKILL');
        }, STOP_GRACE_MS);
    }
}
/** SIGKILL to every live process group at once: the last thing before the process exits. */
function killAllCommandsNow() {
    stopping = true;
    for (const child of live.keys())
        signalGroup(child, 'SIGKILL');
}
/** How many programs run now (for tests and the cancel log). */
function liveCommandCount() {
    return live.size;
}
const DEFAULT_MAX = 4 * 1024 * 1024;
let debugLog;
/**
 * With step debug logging on, every command line run (and how it ended) goes to `log`: the one
 * place that sees all of them (scheduler, rsync, ssh, hostname). Only argv is logged, never
 * `input` or the environment.
 */
function logCommandsTo(log) {
    debugLog = log;
}
/** A debug message, when commands are logged (`logCommandsTo`). */
function debugMessage(message) {
    debugLog?.(message);
}
/** argv as one line: a word with spaces, quotes or control characters is JSON-quoted. */
function commandLine(argv) {
    return argv.map((a) => (/^[\w@%+=:,./~-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
class Capture {
    max;
    onLine;
    chunks = [];
    size = 0;
    partial = '';
    constructor(max, onLine) {
        this.max = max;
        this.onLine = onLine;
    }
    push(chunk) {
        this.chunks.push(chunk);
        this.size += chunk.length;
        while (this.size > this.max && this.chunks.length > 1) {
            this.size -= this.chunks.shift().length;
        }
        if (this.onLine) {
            const text = this.partial + chunk.toString('utf8');
            const lines = text.split(/\r\n|\n|\r/);
            this.partial = lines.pop() ?? '';
            for (const line of lines)
                this.onLine(line);
        }
    }
    finish() {
        if (this.onLine && this.partial)
            this.onLine(this.partial);
        this.partial = '';
        const buf = Buffer.concat(this.chunks);
        return (buf.length > this.max ? buf.subarray(buf.length - this.max) : buf).toString('utf8');
    }
}
/**
 * Run `argv[0]` with `argv.slice(1)`; never rejects: failures are in the result. (Longer than
 * most: one spawn with its timeout, process-group kill and stream handlers, kept together.)
 */
function runCommand(argv, options) {
    const [file, ...args] = argv;
    if (!file)
        throw new Error('runCommand: empty argv');
    const started = Date.now();
    if (stopping && !options.cleanup) {
        return Promise.resolve({
            code: null,
            signal: null,
            stdout: '',
            stderr: `${file} was not started: the run was cancelled.`,
            timedOut: false,
            durationMs: 0,
            cancelled: true,
        });
    }
    const line = debugLog && commandLine(argv);
    if (line)
        debugLog?.(`run: ${line}${options.cwd ? ` (in ${options.cwd})` : ''}`);
    return new Promise((resolve) => {
        const out = new Capture(options.maxBuffer ?? DEFAULT_MAX, options.onStdoutLine);
        const err = new Capture(options.maxBuffer ?? DEFAULT_MAX, options.onStderrLine);
        let timedOut = false;
        let spawnError;
        let killTimer;
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(file, args, {
            shell: false,
            env: options.env ?? process.env,
            cwd: options.cwd,
            stdio: [options.input === undefined ? 'ignore' : 'pipe', options.stdoutFd ?? 'pipe', 'pipe'],
            // Own process group, so that a timeout also ends grandchildren (rsync's ssh).
            detached: true,
            windowsHide: true,
        });
        if (child.pid)
            live.set(child, options.cleanup === true);
        const kill = () => {
            if (child.exitCode !== null || child.signalCode !== null)
                return;
            const pid = child.pid;
            try {
                if (pid)
                    process.kill(-pid, 'SIGTERM');
            }
            catch {
                child.kill('SIGTERM');
            }
            killTimer = setTimeout(() => {
                try {
                    if (pid)
                        process.kill(-pid, 'SIGKILL');
                }
                catch {
                    child.kill('SIGKILL');
                }
            }, 2000);
            killTimer.unref();
        };
        const timer = setTimeout(() => {
            timedOut = true;
            kill();
        }, options.timeoutMs);
        const onAbort = () => kill();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        child.stdout?.on('data', (c) => out.push(c));
        child.stderr?.on('data', (c) => err.push(c));
        if (options.input !== undefined && child.stdin) {
            child.stdin.on('error', () => { });
            child.stdin.end(options.input);
        }
        child.on('error', (e) => {
            spawnError = e;
        });
        child.on('close', (code, signal) => {
            live.delete(child);
            clearTimeout(timer);
            if (killTimer)
                clearTimeout(killTimer);
            options.signal?.removeEventListener('abort', onAbort);
            if (line) {
                const how = spawnError
                    ? `could not start (${spawnError.code ?? spawnError.message})`
                    : `${code === null ? `killed by ${signal}` : `exit ${code}`}${timedOut ? ' (timed out)' : ''}`;
                debugLog?.(`${how} in ${Date.now() - started} ms: ${line}`);
            }
            resolve({
                code,
                signal,
                stdout: out.finish(),
                stderr: err.finish(),
                timedOut,
                spawnError,
                durationMs: Date.now() - started,
                ...(stopping && !options.cleanup && code !== 0 ? { cancelled: true } : {}),
            });
        });
    });
}
/** True if `name` is an executable on PATH (no shell, no `which`). */
async function onPath(name, env = process.env) {
    const { access, constants } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1455, 23));
    const { delimiter, join } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 6760, 23));
    for (const dir of (env.PATH ?? '').split(delimiter)) {
        if (!dir)
            continue;
        try {
            await access(join(dir, name), constants.X_OK);
            return true;
        }
        catch { }
    }
    return false;
}


/***/ }),

/***/ 924:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: failOnHits

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/exec/run.ts
var exec_run = __webpack_require__(6044);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/domain/errors.ts
/** qq's error kinds. Messages are qq's, to the letter, where qq has one. */
/** Any error qq reports for a job (qq's QQError). */
class QQError extends Error {
    name = 'QQError';
}
/** An input or a value from an info file that we refuse before anything runs. */
class InputError extends QQError {
    name = 'InputError';
}

;// CONCATENATED MODULE: ./src/transfer/errors.ts
/** The transfer layer's errors: what failed, whether another attempt may help, and why. */

/** qq's message for a failed transfer: `Could not rsync files between '<from>' and '<to>': <detail>.` */
function rsyncFailure(from, to, detail) {
    return `Could not rsync files between '${from}' and '${to}': ${detail}.`;
}
/** A transfer that failed; `transient` when another attempt may succeed. */
class TransferError extends QQError {
    transient;
    name = 'TransferError';
    constructor(message, transient) {
        super(message);
        this.transient = transient;
    }
}
/**
 * The job's working directory is not there (rsync's `change_dir "…" failed: No such file or
 * directory`, or the built-in copier finding no directory): the job's files are gone, not
 * unreachable. Never transient.
 */
class WorkDirMissingError extends TransferError {
    name = 'WorkDirMissingError';
    constructor(message) {
        super(message, false);
    }
}
/** rsync's words for a source directory that does not exist. */
const RSYNC_WORK_DIR_MISSING = /change_dir "[^\n]*" failed: No such file or directory/;

;// CONCATENATED MODULE: ./src/transfer/copier.ts





const CONCURRENCY = 16;
async function lstatOrUndefined(p) {
    try {
        return await (0,promises_.lstat)(p);
    }
    catch (e) {
        if (e.code === 'ENOENT')
            return undefined;
        throw e;
    }
}
/** Longest file name (bytes) on Linux file systems. */
const NAME_MAX = 255;
/**
 * `.<name>.<random>.qqsync` next to the target, as rsync's `.<name>.XXXXXX`; a long name is
 * shortened (by whole characters) so that the temporary name still fits in NAME_MAX bytes.
 */
function tempName(target) {
    // node:crypto on first use: it is some 50 internal modules that a run without a copy skips.
    const suffix = `.${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}.qqsync`;
    const room = NAME_MAX - 1 - Buffer.byteLength(suffix);
    let stem = external_node_path_.basename(target);
    if (Buffer.byteLength(stem) > room) {
        const chars = Array.from(stem);
        while (Buffer.byteLength(chars.join('')) > room)
            chars.pop();
        stem = chars.join('');
    }
    return external_node_path_.join(external_node_path_.dirname(target), `.${stem}${suffix}`);
}
/**
 * The temporary files being written now. A cancelled run that cannot wait for a copy to end
 * (a large file, in the thread pool, cannot be interrupted) removes them on its way out.
 */
const liveTemps = new Set();
/** Remove the temporary files of the copies still running (synchronously: the process exits next). */
function removeTempFilesNow() {
    let removed = 0;
    for (const tmp of liveTemps) {
        try {
            (0,external_node_fs_.rmSync)(tmp, { force: true });
            removed++;
        }
        catch { }
    }
    liveTemps.clear();
    return removed;
}
/**
 * Files this large are copied piece by piece, with a look at the cancel between pieces: a
 * copyFile runs in the thread pool and cannot be interrupted — nor can the process exit
 * before it ends, which for a large file is longer than the runner waits after a cancel.
 */
const PIECEWISE_FROM = 16 * 1024 * 1024;
const PIECE = 2 * 1024 * 1024;
async function copyPiecewise(src, tmp, st, signal) {
    // A reflink (btrfs, XFS) is instant: no pieces needed. Elsewhere it fails at once.
    if (await (0,promises_.copyFile)(src, tmp, external_node_fs_.constants.COPYFILE_FICLONE_FORCE).then(() => true, () => false)) {
        return;
    }
    const from = await (0,promises_.open)(src, 'r');
    try {
        const to = await (0,promises_.open)(tmp, 'w', st.mode & 0o7777);
        try {
            const buf = Buffer.allocUnsafe(PIECE);
            for (let pos = 0;;) {
                if (signal?.aborted)
                    throw new QQError('aborted');
                const { bytesRead } = await from.read(buf, 0, PIECE, pos);
                if (bytesRead === 0)
                    break;
                for (let done = 0; done < bytesRead;) {
                    done += (await to.write(buf, done, bytesRead - done, pos + done)).bytesWritten;
                }
                pos += bytesRead;
            }
            // As copyFile does: the source's permission bits, whatever the umask.
            await to.chmod(st.mode & 0o7777);
        }
        finally {
            await to.close();
        }
    }
    finally {
        await from.close();
    }
}
/** rsync's quick check: same size and same modification time (whole seconds). */
function upToDate(src, dst) {
    return src.size === dst.size && Math.floor(src.mtimeMs / 1000) === Math.floor(dst.mtimeMs / 1000);
}
class Copier {
    options;
    outcome = { files: 0, bytes: 0, skippedSpecial: 0, skippedNames: [] };
    queue = [];
    running = 0;
    failure;
    drained;
    lastProgress = Date.now();
    constructor(options) {
        this.options = options;
    }
    schedule(task) {
        this.queue.push(task);
        this.pump();
    }
    pump() {
        while (this.running < CONCURRENCY && this.queue.length > 0 && !this.failure) {
            const task = this.queue.shift();
            this.running++;
            task()
                .catch((e) => {
                this.failure ??= e;
            })
                .finally(() => {
                this.running--;
                this.pump();
                if (this.running === 0 && (this.queue.length === 0 || this.failure))
                    this.drained?.();
            });
        }
    }
    /** Resolves when no task runs and none will start (the queue is empty, or a task failed). */
    idle() {
        if (this.running === 0 && (this.queue.length === 0 || this.failure))
            return Promise.resolve();
        return new Promise((resolve) => {
            this.drained = resolve;
        });
    }
    check() {
        if (this.failure)
            throw this.failure;
        if (this.options.signal?.aborted)
            throw new QQError('aborted');
    }
    progress() {
        const every = this.options.progressEveryMs ?? 5000;
        if (!this.options.onProgress || Date.now() - this.lastProgress < every)
            return;
        this.lastProgress = Date.now();
        this.options.onProgress(`${this.outcome.files} files, ${this.outcome.bytes} bytes copied`);
    }
    /**
     * Make `dst` a directory (replacing a symlink or file there, as rsync does). True when this
     * made it (or, in a dry run, would make it): nothing is in it, so its entries need no look.
     */
    async ensureDir(dst) {
        const st = await lstatOrUndefined(dst);
        if (st?.isDirectory())
            return false;
        if (this.options.dryRun)
            return true;
        if (st)
            await (0,promises_.unlink)(dst);
        await (0,promises_.mkdir)(dst);
        return true;
    }
    async copyFileEntry(src, dst, st, fresh) {
        this.check();
        const existing = fresh ? undefined : await lstatOrUndefined(dst);
        if (existing?.isDirectory()) {
            throw new QQError(`Cannot copy file '${src}': '${dst}' is a directory.`);
        }
        if (existing?.isFile()) {
            if (upToDate(st, existing))
                return;
            if (this.options.overwrite === 'newer' && existing.mtimeMs > st.mtimeMs)
                return;
        }
        this.outcome.files++;
        this.outcome.bytes += st.size;
        if (!this.options.dryRun) {
            const tmp = tempName(dst);
            liveTemps.add(tmp);
            try {
                if (st.size >= PIECEWISE_FROM)
                    await copyPiecewise(src, tmp, st, this.options.signal);
                else
                    await (0,promises_.copyFile)(src, tmp, external_node_fs_.constants.COPYFILE_FICLONE);
                await (0,promises_.utimes)(tmp, st.atime, st.mtime);
                // rename replaces a symlink at `dst` itself: nothing is written through it.
                await (0,promises_.rename)(tmp, dst);
            }
            catch (e) {
                await (0,promises_.rm)(tmp, { force: true });
                throw e;
            }
            finally {
                liveTemps.delete(tmp);
            }
        }
        this.progress();
    }
    async copySymlink(src, dst, st, fresh) {
        this.check();
        const target = await (0,promises_.readlink)(src);
        const existing = fresh ? undefined : await lstatOrUndefined(dst);
        if (existing?.isSymbolicLink() && (await (0,promises_.readlink)(dst)) === target)
            return;
        if (existing?.isDirectory()) {
            throw new QQError(`Cannot copy symlink '${src}': '${dst}' is a directory.`);
        }
        if (existing && this.options.overwrite === 'newer' && existing.mtimeMs > st.mtimeMs)
            return;
        if (this.options.dryRun)
            return;
        const tmp = tempName(dst);
        await (0,promises_.symlink)(target, tmp);
        try {
            await (0,promises_.lutimes)(tmp, st.atime, st.mtime);
            await (0,promises_.rename)(tmp, dst);
        }
        catch (e) {
            await (0,promises_.rm)(tmp, { force: true });
            throw e;
        }
    }
    /** Directories made or visited, with the times to give them after their contents. */
    dirTimes = [];
    /**
     * Copy the tree at `src` into `dst`. The walk reads directories one at a time (their
     * entries' types come with the listing); each file or symlink is a task of its own — its
     * lstat, the look at the destination, the copy — run CONCURRENCY at a time. `fresh`: `dst`
     * was just made, so nothing in it needs a look.
     */
    async copyTree(src, dst, root = false, fresh = false, known) {
        this.check();
        const st = known ?? (await (0,promises_.lstat)(src));
        if (st.isDirectory()) {
            // The destination root itself may be a symlink to a directory: rsync follows it too.
            const made = root ? fresh : await this.ensureDir(dst);
            this.dirTimes.push([dst, st]);
            for (const entry of await (0,promises_.readdir)(src, { withFileTypes: true })) {
                const from = external_node_path_.join(src, entry.name);
                const to = external_node_path_.join(dst, entry.name);
                if (entry.isDirectory())
                    await this.copyTree(from, to, false, made);
                else
                    this.schedule(() => this.copyEntry(from, to, made));
            }
        }
        else {
            this.schedule(() => this.copyEntry(src, dst, fresh, st));
        }
    }
    async copyEntry(src, dst, fresh, known) {
        const st = known ?? (await (0,promises_.lstat)(src));
        if (st.isFile())
            await this.copyFileEntry(src, dst, st, fresh);
        else if (st.isSymbolicLink())
            await this.copySymlink(src, dst, st, fresh);
        else if (st.isDirectory()) {
            // Listed as something else, a directory by now: copied as one.
            await this.copyTree(src, dst, false, false, st);
        }
        else {
            this.outcome.skippedSpecial++;
            if (this.outcome.skippedNames.length < 5)
                this.outcome.skippedNames.push(src);
        }
    }
}
/** Entries of `root` that match a `files` entry (rsync wildcards `*`, `?`, `[…]` per level). */
async function expandEntry(root, rel) {
    let current = [''];
    for (const part of rel.split('/')) {
        const next = [];
        for (const base of current) {
            if (!/[*?[]/.test(part)) {
                next.push(base ? `${base}/${part}` : part);
                continue;
            }
            const re = new RegExp(`^${part
                .replace(/[.+^${}()|\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]')}$`);
            let names = [];
            try {
                names = await (0,promises_.readdir)(external_node_path_.join(root, base));
            }
            catch { }
            for (const n of names.sort())
                if (re.test(n))
                    next.push(base ? `${base}/${n}` : n);
        }
        current = next;
    }
    return current;
}
/** Copy `srcDir`'s contents (or the `files` entries) into `destDir`, rsync -rltD style. */
async function copyTree(srcDir, destDir, options) {
    const rootStat = await lstatOrUndefined(srcDir);
    if (!rootStat?.isDirectory()) {
        // rsync's words, so that the message reads the same whichever tool copied.
        throw new WorkDirMissingError(rsyncFailure(srcDir, destDir, `change_dir "${srcDir}" failed: No such file or directory (2)`));
    }
    const copier = new Copier(options);
    const dirTimes = copier.dirTimes;
    const madeRoot = options.dryRun
        ? !(await lstatOrUndefined(destDir))
        : (await (0,promises_.mkdir)(destDir, { recursive: true })) !== undefined;
    try {
        if (!options.files || options.files.includes('.')) {
            await copier.copyTree(srcDir, destDir, true, madeRoot, rootStat);
        }
        else {
            for (const entry of options.files) {
                for (const rel of await expandEntry(srcDir, entry)) {
                    const src = external_node_path_.join(srcDir, rel);
                    const parts = rel.split('/');
                    // Each parent must be a real directory in the work dir: a symlinked parent
                    // (`link/x` with `link -> /elsewhere`) would read outside it. rsync does not follow
                    // it either (`--include /link/` matches directories only), so nothing is copied.
                    const parentStats = [];
                    for (let i = 1; i < parts.length; i++) {
                        const st = await lstatOrUndefined(external_node_path_.join(srcDir, ...parts.slice(0, i)));
                        if (!st?.isDirectory())
                            break;
                        parentStats.push(st);
                    }
                    if (parentStats.length !== parts.length - 1)
                        continue;
                    if (!(await lstatOrUndefined(src)))
                        continue; // like rsync: missing names are skipped
                    for (let i = 1; i < parts.length; i++) {
                        // The parents are transferred too (rsync's `--include /sub/`): their mtimes kept.
                        const parent = external_node_path_.join(destDir, ...parts.slice(0, i));
                        await copier.ensureDir(parent);
                        dirTimes.push([parent, parentStats[i - 1]]);
                    }
                    await copier.copyTree(src, external_node_path_.join(destDir, rel));
                }
            }
        }
    }
    finally {
        // Never return (or throw) while copies still run: the caller releases the lock next.
        await copier.idle();
    }
    copier.check();
    if (!options.dryRun) {
        for (const [dir, st] of dirTimes.reverse())
            await (0,promises_.utimes)(dir, st.atime, st.mtime);
    }
    return copier.outcome;
}

;// CONCATENATED MODULE: ./src/domain/info/batch-system.ts

/** Batch-system names qq registers (docs/qq-behaviour.md §1.3), matched exactly. */
const BATCH_SYSTEMS = ['PBS', 'Slurm', 'SlurmIT4I', 'SlurmLumi'];
/** qq's `BatchInterface.from_str`: exact, case-sensitive names. */
function parseBatchSystem(name) {
    const found = BATCH_SYSTEMS.find((s) => s === name);
    if (found !== undefined)
        return found;
    throw new QQError(`No batch system registered as '${name}'.`);
}

;// CONCATENATED MODULE: ./src/domain/info/job-id.ts
/**
 * qq's `Informer.matches_job`: two job ids name the same job when the parts before the first
 * `.` are equal (`12345` matches `12345.pbs-m1.metacentrum.cz`).
 */
function jobIdMatches(a, b) {
    const head = (s) => {
        const i = s.indexOf('.');
        return i < 0 ? s : s.slice(0, i);
    };
    return head(a) === head(b);
}

;// CONCATENATED MODULE: ./src/domain/info/limits.ts
/** Bounds on what the info-file reader accepts from an untrusted file. */
/** Largest info file we read (bytes). qq writes about 1 KiB. */
const MAX_INFO_FILE_BYTES = 1024 * 1024;
/** Most alias expansions allowed while building values (the yaml package's own default). */
const MAX_YAML_ALIAS_COUNT = 100;
/** Deepest flow nesting (`[`/`{`) accepted before the YAML parser sees the text. */
const MAX_YAML_NESTING = 64;

;// CONCATENATED MODULE: ./src/domain/states.ts
/**
 * qq's three kinds of state (docs/qq-behaviour.md §2): what the info file says (naive), what the
 * scheduler says (batch), and the combination of both (real).
 * Pure: no I/O.
 */
const NaiveState = {
    QUEUED: 'queued',
    RUNNING: 'running',
    FAILED: 'failed',
    FINISHED: 'finished',
    KILLED: 'killed',
    UNKNOWN: 'unknown',
};
/** Parse a naive state as qq does: case-insensitive, anything else (or empty) is unknown. */
function naiveStateFromString(value) {
    if (typeof value !== 'string')
        return NaiveState.UNKNOWN;
    const lower = value.toLowerCase();
    return Object.values(NaiveState).includes(lower)
        ? lower
        : NaiveState.UNKNOWN;
}
const BatchState = {
    RUNNING: 'RUNNING',
    QUEUED: 'QUEUED',
    FINISHED: 'FINISHED',
    FAILED: 'FAILED',
    HELD: 'HELD',
    EXITING: 'EXITING',
    WAITING: 'WAITING',
    MOVING: 'MOVING',
    SUSPENDED: 'SUSPENDED',
    UNKNOWN: 'UNKNOWN',
};
const CODE_TO_BATCH = {
    E: BatchState.EXITING,
    H: BatchState.HELD,
    Q: BatchState.QUEUED,
    R: BatchState.RUNNING,
    T: BatchState.MOVING,
    W: BatchState.WAITING,
    S: BatchState.SUSPENDED,
    F: BatchState.FINISHED,
    X: BatchState.FAILED,
};
/** One-letter code to batch state (docs/qq-behaviour.md §2.2); codes are upper-cased first, anything else is UNKNOWN. */
function batchStateFromCode(code) {
    return CODE_TO_BATCH[code.toUpperCase()] ?? BatchState.UNKNOWN;
}
const RealState = {
    QUEUED: 'QUEUED',
    HELD: 'HELD',
    SUSPENDED: 'SUSPENDED',
    WAITING: 'WAITING',
    RUNNING: 'RUNNING',
    BOOTING: 'BOOTING',
    KILLED: 'KILLED',
    FAILED: 'FAILED',
    FINISHED: 'FINISHED',
    EXITING: 'EXITING',
    IN_AN_INCONSISTENT_STATE: 'IN_AN_INCONSISTENT_STATE',
    UNKNOWN: 'UNKNOWN',
};
/** qq's string form: lower case, `_` → space (`in an inconsistent state`). */
function realStateToString(state) {
    return state.toLowerCase().replaceAll('_', ' ');
}
/**
 * Names accepted by the `fail-on` and `wait-for` inputs: the real states in lower case, with
 * `inconsistent` as the short name of IN_AN_INCONSISTENT_STATE (its qq form is accepted too).
 */
function realStateFromName(name) {
    const n = name
        .trim()
        .toLowerCase()
        .replaceAll(/[\s-]+/g, '_');
    if (n === 'inconsistent' || n === 'in_an_inconsistent_state') {
        return RealState.IN_AN_INCONSISTENT_STATE;
    }
    const upper = n.toUpperCase();
    return Object.values(RealState).includes(upper) ? upper : undefined;
}
/** A real state's short name, as used in inputs and the `state-code` output. */
function realStateCode(state) {
    return state === RealState.IN_AN_INCONSISTENT_STATE ? 'inconsistent' : state.toLowerCase();
}
/** Short names of the real states, as used in inputs. */
const REAL_STATE_NAMES = Object.values(RealState).map(realStateCode);
const R = RealState;
const I = R.IN_AN_INCONSISTENT_STATE;
const COLUMNS = [
    BatchState.QUEUED,
    BatchState.MOVING,
    BatchState.HELD,
    BatchState.WAITING,
    BatchState.SUSPENDED,
    BatchState.RUNNING,
    BatchState.EXITING,
    BatchState.FINISHED,
    BatchState.FAILED,
    BatchState.UNKNOWN,
];
/** The table of docs/qq-behaviour.md §2.5, row by row, in the order of COLUMNS. */
const TABLE = {
    unknown: [
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
        R.UNKNOWN,
    ],
    queued: [R.QUEUED, R.QUEUED, R.HELD, R.WAITING, R.SUSPENDED, R.BOOTING, I, I, I, I],
    running: [I, I, I, I, R.SUSPENDED, R.RUNNING, I, I, I, I],
    killed: [
        R.KILLED,
        R.KILLED,
        R.KILLED,
        R.KILLED,
        R.KILLED,
        R.EXITING,
        R.KILLED,
        R.KILLED,
        R.KILLED,
        R.KILLED,
    ],
    finished: [I, R.FINISHED, I, I, R.FINISHED, R.EXITING, R.FINISHED, R.FINISHED, I, R.FINISHED],
    failed: [I, R.FAILED, I, I, R.FAILED, R.EXITING, R.FAILED, I, R.FAILED, R.FAILED],
};
/** qq's RealState.from_states (docs/qq-behaviour.md §2.5). */
function realStateFrom(naive, batch) {
    const row = TABLE[naive];
    const result = row[COLUMNS.indexOf(batch)];
    if (result === undefined)
        throw new Error(`no real state for ${naive}/${batch}`);
    return result;
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(17);
;// CONCATENATED MODULE: ./src/domain/info/size.ts

const UNIT_KB = {
    kb: 1,
    mb: 1024,
    gb: 1024 ** 2,
    tb: 1024 ** 3,
    pb: 1024 ** 4,
};
/** qq's `Size(value, unit)`: bytes round up to one kilobyte unless zero. */
function sizeFrom(value, unitIn) {
    const unit = unitIn.toLowerCase();
    const factor = UNIT_KB[unit];
    if (factor === undefined) {
        if (unit === 'b')
            return { value: value === 0 ? 0 : 1 };
        throw new QQError(`Unsupported unit for size '${unit}'.`);
    }
    return { value: value * factor };
}
/** qq's `Size.from_string`: `8gb`, `8 GB`, `8g` (kb/mb/gb/tb/pb, powers of 1024). */
function parseSizeString(s) {
    const m = /^\s*(\d+)\s*([a-zA-Z]+)\s*$/.exec(s);
    const [, digits, unitText] = m ?? [];
    if (digits === undefined || unitText === undefined) {
        throw new QQError(`Invalid size string: '${s}'.`);
    }
    const unit = unitText.length === 1 && unitText !== 'b' ? `${unitText.toLowerCase()}b` : unitText;
    return sizeFrom(Number.parseInt(digits, 10), unit);
}

;// CONCATENATED MODULE: ./src/domain/info/timestamp.ts
const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?$/;
/**
 * A qq timestamp to `YYYY-MM-DD HH:MM:SS`. qq writes exactly that form (strptime
 * `%Y-%m-%d %H:%M:%S`); the YAML 1.1 timestamp forms that PyYAML turns into a datetime are
 * accepted too (fraction and zone dropped, as qq's strftime drops them). Undefined if invalid.
 */
function normalizeTimestamp(s) {
    const m = TIMESTAMP.exec(s.trim());
    if (!m)
        return undefined;
    const [y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0] = m
        .slice(1, 7)
        .map((x) => Number.parseInt(x ?? '', 10));
    const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    if (mo < 1 || mo > 12 || d < 1 || d > dim || h > 23 || mi > 59 || se > 59)
        return undefined;
    const p = (n) => String(n).padStart(2, '0');
    return `${String(y).padStart(4, '0')}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}:${p(se)}`;
}

;// CONCATENATED MODULE: ./src/domain/info/transfer-mode.ts

/** qq's `TransferMode.from_str`: case-insensitive names or an integer exit code. */
function parseTransferMode(value) {
    if (typeof value === 'number') {
        if (!Number.isSafeInteger(value)) {
            throw new QQError(`Could not recognize a transfer mode variant '${value}'.`);
        }
        return value;
    }
    const s = value.toLowerCase().trim();
    if (s === 'success' || s === 'failure' || s === 'always' || s === 'never')
        return s;
    if (/^-?\d+$/.test(value.trim()))
        return Number.parseInt(value.trim(), 10);
    throw new QQError(`Could not recognize a transfer mode variant '${value}'.`);
}
/** qq's `TransferMode.should_transfer` for one mode. */
function transferModeMatches(mode, exitCode) {
    switch (mode) {
        case 'success':
            return exitCode === 0;
        case 'failure':
            return exitCode !== 0;
        case 'always':
            return true;
        case 'never':
            return false;
        default:
            return exitCode === mode;
    }
}

;// CONCATENATED MODULE: ./src/domain/info/yaml.ts
/**
 * The YAML side of the info-file reader: the text to a document as PyYAML's SafeLoader reads
 * it (YAML 1.2 core schema, no custom tags, bounded alias expansion and nesting), and a Reader
 * that turns its values into typed fields with qq-style messages.
 */







/** Python's type name of a parsed YAML value, for qq-style messages. */
function pyType(v) {
    if (v === null || v === undefined)
        return 'NoneType';
    if (typeof v === 'string')
        return 'str';
    if (typeof v === 'boolean')
        return 'bool';
    if (typeof v === 'number' || typeof v === 'bigint') {
        return Number.isInteger(v) ? 'int' : 'float';
    }
    if (Array.isArray(v))
        return 'list';
    if (v instanceof Map)
        return 'dict';
    if (v instanceof Uint8Array)
        return 'bytes';
    return typeof v;
}
/** Count of flow-collection nesting, a cheap guard against parser recursion on crafted text. */
function maxFlowNesting(text) {
    let depth = 0;
    let max = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x5b || c === 0x7b) {
            depth++;
            if (depth > max)
                max = depth;
        }
        else if ((c === 0x5d || c === 0x7d) && depth > 0) {
            depth--;
        }
    }
    return max;
}
/** First line of a yaml package message, without the trailing `:` and the source excerpt. */
function yamlMessage(e) {
    const raw = (0,errors/* errorMessage */.g)(e);
    let first = raw.split('\n', 1)[0] ?? raw;
    first = first.replace(/:\s*$/, '').replace(/\.$/, '');
    return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}
/**
 * The text as a YAML document and its values (mappings as Maps). Throws QQError
 * `Failed to parse YAML in <path>: …` for text PyYAML's SafeLoader would refuse.
 */
function loadYaml(text, path) {
    const fail = (detail) => new QQError(`Failed to parse YAML in ${path}: ${detail}.`);
    if (maxFlowNesting(text) > MAX_YAML_NESTING) {
        throw fail(`collections nested deeper than ${MAX_YAML_NESTING} levels`);
    }
    // YAML's printable set, as PyYAML enforces it (qq's reader): NUL and other controls are refused.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the allowed set names controls on purpose
    const bad = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.exec(text);
    if (bad) {
        const code = (bad[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0');
        throw fail(`unacceptable character #x${code}: special characters are not allowed`);
    }
    try {
        const doc = (0,dist/* parseDocument */.Tp)(text, {
            version: '1.2',
            schema: 'core',
            resolveKnownTags: false,
            merge: true,
            uniqueKeys: false,
            strict: true,
            prettyErrors: true,
        });
        const problem = doc.errors[0] ?? doc.warnings[0];
        if (problem)
            throw fail(yamlMessage(problem));
        return { doc, data: doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT, mapAsMap: true }) };
    }
    catch (e) {
        if (e instanceof QQError)
            throw e;
        throw fail(yamlMessage(e));
    }
}
/** Typed values from the document, with `Invalid qq info file '<path>': …` messages. */
class Reader {
    doc;
    path;
    keyIndex = new WeakMap();
    aliases = new WeakMap();
    constructor(doc, path) {
        this.doc = doc;
        this.path = path;
    }
    invalid(detail) {
        return new QQError(`Invalid qq info file '${this.path}': ${detail}.`);
    }
    /** The AST node at a path, following aliases; the last of duplicate keys, like toJS. */
    node(path) {
        let node = this.resolveAlias(this.doc.contents);
        for (const key of path) {
            if ((0,dist/* isMap */.jh)(node)) {
                node = this.resolveAlias(this.indexOf(node).get(String(key)));
            }
            else if ((0,dist/* isSeq */.oP)(node) && typeof key === 'number') {
                node = this.resolveAlias(node.items[key]);
            }
            else {
                return undefined;
            }
        }
        return node;
    }
    /** A mapping's values by key, built once per mapping so that many lookups stay linear. */
    indexOf(map) {
        let index = this.keyIndex.get(map);
        if (!index) {
            index = new Map();
            for (const pair of map.items) {
                const k = (0,dist/* isScalar */.jn)(pair.key) ? pair.key.value : undefined;
                if (k !== null && k !== undefined && typeof k !== 'object')
                    index.set(String(k), pair.value);
            }
            this.keyIndex.set(map, index);
        }
        return index;
    }
    resolveAlias(node) {
        if (!(0,dist/* isAlias */.Vj)(node))
            return node;
        if (!this.aliases.has(node))
            this.aliases.set(node, node.resolve(this.doc));
        return this.aliases.get(node);
    }
    /** A scalar as text: strings as they are, plain numbers/booleans as their source text. */
    scalarText(v, path) {
        if (typeof v === 'string')
            return v;
        if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
            const n = this.node(path);
            if ((0,dist/* isScalar */.jn)(n) && n.type === 'PLAIN' && typeof n.source === 'string' && n.source !== '') {
                return n.source;
            }
            return String(v);
        }
        return undefined;
    }
    str(v, path, field) {
        const s = this.scalarText(v, path);
        if (s === undefined)
            throw this.invalid(`Field '${field}' must be a str, got ${pyType(v)}`);
        return s;
    }
    optStr(v, path, field) {
        return v === null || v === undefined ? undefined : this.str(v, path, field);
    }
    strList(v, path, field) {
        if (v === null || v === undefined)
            return [];
        if (!Array.isArray(v))
            throw this.invalid(`Field '${field}' must be a list, got ${pyType(v)}`);
        return v.map((item, i) => {
            const s = this.scalarText(item, [...path, i]);
            if (s === undefined) {
                throw this.invalid(`Field '${field}' must be a list of str, got an item of ${pyType(item)}`);
            }
            return s;
        });
    }
    /** An int as qq's Resources accepts it: an int or a string of one. */
    intLike(v, field) {
        if (v === null || v === undefined)
            return undefined;
        if (typeof v === 'number' && Number.isSafeInteger(v))
            return v;
        if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) {
            const n = Number.parseInt(v.trim(), 10);
            if (Number.isSafeInteger(n))
                return n;
        }
        const shown = typeof v === 'string' || typeof v === 'number' ? ` '${String(v)}'` : '';
        throw this.invalid(`Field '${field}' must be an int, got ${pyType(v)}${shown}`);
    }
    time(v, path, field) {
        const s = this.str(v, path, field);
        const t = normalizeTimestamp(s);
        if (t === undefined) {
            throw this.invalid(`Field '${field}': time data '${s}' does not match format '%Y-%m-%d %H:%M:%S'`);
        }
        return t;
    }
    optTime(v, path, field) {
        return v === null || v === undefined ? undefined : this.time(v, path, field);
    }
    transferModes(v, path, field) {
        if (!Array.isArray(v))
            throw this.invalid(`Field '${field}' must be a list, got ${pyType(v)}`);
        return v.map((item, i) => {
            if (typeof item === 'number')
                return parseTransferMode(item);
            const s = this.scalarText(item, [...path, i]);
            if (s === undefined) {
                throw this.invalid(`Field '${field}' must be a list of str, got an item of ${pyType(item)}`);
            }
            return parseTransferMode(s);
        });
    }
    size(v, field) {
        if (typeof v === 'string')
            return parseSizeString(v);
        if (v instanceof Map) {
            for (const k of v.keys()) {
                if (k !== 'value' && k !== 'unit') {
                    throw this.invalid(`Field '${field}' has an unexpected key '${String(k)}'`);
                }
            }
            const value = v.get('value');
            const unit = v.has('unit') ? v.get('unit') : 'kb';
            if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
                throw this.invalid(`Field '${field}.value' must be an int, got ${pyType(value)}`);
            }
            if (typeof unit !== 'string') {
                throw this.invalid(`Field '${field}.unit' must be a str, got ${pyType(unit)}`);
            }
            return sizeFrom(value, unit);
        }
        // qq's Resources._parseSize drops anything else (a bare number, null) silently.
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/domain/info/interpreter.ts

/** `interpreter` in either form; a mapping without `executable` is qq's default, `bash`. */
function readInterpreter(r, v, path) {
    if (typeof v === 'string') {
        const [executable, ...args] = v.split(/\s+/).filter((p) => p !== '');
        if (executable === undefined)
            throw r.invalid("Field 'interpreter' is empty");
        return { executable, arguments: args };
    }
    if (v instanceof Map) {
        for (const k of v.keys()) {
            if (k !== 'executable' && k !== 'arguments') {
                throw r.invalid(`Field 'interpreter' has an unexpected key '${String(k)}'`);
            }
        }
        const exe = v.get('executable');
        if (exe === null || exe === undefined)
            return { executable: 'bash', arguments: [] };
        return {
            executable: r.str(exe, [...path, 'executable'], 'interpreter.executable'),
            arguments: r.strList(v.get('arguments'), [...path, 'arguments'], 'interpreter.arguments'),
        };
    }
    throw r.invalid(`Field 'interpreter' must be a str or a dict, got ${pyType(v)}`);
}

;// CONCATENATED MODULE: ./src/domain/info/job-type.ts

/**
 * qq's job types, written lower case with spaces. The array variants are written only by the
 * unreleased array-job versions of qq (dev); they are accepted as qq dev accepts them.
 */
const JOB_TYPES = [
    'standard',
    'loop',
    'continuous',
    'array',
    'loop array',
    'continuous array',
];
/** Parse a qq job type as qq's `JobType.from_str` does (case-insensitive, `-`/`_`/space). */
function parseJobType(s) {
    const norm = s.toLowerCase().replaceAll('-', ' ').replaceAll('_', ' ');
    const found = JOB_TYPES.find((t) => t === norm);
    if (found === undefined)
        throw new QQError(`Could not recognize a job type '${s}'.`);
    return found;
}

;// CONCATENATED MODULE: ./src/domain/info/loop-info.ts


/** `loop_info` as qq's `LoopInfo(**data)` builds and checks it, with qq's messages. */
function readLoopInfo(r, v, path) {
    if (!(v instanceof Map)) {
        throw r.invalid(`Field 'loop_info' must be a dict, got ${pyType(v)}`);
    }
    const int = (k) => {
        const x = v.get(k);
        if (typeof x !== 'number' || !Number.isSafeInteger(x)) {
            throw new QQError(`Field '${k}' must be an int, got ${pyType(x)}.`);
        }
        return x;
    };
    const str = (k) => {
        const x = v.get(k);
        if (typeof x !== 'string')
            throw new QQError(`Field '${k}' must be a str, got ${pyType(x)}.`);
        return x;
    };
    const start = int('start');
    const end = int('end');
    const archive = str('archive');
    const archiveFormat = str('archive_format');
    const current = int('current');
    const archiveMode = readArchiveMode(r, v.get('archive_mode'), [...path, 'archive_mode']);
    if (!end)
        throw new QQError("Attribute 'loop-end' is undefined.");
    if (start < 0)
        throw new QQError(`Attribute 'loop-start' (${start}) cannot be negative.`);
    if (start > end) {
        throw new QQError(`Attribute 'loop-start' (${start}) cannot be higher than 'loop-end' (${end}).`);
    }
    if (current > end) {
        throw new QQError(`Current cycle number (${current}) cannot be higher than 'loop-end' (${end}).`);
    }
    return { start, end, archive, archiveFormat, current, archiveMode };
}
/** `archive_mode`: a list of transfer modes, `['success']` when absent or empty. */
function readArchiveMode(r, am, path) {
    if (am === null || am === undefined)
        return ['success'];
    if (!Array.isArray(am) || !am.every((m) => typeof m === 'string' || typeof m === 'number')) {
        throw new QQError("Field 'archive_mode' must be a list of strings.");
    }
    const modes = r.transferModes(am, path, 'loop_info.archive_mode');
    return modes.length === 0 ? ['success'] : modes;
}

;// CONCATENATED MODULE: ./src/domain/info/walltime.ts

const SECONDS = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
/** qq's `wdhms_to_hhmmss`: `1w2d3h4m5s` → `195:04:05`; empty → `0:00:00`. */
function wdhmsToHhmmss(timestr) {
    if (timestr.trim() === '')
        return '0:00:00';
    if (!/^\s*(?:\d+\s*[wdhms]\s*)+$/i.test(timestr)) {
        throw new QQError(`Invalid time string '${timestr}'.`);
    }
    let total = 0;
    for (const [, n = '0', unit = ''] of timestr.matchAll(/(\d+)\s*([wdhms])/gi)) {
        total += Number.parseInt(n, 10) * (SECONDS[unit.toLowerCase()] ?? 0);
    }
    const h = Math.floor(total / 3600);
    const mm = Math.floor((total % 3600) / 60);
    const ss = total % 60;
    return `${h}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

;// CONCATENATED MODULE: ./src/domain/info/resources.ts



/** qq's `equals_normalized`: case-insensitive, ignoring `-` and `_`. */
function equalsNormalized(a, b) {
    const n = (s) => s.toLowerCase().replaceAll('-', '').replaceAll('_', '');
    return n(a) === n(b);
}
/**
 * qq's `uses_scratch` (docs/qq-behaviour.md §1.4): true unless the work-dir type is `job_dir` or `input_dir`
 * (case-insensitive, ignoring `-`/`_`). A missing type counts as scratch.
 */
function usesScratch(info) {
    const type = String(info.resources.workDir ?? 'None');
    return !equalsNormalized(type, 'job_dir') && !equalsNormalized(type, 'input_dir');
}
const INTS = [
    ['nnodes', 'nnodes'],
    ['ncpus', 'ncpus'],
    ['ncpus_per_node', 'ncpusPerNode'],
    ['ngpus', 'ngpus'],
    ['ngpus_per_node', 'ngpusPerNode'],
];
const SIZES = [
    ['mem', 'mem'],
    ['mem_per_node', 'memPerNode'],
    ['mem_per_cpu', 'memPerCpu'],
    ['work_size', 'workSize'],
    ['work_size_per_node', 'workSizePerNode'],
    ['work_size_per_cpu', 'workSizePerCpu'],
];
/** The `resources` mapping as qq's `Resources(**data)` builds it. */
function readResources(r, v, path) {
    if (!(v instanceof Map)) {
        throw r.invalid(`Field 'resources' must be a dict, got ${pyType(v)}`);
    }
    const out = {};
    for (const [key, prop] of INTS) {
        const n = r.intLike(v.get(key), `resources.${key}`);
        if (n !== undefined)
            out[prop] = n;
    }
    for (const [key, prop] of SIZES) {
        const s = r.size(v.get(key), `resources.${key}`);
        if (s !== undefined)
            out[prop] = s;
    }
    const walltime = r.optStr(v.get('walltime'), [...path, 'walltime'], 'resources.walltime');
    if (walltime !== undefined) {
        out.walltime =
            typeof v.get('walltime') === 'string' && !walltime.includes(':')
                ? wdhmsToHhmmss(walltime)
                : walltime;
    }
    const workDir = r.optStr(v.get('work_dir'), [...path, 'work_dir'], 'resources.work_dir');
    if (workDir !== undefined)
        out.workDir = workDir;
    const props = readProps(r, v.get('props'), [...path, 'props']);
    if (props !== undefined)
        out.props = props;
    return out;
}
/** `props` as a mapping or as qq's props string; undefined when absent. */
function readProps(r, props, path) {
    if (props instanceof Map) {
        const out = {};
        for (const [k, pv] of props) {
            const key = String(k);
            setOwn(out, key, r.scalarText(pv, [...path, key]) ?? String(pv));
        }
        return out;
    }
    if (typeof props === 'string')
        return parseProps(props);
    if (props !== null && props !== undefined) {
        throw r.invalid(`Field 'resources.props' must be a dict, got ${pyType(props)}`);
    }
    return undefined;
}
/** Set an own property, even one named `__proto__`, without touching the prototype. */
function setOwn(obj, key, value) {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
/** qq's `Resources._parseProps` for a props string (`a,^b,c=d`). */
function parseProps(props) {
    const out = {};
    for (const part of props.split(/[,\s:]+/).filter((p) => p !== '')) {
        let key;
        let value;
        const eq = part.indexOf('=');
        if (eq >= 0) {
            key = part.slice(0, eq);
            value = part.slice(eq + 1);
        }
        else if (part.startsWith('^')) {
            key = part.replace(/^\^+/, '');
            value = 'false';
        }
        else {
            key = part;
            value = 'true';
        }
        if (Object.hasOwn(out, key))
            throw new QQError(`Property '${key}' is defined multiple times.`);
        setOwn(out, key, value);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/domain/info/task-info.ts


/** `task_info` with the messages of qq dev's `TaskInfo(**data)`. */
function readTaskInfo(r, v) {
    if (!(v instanceof Map)) {
        throw r.invalid(`Field 'task_info' must be a dict, got ${pyType(v)}`);
    }
    const arrayFile = v.get('array_file');
    const taskNumber = v.get('task_number');
    const totalTasks = v.get('total_tasks');
    if (typeof arrayFile !== 'string') {
        throw new QQError(`Field 'array_file' must be a str or Path, got ${pyType(arrayFile)}.`);
    }
    if (typeof taskNumber !== 'number' || !Number.isSafeInteger(taskNumber)) {
        throw new QQError(`Field 'task_number' must be an int, got ${pyType(taskNumber)}.`);
    }
    if (typeof totalTasks !== 'number' || !Number.isSafeInteger(totalTasks)) {
        throw new QQError(`Field 'total_tasks' must be an int, got ${pyType(totalTasks)}.`);
    }
    return { arrayFile, taskNumber, totalTasks };
}

;// CONCATENATED MODULE: ./src/domain/info/parse.ts
/**
 * `parseInfoFile`: the text of a qq info file to an InfoFile, as qq's `Info._from_dict` builds
 * it, driven by one table of fields (key, property, reader, presence) in qq's order.
 */










const field = (key, prop, presence, read) => ({ key, prop, presence, read });
const absent = (v) => v === null || v === undefined;
const str = (r, v, k) => r.str(v, [k], k);
const optStr = (r, v, k) => r.optStr(v, [k], k);
const list = (r, v, k) => r.strList(v, [k], k);
const optTime = (r, v, k) => r.optTime(v, [k], k);
/** qq's `int(...)` of `job_exit_code`: an int or a string of one. */
function exitCode(r, ec) {
    if (absent(ec))
        return undefined;
    if (typeof ec === 'number' && Number.isSafeInteger(ec))
        return ec;
    if (typeof ec === 'string' && /^\s*-?\d+\s*$/.test(ec))
        return Number.parseInt(ec, 10);
    throw r.invalid(`Field 'job_exit_code' must be an int, got ${pyType(ec)}`);
}
/** Every field, in qq's order: qq converts them in this order, so the first error is qq's. */
const FIELDS = [
    field('batch_system', 'batchSystem', 'required', (r, v, k) => parseBatchSystem(str(r, v, k))),
    field('qq_version', 'qqVersion', 'required', str),
    field('username', 'username', 'required', str),
    field('job_id', 'jobId', 'required', str),
    field('job_name', 'jobName', 'required', str),
    field('script_name', 'scriptName', 'required', str),
    field('queue', 'queue', 'required', str),
    field('job_type', 'jobType', 'required', (r, v, k) => parseJobType(str(r, v, k))),
    field('input_machine', 'inputMachine', 'required', str),
    field('input_dir', 'inputDir', 'required', str),
    // qq: case-insensitive; anything else, empty or not a string is unknown.
    field('job_state', 'jobState', 'required', (_r, v) => naiveStateFromString(v)),
    field('submission_time', 'submissionTime', 'required', (r, v, k) => r.time(v, [k], k)),
    field('stdout_file', 'stdoutFile', 'required', str),
    field('stderr_file', 'stderrFile', 'required', str),
    field('resources', 'resources', 'required', (r, v, k) => readResources(r, v, [k])),
    field('excluded_files', 'excludedFiles', 'always', list),
    field('included_files', 'includedFiles', 'always', list),
    field('transfer_mode', 'transferMode', 'always', (r, v, k) => absent(v) ? ['success'] : r.transferModes(v, [k], k)),
    field('depend', 'depend', 'always', list),
    field('loop_info', 'loopInfo', 'optional', (r, v, k) => absent(v) ? undefined : readLoopInfo(r, v, [k])),
    field('task_info', 'taskInfo', 'optional', (r, v) => absent(v) ? undefined : readTaskInfo(r, v)),
    field('account', 'account', 'optional', optStr),
    field('server', 'server', 'optional', optStr),
    field('resubmit_from', 'resubmitFrom', 'always', list),
    field('interpreter', 'interpreter', 'optional', (r, v, k) => absent(v) ? undefined : readInterpreter(r, v, [k])),
    field('start_time', 'startTime', 'optional', optTime),
    field('main_node', 'mainNode', 'optional', optStr),
    field('all_nodes', 'allNodes', 'optional', (r, v, k) => (absent(v) ? undefined : list(r, v, k))),
    field('work_dir', 'workDir', 'optional', optStr),
    field('completion_time', 'completionTime', 'optional', optTime),
    field('job_exit_code', 'jobExitCode', 'optional', (r, v) => exitCode(r, v)),
];
/** The keys qq writes for every job (docs/qq-behaviour.md §1.3). */
const REQUIRED_INFO_KEYS = FIELDS.filter((f) => f.presence === 'required').map((f) => f.key);
/** Read one field of `data` into `out` (a required key only when present). */
function readField(f, r, data, out) {
    if (f.presence === 'required' && !data.has(f.key))
        return;
    const value = f.read(r, data.get(f.key), f.key);
    if (value !== undefined)
        out[f.prop] = value;
}
/** Every field that is not optional has its value: `out` is a whole InfoFile. */
function isComplete(out) {
    return FIELDS.every((f) => f.presence === 'optional' || out[f.prop] !== undefined);
}
/**
 * Parse the text of a qq info file. `path` is used in messages only.
 * Throws QQError with qq's messages (docs/qq-behaviour.md §1.6).
 */
function parseInfoFile(text, path) {
    if (text.length > MAX_INFO_FILE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_INFO_FILE_BYTES) {
        throw new QQError(`qq info file '${path}' is too large (more than ${MAX_INFO_FILE_BYTES} bytes); not a qq info file.`);
    }
    const { doc, data } = loadYaml(text, path);
    const r = new Reader(doc, path);
    if (absent(data))
        throw r.invalid('the file is empty');
    if (!(data instanceof Map)) {
        throw r.invalid(`expected a mapping of fields at the top level, got ${pyType(data)}`);
    }
    const out = {};
    for (const f of FIELDS)
        readField(f, r, data, out);
    const missing = REQUIRED_INFO_KEYS.filter((k) => !data.has(k));
    if (missing.length > 0 || !isComplete(out)) {
        const names = missing.map((k) => `'${k}'`).join(', ');
        throw r.invalid(`missing required field${missing.length > 1 ? 's' : ''} ${names}`);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/domain/info/index.ts
/**
 * The qq info file (docs/qq-behaviour.md §1): a typed model of every field and a parser that reads it as qq
 * does (PyYAML SafeLoader + `Info._from_dict`), with qq's messages (§1.6). One file per value
 * type, as qq keeps them (`qq_lib/properties/`); the YAML reader in yaml.ts; the table of
 * fields in parse.ts.
 *
 * Pure: no I/O. The reader (src/jobs/infofiles.ts) enforces MAX_INFO_FILE_BYTES before it
 * reads a file; parseInfoFile checks it again on the text.
 *
 * Untrusted input: the YAML is parsed with the YAML 1.2 core schema and no custom tags
 * (any tag the schema does not know, such as `!!python/object` or `!foo`, is an error, as
 * it is for PyYAML's SafeLoader), alias expansion is bounded (MAX_YAML_ALIAS_COUNT), flow
 * nesting is bounded (MAX_YAML_NESTING) and nothing the parser throws escapes as anything
 * but a QQError.
 *
 * Where qq itself raises a QQError while building the Info (unknown batch system, job type,
 * transfer mode, bad size string, loop_info checks) the message is qq's, verbatim, without
 * the path. Where qq fails with a Python TypeError (missing field, wrong type), the message
 * is `Invalid qq info file '<path>': <detail>.` with our own detail. Where qq would crash or
 * silently keep a wrongly typed value, we give the same `Invalid qq info file` error.
 *
 * Deliberate choices (documented for the README):
 * - Timestamps stay strings (the core schema has no timestamp type): quoted or unquoted,
 *   `YYYY-MM-DD HH:MM:SS` (also the YAML 1.1 forms `…T…`, fractions, zones, which PyYAML
 *   would read as datetime) is normalised to `YYYY-MM-DD HH:MM:SS`.
 * - A plain scalar that YAML reads as a number or boolean in a string field (unquoted job id
 *   `3123456`, prop value `false`) becomes its source text, so `0123` stays `0123`.
 * - Duplicate keys are accepted and the last one wins (PyYAML's behaviour); merge keys
 *   (`<<`) are honoured as PyYAML does.
 * - Unknown keys are ignored at every level (qq rejects unknown keys inside `resources`).
 */











;// CONCATENATED MODULE: ./src/batch/scheduler.ts
/**
 * The one door to the scheduler's commands (qstat, scontrol, sacct): argv arrays through
 * runCommand, with the context's timeout, qq's reading of failures, and job-id validation.
 * (Tests and the benchmark count calls from outside, with wrappers on PATH.)
 */


/** `30 s`, `0.5 s`. */
function formatSeconds(ms) {
    const s = ms / 1000;
    return `${Number.isInteger(s) ? s : Number(s.toFixed(1))} s`;
}
/** Bytes of a scheduler command's stdout kept by default (qstat/sacct for 500 jobs fit well). */
const SCHEDULER_OUTPUT_BYTES = 64 * 1024 * 1024;
/** Bytes kept of `scontrol show job` listing every job of the cluster. */
const SCONTROL_ALL_JOBS_BYTES = 512 * 1024 * 1024;
/**
 * Run one scheduler command. A command that cannot be started or that times out is a
 * QQError naming it; any exit code is returned to the caller to interpret (qq treats a
 * non-zero qstat/scontrol/sacct as "no information", not as an error).
 */
async function runScheduler(argv, ctx, options = {}) {
    const command = argv.join(' ');
    const result = await (0,exec_run/* runCommand */.d1)(argv, {
        timeoutMs: ctx.timeoutMs,
        env: ctx.env,
        maxBuffer: options.maxBuffer ?? SCHEDULER_OUTPUT_BYTES,
    });
    const name = argv[0] ?? '';
    if (result.spawnError) {
        const e = result.spawnError;
        ctx.debug(`${command}: could not be started (${e.code ?? e.message})`);
        if (e.code === 'ENOENT') {
            throw new QQError(`Could not run '${name}': command not found.`);
        }
        throw new QQError(`Could not run '${name}': ${e.message}.`);
    }
    if (result.timedOut) {
        ctx.debug(`${command}: timed out after ${formatSeconds(ctx.timeoutMs)}`);
        throw new QQError(`${name} timed out after ${formatSeconds(ctx.timeoutMs)}.`);
    }
    if (result.code === null) {
        // Killed by a signal we did not send: whatever it printed before may be half a record.
        ctx.debug(`${command}: killed by ${result.signal}`);
        throw new QQError(`${name} was killed by ${result.signal}.`);
    }
    const stderr = result.stderr.trim();
    ctx.debug(`${command}: exit ${result.code ?? result.signal} in ${result.durationMs} ms${stderr ? ` (stderr: ${stderr.length > 500 ? `${stderr.slice(0, 500)}…` : stderr})` : ''}`);
    return result;
}
/** Longest job id accepted (PBS ids with a long server name stay far below). */
const MAX_JOB_ID_LENGTH = 200;
const JOB_ID = /^[A-Za-z0-9_][A-Za-z0-9._[\]@+-]*$/;
/**
 * Refuse a job id that could be read as an option or holds a character no PBS or Slurm id
 * has (ids are `123`, `123.server`, `123[4].server`, `123_4`, `123+1`, `123@server`).
 * Throws InputError naming the id.
 */
function validateJobId(id) {
    if (typeof id !== 'string' || id.length === 0) {
        throw new InputError('Invalid job id: the job id is empty.');
    }
    if (id.length > MAX_JOB_ID_LENGTH) {
        throw new InputError(`Invalid job id '${id.slice(0, 40)}…': longer than ${MAX_JOB_ID_LENGTH} characters.`);
    }
    if (id.startsWith('-')) {
        throw new InputError(`Invalid job id '${id}': a job id cannot start with '-'.`);
    }
    if (!JOB_ID.test(id)) {
        throw new InputError(`Invalid job id '${JSON.stringify(id).slice(1, -1)}': a job id may contain only letters, digits and . _ [ ] @ + - (and must start with a letter or digit).`);
    }
    return id;
}
/** Split `items` into chunks of at most `size` (argv length stays bounded). */
function chunks(items, size) {
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
}

;// CONCATENATED MODULE: ./src/batch/unknown-job.ts

/** The answer for a job the scheduler does not know (qq's empty info). */
function unknownJob(id) {
    return { id, found: false, state: BatchState.UNKNOWN, nodes: [], raw: {} };
}

;// CONCATENATED MODULE: ./src/batch/pbs.ts
/**
 * PBS Pro (and OpenPBS, its open-source edition, which the tests run): `qstat -fxw id1 id2 …`
 * in one call for many jobs, parsed as qq parses one job (docs/qq-behaviour.md §3.1), state as in docs/qq-behaviour.md §2.3.
 */




/** Ids per qstat call; N ≤ this costs one call. */
const PBS_IDS_PER_CALL = 500;
const RECORD_START = /^Job Id:\s*(\S+)\s*$/;
/**
 * Split `qstat -f` output into records. A record starts with `Job Id: <id>`; inside it every
 * line holding ` = ` is `key = value` split at the first ` = ` and trimmed (qq's rule). A
 * line that starts with a tab and has no ` = ` continues the previous value (qstat without
 * `-w` wraps long values that way; with `-w` it never happens). Lines before the first
 * `Job Id:` are ignored.
 */
function parseQstatRecords(text) {
    const records = [];
    let current;
    let lastKey;
    for (const line of text.split(/\r?\n/)) {
        const start = RECORD_START.exec(line);
        if (start?.[1]) {
            current = { id: start[1], fields: {} };
            records.push(current);
            lastKey = undefined;
            continue;
        }
        if (!current)
            continue;
        const at = line.indexOf(' = ');
        if (at >= 0) {
            const key = line.slice(0, at).trim();
            if (!key)
                continue;
            current.fields[key] = line.slice(at + 3).trim();
            lastKey = key;
        }
        else if (line.startsWith('\t') && lastKey !== undefined) {
            current.fields[lastKey] = `${current.fields[lastKey] ?? ''}${line.trim()}`;
        }
        else if (line.trim() === '') {
            lastKey = undefined;
        }
    }
    return records;
}
/** Python's `int(str)` for what qstat prints: optional spaces and sign, digits. */
function parseIntStrict(value) {
    if (value === undefined)
        return undefined;
    const t = value.trim();
    if (!/^[+-]?\d+$/.test(t))
        return undefined;
    const n = Number.parseInt(t, 10);
    return Number.isSafeInteger(n) ? n : undefined;
}
/** `Exit_status` as an integer, or undefined when missing or not an integer. */
function pbsExitCode(fields) {
    return parseIntStrict(fields.Exit_status);
}
/** Spec §2.3: job_state (+ Exit_status for F/X) → BatchState. */
function pbsState(fields) {
    const raw = fields.job_state;
    if (raw === undefined || raw === '')
        return BatchState.UNKNOWN;
    let code = raw.trim().toUpperCase();
    if (code === 'X')
        code = 'F';
    if (code === 'F') {
        return pbsExitCode(fields) === 0 ? BatchState.FINISHED : BatchState.FAILED;
    }
    return batchStateFromCode(code);
}
/** One node of exec_host2 / exec_vnode: cut at the first `:`, then `/`, drop parentheses. */
function cleanPbsNodeName(part) {
    let s = part.trim();
    const colon = s.indexOf(':');
    if (colon >= 0)
        s = s.slice(0, colon);
    const slash = s.indexOf('/');
    if (slash >= 0)
        s = s.slice(0, slash);
    return s.replaceAll('(', '').replaceAll(')', '').trim();
}
/** Split a `+`-joined node list and clean each part. */
function nodeList(raw) {
    return raw
        .split('+')
        .map(cleanPbsNodeName)
        .filter((n) => n.length > 0);
}
/**
 * Nodes, the first being the main node. qq reads `exec_host2` (PBS Pro:
 * `node1.x:15002/0*8+node2.x:15002/0*8`), taken as qq takes it. OpenPBS never prints
 * `exec_host2`, only `exec_host` (`node1/0*8+node2/0*8`, the mom's names) and `exec_vnode`
 * (`(node1:ncpus=8)+(node2:ncpus=8)`): without `exec_host2` the nodes come from `exec_host`,
 * else from `exec_vnode`, each node once (a host holding several chunks appears once per chunk).
 */
function pbsNodes(fields) {
    if (fields.exec_host2)
        return nodeList(fields.exec_host2);
    const fallback = fields.exec_host || fields.exec_vnode;
    return fallback ? [...new Set(nodeList(fallback))] : [];
}
/**
 * `Variable_List` (`K=V,K=V,…`) as a map. PBS escapes a comma inside a value as `\,`; that is
 * honoured (qq splits on every comma, which only matters for values holding commas).
 */
function parseVariableList(value) {
    const out = {};
    if (!value)
        return out;
    const items = [];
    let cur = '';
    for (let i = 0; i < value.length; i++) {
        const c = value[i];
        if (c === '\\' && value[i + 1] === ',') {
            cur += ',';
            i++;
        }
        else if (c === ',') {
            items.push(cur);
            cur = '';
        }
        else {
            cur += c;
        }
    }
    items.push(cur);
    for (const item of items) {
        const eq = item.indexOf('=');
        if (eq <= 0)
            continue;
        out[item.slice(0, eq).trim()] = item.slice(eq + 1);
    }
    return out;
}
/** A PBS record as the adapter's answer for `id`. */
function pbsJobInfo(id, fields) {
    const vars = parseVariableList(fields.Variable_List);
    const nodes = pbsNodes(fields);
    const nonEmpty = (v) => (v ? v : undefined);
    return {
        id,
        found: true,
        state: pbsState(fields),
        mainNode: nodes[0],
        nodes,
        exitCode: pbsExitCode(fields),
        comment: nonEmpty(fields.comment),
        infoFile: nonEmpty(vars.QQ_INFO),
        inputDir: nonEmpty(vars.PBS_O_WORKDIR) ?? nonEmpty(vars.QQ_INPUT_DIR) ?? nonEmpty(vars.INF_INPUT_DIR),
        jobName: nonEmpty(fields.Job_Name),
        raw: fields,
    };
}
const prefix = (id) => id.split('.', 1)[0] ?? id;
/**
 * Pair asked ids with records. Exact id first; then a record whose id extends the asked one
 * (`123.srv` → `123.srv.example.com`, or the reverse); an asked id without a server part
 * (`123`) matches a record with the same part before the first `.` (qstat completes it with
 * the default server). A record answers at most one asked id.
 */
function matchPbsRecords(ids, records) {
    const out = new Map();
    const used = new Set();
    const claim = (id, pick) => {
        if (out.has(id))
            return;
        const r = records.find((rec) => !used.has(rec) && pick(rec));
        if (r) {
            out.set(id, r);
            used.add(r);
        }
    };
    for (const id of ids)
        claim(id, (r) => r.id === id);
    for (const id of ids) {
        claim(id, (r) => r.id.startsWith(`${id}.`) || id.startsWith(`${r.id}.`));
    }
    for (const id of ids) {
        if (id.includes('.'))
            continue;
        claim(id, (r) => prefix(r.id) === id);
    }
    return out;
}
const CANNOT_CONNECT = /^qstat: cannot connect to server /;
const ILLEGAL_ID = /^qstat: illegally formed job identifier: (\S+)\s*$/;
/**
 * Pair qstat's error lines with the ids it printed no record for. qstat handles its ids in
 * order and prints one line per id it fails on: `Unknown Job Id <full id>` (unknown to PBS),
 * `illegally formed job identifier: <id>` (it names the id as given: a server name that does
 * not resolve), or `cannot connect to server <default server> (errno=…)` — which names the
 * DEFAULT server whatever server the id is on, so it is paired by order with the ids that no
 * other line names.
 */
function qstatFailures(stderr, missing) {
    const out = { unreachable: new Map(), refused: new Map() };
    const lines = stderr
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    const named = new Set();
    for (const line of lines) {
        const illegal = ILLEGAL_ID.exec(line)?.[1];
        if (illegal && missing.includes(illegal)) {
            out.refused.set(illegal, line);
            named.add(illegal);
            continue;
        }
        const unknown = /^qstat: Unknown Job Id (\S+)\s*$/.exec(line)?.[1];
        if (unknown) {
            const id = missing.find((m) => !named.has(m) &&
                (m === unknown || unknown.startsWith(`${m}.`) || m.startsWith(`${unknown}.`)));
            if (id)
                named.add(id);
        }
    }
    const connectLines = lines.filter((l) => CANNOT_CONNECT.test(l));
    const rest = missing.filter((m) => !named.has(m));
    connectLines.forEach((line, i) => {
        const id = rest[i];
        if (id)
            out.unreachable.set(id, line);
    });
    return out;
}
/** The server an id names (`123.srv` → `PBS server 'srv'`), or the default one. */
function serverOf(id) {
    const dot = id.indexOf('.');
    return dot < 0 ? 'the default PBS server' : `PBS server '${id.slice(dot + 1)}'`;
}
class PbsSystem {
    name = 'PBS';
    alwaysShared = false;
    async queryJobs(ids, ctx) {
        const unique = [...new Set(ids)];
        for (const id of unique)
            validateJobId(id);
        const answers = new Map();
        for (const group of chunks(unique, PBS_IDS_PER_CALL)) {
            const result = await runScheduler(['qstat', '-fxw', ...group], ctx);
            const records = parseQstatRecords(result.stdout);
            if (records.length === 0 && result.stdout.trim() !== '') {
                ctx.debug(`qstat printed no 'Job Id:' record (exit ${result.code}); treating ${group.length} job(s) as unknown to PBS`);
            }
            const matched = matchPbsRecords(group, records);
            const missing = group.filter((id) => !matched.has(id));
            const failures = qstatFailures(result.stderr, missing);
            // A server that does not answer is not an answer: when qstat reached no server at all
            // (PBS down), the whole call could not be asked, as for a missing or hung qstat.
            if (records.length === 0 &&
                missing.length > 0 &&
                failures.unreachable.size === missing.length) {
                const line = failures.unreachable.values().next().value;
                throw new QQError(`qstat could not reach the PBS server: ${line.replace(/^qstat: /, '')}`);
            }
            for (const id of group) {
                const record = matched.get(id);
                const unreachable = failures.unreachable.get(id);
                const refused = failures.refused.get(id);
                if (record) {
                    answers.set(id, pbsJobInfo(id, record.fields));
                }
                else if (unreachable) {
                    answers.set(id, {
                        ...unknownJob(id),
                        queryError: `qstat could not reach ${serverOf(id)} (${unreachable.replace(/^qstat: cannot connect to server \S+ /, '')})`,
                    });
                }
                else if (refused) {
                    answers.set(id, {
                        ...unknownJob(id),
                        queryError: `PBS refused job id '${id}' (${refused.replace(/^qstat: /, '').replace(/: \S+$/, '')}: is its server name right?)`,
                    });
                }
                else {
                    ctx.debug(`qstat has no record for job '${id}': unknown to PBS`);
                    answers.set(id, unknownJob(id));
                }
            }
            const extra = records.filter((r) => ![...matched.values()].includes(r));
            if (extra.length > 0) {
                ctx.debug(`qstat printed records nobody asked for: ${extra.map((r) => r.id).join(', ')}`);
            }
        }
        return answers;
    }
}

;// CONCATENATED MODULE: ./src/batch/slurm/hostlist.ts
/**
 * Slurm hostlists (`cn[01-03,07],gpu5`): expanded here as `scontrol show hostnames` prints
 * them, and by scontrol only for a syntax this does not understand (docs/qq-behaviour.md §3.2).
 */


/** A NodeList value worth expanding (qq: present and not containing `None`). */
function usableNodeList(value) {
    return !!value && !value.includes('None') && value !== '(null)';
}
/** Split a hostlist at the commas outside brackets. */
function splitHostlist(list) {
    const out = [];
    let depth = 0;
    let cur = '';
    for (const c of list) {
        if (c === '[')
            depth++;
        else if (c === ']')
            depth--;
        if (c === ',' && depth === 0) {
            out.push(cur);
            cur = '';
        }
        else
            cur += c;
    }
    out.push(cur);
    return out.filter((s) => s.length > 0);
}
/** Most names one hostlist may expand to here (beyond that, scontrol does it). */
const MAX_EXPANDED = 100_000;
/**
 * Expand a Slurm hostlist (`cn[01-03,07],gpu5`, `a[1-2]b[3-4]`) the way
 * `scontrol show hostnames` does: brackets hold numbers and ranges, the width of a range is
 * that of its first number (`[08-10]` → 08 09 10, `[8-10]` → 8 9 10), several brackets make
 * a product with the first one outermost, order and duplicates are kept. Undefined for any
 * syntax this does not understand (then scontrol is asked).
 */
function expandHostlist(list) {
    const out = [];
    for (const item of splitHostlist(list)) {
        let names = [''];
        let rest = item;
        while (rest.length > 0) {
            const open = rest.indexOf('[');
            const literal = open < 0 ? rest : rest.slice(0, open);
            if (literal.includes(']'))
                return undefined;
            names = names.map((n) => n + literal);
            if (open < 0)
                break;
            const close = rest.indexOf(']', open);
            if (close < 0)
                return undefined;
            const values = [];
            for (const range of rest.slice(open + 1, close).split(',')) {
                const m = /^(\d+)(?:-(\d+))?$/.exec(range);
                if (!m)
                    return undefined;
                const loText = m[1];
                const lo = Number(loText);
                const hi = m[2] === undefined ? lo : Number(m[2]);
                if (hi < lo || hi - lo >= MAX_EXPANDED)
                    return undefined;
                for (let v = lo; v <= hi; v++)
                    values.push(String(v).padStart(loText.length, '0'));
            }
            if (names.length * values.length > MAX_EXPANDED)
                return undefined;
            names = names.flatMap((n) => values.map((v) => n + v));
            rest = rest.slice(close + 1);
        }
        out.push(...names);
        if (out.length > MAX_EXPANDED)
            return undefined;
    }
    return out;
}
/**
 * Expand NodeList values (docs/qq-behaviour.md §3.2). Lists in the plain hostlist syntax are expanded here,
 * exactly as `scontrol show hostnames` prints them, so that many jobs still cost one
 * scheduler call; only a list this does not understand is given to
 * `scontrol show hostnames <list>` (one call per such list). On a failure the list stays
 * compact (qq's fallback), with a debug message.
 */
async function expandNodeLists(lists, ctx) {
    const out = new Map();
    for (const list of new Set(lists)) {
        const local = expandHostlist(list);
        if (local) {
            out.set(list, local);
            continue;
        }
        if (list.startsWith('-') || /\s/.test(list)) {
            out.set(list, [list]);
            continue;
        }
        const fallback = (why) => {
            ctx.debug(`could not expand node list '${list}' (${why}); using it unexpanded`);
            out.set(list, [list]);
        };
        try {
            const r = await runScheduler(['scontrol', 'show', 'hostnames', list], ctx);
            const names = r.stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
            if (r.code !== 0 ||
                names.length === 0 ||
                /Invalid hostlist|Invalid range/.test(r.stdout + r.stderr)) {
                fallback(`exit ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`);
            }
            else {
                out.set(list, names);
            }
        }
        catch (e) {
            fallback((0,errors/* errorMessage */.g)(e));
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/batch/slurm/keys.ts
/** The names Slurm prints: the keys of `scontrol show job -o` and qq's sacct fields. */
/**
 * qq's sacct fields, in qq's order, each with the scontrol-style key qq gives it (so that a
 * sacct line reads like a scontrol record).
 */
const SACCT_FIELD_KEYS = [
    ['JobID', 'JobId'],
    ['Account', 'Account'],
    ['State', 'JobState'],
    ['User', 'UserId'],
    ['JobName', 'JobName'],
    ['Partition', 'Partition'],
    ['WorkDir', 'WorkDir'],
    ['AllocCPUs', 'AllocCPUs'],
    ['ReqCPUs', 'ReqCPUs'],
    ['AllocTRES', 'AllocTRES'],
    ['ReqTRES', 'ReqTRES'],
    ['AllocNodes', 'AllocNodes'],
    ['ReqNodes', 'ReqNodes'],
    ['Submit', 'SubmitTime'],
    ['Start', 'StartTime'],
    ['End', 'EndTime'],
    ['TimeLimit', 'TimeLimit'],
    ['NodeList', 'NodeList'],
    ['Reason', 'Reason'],
    ['ExitCode', 'ExitCode'],
];
/** qq's sacct fields, in qq's order. */
const SACCT_FIELDS = SACCT_FIELD_KEYS.map(([field]) => field);
/** The scontrol-style keys qq gives the sacct fields. */
const SACCT_KEYS = SACCT_FIELD_KEYS.map(([, key]) => key);
/**
 * Keys `scontrol show job -o` prints (Slurm 20.11 … 24.x). Used only to decide where a
 * free-text value (a job name or comment with spaces and `=`) ends.
 */
const SCONTROL_JOB_KEYS = new Set([
    'JobId',
    'ArrayJobId',
    'ArrayTaskId',
    'ArrayTaskThrottle',
    'HetJobId',
    'HetJobOffset',
    'HetJobIdSet',
    'JobName',
    'UserId',
    'GroupId',
    'MCS_label',
    'Priority',
    'Nice',
    'Account',
    'QOS',
    'JobState',
    'Reason',
    'Dependency',
    'Requeue',
    'Restarts',
    'BatchFlag',
    'Reboot',
    'ExitCode',
    'DerivedExitCode',
    'RunTime',
    'TimeLimit',
    'TimeMin',
    'SubmitTime',
    'EligibleTime',
    'AccrueTime',
    'StartTime',
    'EndTime',
    'Deadline',
    'SuspendTime',
    'SecsPreSuspend',
    'LastSchedEval',
    'Scheduler',
    'PreemptEligibleTime',
    'PreemptTime',
    'ResizeTime',
    'Partition',
    'AllocNode:Sid',
    'ReqNodeList',
    'ExcNodeList',
    'NodeList',
    'SchedNodeList',
    'BatchHost',
    'NumNodes',
    'NumCPUs',
    'NumTasks',
    'CPUs/Task',
    'ReqB:S:C:T',
    'ReqTRES',
    'AllocTRES',
    'TRES',
    'Socks/Node',
    'NtasksPerN:B:S:C',
    'CoreSpec',
    'ThreadSpec',
    'MinCPUsNode',
    'MinMemoryNode',
    'MinMemoryCPU',
    'MinTmpDiskNode',
    'Features',
    'ClusterFeatures',
    'Prefer',
    'DelayBoot',
    'OverSubscribe',
    'Contiguous',
    'Licenses',
    'LicensesAlloc',
    'Network',
    'Command',
    'WorkDir',
    'AdminComment',
    'SystemComment',
    'Comment',
    'StdErr',
    'StdIn',
    'StdOut',
    'Power',
    'CpusPerTres',
    'MemPerTres',
    'TresBind',
    'TresFreq',
    'TresPerJob',
    'TresPerNode',
    'TresPerSocket',
    'TresPerTask',
    'MailUser',
    'MailType',
    'Reservation',
    'Container',
    'ContainerID',
    'CPU_Bind',
    'MemPerNode',
    'MemPerCPU',
    'NtasksPerTRES',
    'CpuFreqMin',
    'CpuFreqMax',
    'CpuFreqGov',
    'KillOInInvalidDependent',
    'BurstBuffer',
    'BurstBufferState',
    'Partitions',
    'JobStateReason',
    'StepMgrEnabled',
    'ResvPorts',
    'SegmentSize',
    'OOMKillStep',
    'Wckey',
    'WCKey',
    'GresEnforceBind',
    'SpreadJob',
    'MCS',
    'FedOrigin',
    'FedViableSiblings',
    'FedActiveSiblings',
    'Siblings',
    'TaskPerNode',
    'Tasks/Node',
    'RemoteRunTime',
    'NodeListOwner',
    'Cluster',
    'ClusterName',
    'EndTimeEstimate',
    'PreSusTime',
    'ExtraState',
    'Extra',
    'SelinuxContext',
    'UserName',
    'GroupName',
    'ArrayTaskString',
]);
/** Keys whose value is free text: it may contain spaces and `word=word` pieces. */
const FREE_TEXT_KEYS = new Set([
    'JobName',
    'Comment',
    'AdminComment',
    'SystemComment',
    'Command',
]);

;// CONCATENATED MODULE: ./src/batch/slurm/parse.ts
/**
 * Parsers of what Slurm prints: `scontrol show job -o` lines, `sacct --parsable2` lines, the
 * state and exit code (docs/qq-behaviour.md §2.4), and which record answers which id.
 */


/** The sacct argv for `ids` (qq's command, ids comma-joined). */
function sacctArgv(ids) {
    return [
        'sacct',
        '--allocations',
        '--noheader',
        '--parsable2',
        '-j',
        ids.join(','),
        `--format=${SACCT_FIELDS.join(',')}`,
    ];
}
/**
 * One line of `scontrol show job -o` into key/value pairs. qq splits on whitespace and keeps
 * the pieces holding `=`, split at the first `=`. That loses the rest of a value with a
 * space (`JobName=my job`, `WorkDir=/a b`) and lets a comment (`Comment=a b=c`) invent keys.
 * Here a piece without `=` continues the previous value, and after a free-text key
 * (JobName, Comment, …) a `key=` piece starts a new pair only if it is a key scontrol prints
 * and has not been seen yet in the line. Keys are otherwise taken as qq takes them.
 */
function parseScontrolLine(line) {
    const out = {};
    // Candidate boundaries: start of line or whitespace, then `key=`.
    const re = /(^|\s+)([^\s=]+)=/g;
    const starts = [];
    const seen = new Set();
    let freeText = false;
    for (let m = re.exec(line); m !== null; m = re.exec(line)) {
        const key = m[2];
        const keyStart = m.index + m[1].length;
        if (starts.length > 0 && freeText && (!SCONTROL_JOB_KEYS.has(key) || seen.has(key)))
            continue;
        starts.push({ key, keyStart, valueStart: m.index + m[0].length });
        seen.add(key);
        freeText = FREE_TEXT_KEYS.has(key);
    }
    for (let i = 0; i < starts.length; i++) {
        const s = starts[i];
        const end = i + 1 < starts.length ? starts[i + 1].keyStart : line.length;
        out[s.key] = line.slice(s.valueStart, end).trim();
    }
    return out;
}
/** Every non-empty line of `scontrol show job -o` output. */
function parseScontrolOutput(text) {
    return text
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '' && l.includes('='))
        .map(parseScontrolLine);
}
/**
 * One `sacct --parsable2` line into scontrol-style keys, as qq's `fromSacctString`, or
 * undefined when it does not have exactly 20 fields (where qq raises "Number of items in a
 * sacct string …").
 */
function parseSacctLine(line) {
    const parts = line.split('|');
    if (parts.length !== SACCT_KEYS.length)
        return undefined;
    const info = {};
    SACCT_KEYS.forEach((k, i) => {
        info[k] = parts[i];
    });
    info.JobState = (info.JobState ?? '').trim().split(/\s+/)[0] ?? '';
    const assign = (alloc, req, target) => {
        const a = info[alloc];
        info[target] = a && a !== '0' && a !== 'None' ? a : (info[req] ?? '');
    };
    assign('AllocCPUs', 'ReqCPUs', 'NumCPUs');
    assign('AllocNodes', 'ReqNodes', 'NumNodes');
    return info;
}
const STATE_MAP = {
    BOOT_FAIL: BatchState.FAILED,
    CANCELLED: BatchState.FAILED,
    COMPLETED: BatchState.FINISHED,
    DEADLINE: BatchState.FAILED,
    FAILED: BatchState.FAILED,
    NODE_FAIL: BatchState.FAILED,
    OUT_OF_MEMORY: BatchState.FAILED,
    PENDING: BatchState.QUEUED,
    PREEMPTED: BatchState.SUSPENDED,
    RUNNING: BatchState.RUNNING,
    SUSPENDED: BatchState.SUSPENDED,
    TIMEOUT: BatchState.FAILED,
};
/** qq's comment: `Reason: <Reason>` when Reason is present and not `None`. */
function slurmComment(fields) {
    const reason = fields.Reason;
    return reason && reason !== 'None' ? `Reason: ${reason}` : undefined;
}
/** docs/qq-behaviour.md §2.4: exact, upper-case match; PENDING with "Dependency" in the comment is HELD. */
function slurmState(fields) {
    const raw = fields.JobState;
    if (!raw)
        return BatchState.UNKNOWN;
    const state = STATE_MAP[raw] ?? BatchState.UNKNOWN;
    if (state === BatchState.QUEUED && slurmComment(fields)?.includes('Dependency')) {
        return BatchState.HELD;
    }
    return state;
}
/** `ExitCode=<code>:<signal>` → code if non-zero, else signal; unparsable → undefined. */
function slurmExitCode(raw) {
    if (!raw)
        return undefined;
    const parts = raw.split(':');
    if (parts.length !== 2)
        return undefined;
    const nums = parts.map((p) => (/^\s*[+-]?\d+\s*$/.test(p) ? Number.parseInt(p, 10) : Number.NaN));
    const [code, signal] = nums;
    if (Number.isNaN(code) || Number.isNaN(signal))
        return undefined;
    return code || signal;
}
/** The ids a scontrol record answers to: JobId, `ArrayJobId_ArrayTaskId`, `HetJobId+HetJobOffset`. */
function recordIds(fields) {
    const ids = [];
    if (fields.JobId)
        ids.push(fields.JobId);
    if (fields.ArrayJobId && fields.ArrayTaskId && /^\d+$/.test(fields.ArrayTaskId)) {
        ids.push(`${fields.ArrayJobId}_${fields.ArrayTaskId}`);
    }
    if (fields.HetJobId && fields.HetJobOffset)
        ids.push(`${fields.HetJobId}+${fields.HetJobOffset}`);
    return ids;
}
/** Does an ArrayTaskId like `3-10%2`, `1,4,7-9` or `5` contain task `n`? */
function arrayTaskIdsContain(spec, n) {
    const body = spec.split('%', 1)[0] ?? '';
    return body.split(',').some((part) => {
        const m = /^(\d+)(?:-(\d+))?(?::(\d+))?$/.exec(part.trim());
        if (!m)
            return false;
        const lo = Number(m[1]);
        const hi = m[2] === undefined ? lo : Number(m[2]);
        const step = m[3] === undefined ? 1 : Number(m[3]);
        return n >= lo && n <= hi && step > 0 && (n - lo) % step === 0;
    });
}
/**
 * The record for an array task `<job>_<n>` that scontrol still shows inside the pending
 * array record (`ArrayJobId=<job> ArrayTaskId=3-10`), as `scontrol show job <job>_<n>` would.
 */
function pendingArrayRecord(id, records) {
    const m = /^(\d+)_(\d+)$/.exec(id);
    if (!m)
        return undefined;
    return records.find((r) => r.ArrayJobId === m[1] &&
        r.ArrayTaskId !== undefined &&
        !/^\d+$/.test(r.ArrayTaskId) &&
        arrayTaskIdsContain(r.ArrayTaskId, Number(m[2])));
}
/** Index scontrol records by every id they answer to (first record wins). */
function indexRecords(records) {
    const index = new Map();
    for (const r of records)
        for (const id of recordIds(r))
            if (!index.has(id))
                index.set(id, r);
    return index;
}
/**
 * Choose the sacct line for `id` among all lines of one sacct call: the line whose JobID is
 * the id (the last one if several, i.e. the newest), else a heterogeneous job's leader
 * `id+0`. Array jobs (`id_1`, `id_2`, …) and ids with no line get undefined: qq raises
 * "Number of items in a sacct string …" there; we say so in a debug message and answer
 * UNKNOWN.
 */
function pickSacctRecord(id, records, debug = () => { }) {
    const exact = records.filter((r) => r.JobId === id);
    if (exact.length > 1) {
        debug(`sacct printed ${exact.length} lines for job '${id}'; using the last (newest)`);
    }
    if (exact.length > 0)
        return exact[exact.length - 1];
    const leader = records.find((r) => r.JobId === `${id}+0`);
    if (leader) {
        debug(`sacct: job '${id}' is a heterogeneous job; using its leader '${id}+0'`);
        return leader;
    }
    const related = records.filter((r) => r.JobId?.startsWith(`${id}_`) || r.JobId?.startsWith(`${id}+`));
    if (related.length > 0) {
        debug(`sacct printed ${related.length} lines for job '${id}' (an array job?) and none for the id itself; qq fails here with 'Number of items in a sacct string'; treating the job as unknown`);
    }
    else {
        debug(`sacct printed no line for job '${id}'; qq fails here with 'Number of items in a sacct string'; treating the job as unknown`);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/batch/slurm/job-info.ts
/** A Slurm record as the adapter's answer, with the info file found from WorkDir and JobName. */




/**
 * Python's `Path(workDir, jobName).with_suffix('.qqinfo')`, or undefined for a name that is
 * not a plain file name (empty, `.`/`..`, a `/` or NUL inside).
 */
function infoFileCandidate(workDir, jobName) {
    if (!jobName || jobName === '.' || jobName === '..' || /[/\0]/.test(jobName))
        return undefined;
    const dot = jobName.lastIndexOf('.');
    const stem = dot > 0 && dot < jobName.length - 1 ? jobName.slice(0, dot) : jobName;
    return external_node_path_.join(workDir, `${stem}.qqinfo`);
}
async function readableFile(file) {
    try {
        if (!(await (0,promises_.stat)(file)).isFile())
            return false;
        await (0,promises_.access)(file, external_node_fs_.constants.R_OK);
        return true;
    }
    catch {
        return false;
    }
}
/** What the adapter answers from a Slurm record (scontrol or sacct keys). */
async function slurmJobInfo(id, fields, nodes, ctx) {
    const batchHost = fields.BatchHost;
    const mainNode = batchHost && !batchHost.includes('None') ? batchHost : nodes[0];
    let inputDir;
    if (fields.WorkDir) {
        const abs = external_node_path_.resolve(fields.WorkDir);
        inputDir = await (0,promises_.realpath)(abs).catch(() => abs);
    }
    let infoFile;
    const name = fields.JobName || undefined;
    if (inputDir && name) {
        const candidate = infoFileCandidate(inputDir, name);
        if (candidate && (await readableFile(candidate)))
            infoFile = candidate;
        else
            ctx?.debug(`job '${id}': no readable info file at '${candidate ?? `${inputDir}/${name}`}'`);
    }
    return {
        id,
        found: true,
        state: slurmState(fields),
        mainNode,
        nodes,
        exitCode: slurmExitCode(fields.ExitCode),
        comment: slurmComment(fields),
        infoFile,
        inputDir,
        jobName: name,
        raw: fields,
    };
}

;// CONCATENATED MODULE: ./src/batch/slurm/query.ts
/**
 * The Slurm adapter: `scontrol show job -o` (one job: qq's exact command; several jobs: one
 * call listing every job the controller knows, filtered here, because `scontrol show job`
 * takes a single id), then `sacct` for the jobs scontrol no longer knows (docs/qq-behaviour.md §3.2).
 */






/** Ids per sacct call; N ≤ this costs one call. */
const SACCT_IDS_PER_CALL = 500;
/** Step 1: the scontrol records of `ids`, into `found`. A failed scontrol finds none. */
async function fromScontrol(ids, found, ctx) {
    const single = ids.length === 1 ? ids[0] : undefined;
    const argv = single !== undefined
        ? ['scontrol', 'show', 'job', single, '-o']
        : ['scontrol', '-o', 'show', 'job'];
    const sc = await runScheduler(argv, ctx, { maxBuffer: SCONTROL_ALL_JOBS_BYTES });
    if (sc.code !== 0) {
        ctx.debug(`scontrol failed (exit ${sc.code}): ${sc.stderr.trim()}; trying sacct`);
        return;
    }
    const records = parseScontrolOutput(sc.stdout);
    const index = indexRecords(records);
    for (const id of ids) {
        const r = index.get(id) ??
            pendingArrayRecord(id, records) ??
            (single !== undefined && records.length === 1 ? records[0] : undefined);
        if (r)
            found.set(id, r);
    }
    const first = records[0];
    if (single !== undefined && !found.has(single) && first && records.length > 1) {
        ctx.debug(`scontrol printed ${records.length} records for job '${single}'; using the first`);
        found.set(single, first);
    }
}
/** Step 2: the sacct records of `ids` (one call per SACCT_IDS_PER_CALL), into `found`. */
async function fromSacct(ids, found, ctx) {
    for (const group of chunks(ids, SACCT_IDS_PER_CALL)) {
        let sa;
        try {
            sa = await runScheduler(sacctArgv(group), ctx);
        }
        catch (e) {
            // Without sacct qq's bash gets exit 127: no information, not an error.
            if (e instanceof QQError && /command not found/.test(e.message)) {
                ctx.debug(`${e.message} Jobs ${group.join(', ')} are unknown to Slurm.`);
                continue;
            }
            throw e;
        }
        if (sa.code !== 0) {
            ctx.debug(`sacct failed (exit ${sa.code}): ${sa.stderr.trim()}; no information about ${group.join(', ')}`);
            continue;
        }
        const records = [];
        for (const line of sa.stdout.split(/\r?\n/)) {
            if (line.trim() === '')
                continue;
            const r = parseSacctLine(line.replace(/\r$/, ''));
            if (r)
                records.push(r);
            else {
                ctx.debug(`sacct line with a wrong number of fields (qq: 'Number of items in a sacct string'): ${line}`);
            }
        }
        for (const id of group) {
            const r = pickSacctRecord(id, records, ctx.debug);
            if (r)
                found.set(id, r);
        }
    }
}
class SlurmSystem {
    name;
    alwaysShared;
    constructor(name, alwaysShared) {
        this.name = name;
        this.alwaysShared = alwaysShared;
    }
    async queryJobs(ids, ctx) {
        const unique = [...new Set(ids)];
        for (const id of unique)
            validateJobId(id);
        if (unique.length === 0)
            return new Map();
        const found = new Map();
        await fromScontrol(unique, found, ctx);
        await fromSacct(unique.filter((id) => !found.has(id)), found, ctx);
        // Step 3: node lists, expanded here where the syntax is plain (no scheduler call), by
        // `scontrol show hostnames` one call per list otherwise.
        const lists = [...found.values()].map((r) => r.NodeList).filter(usableNodeList);
        const expanded = lists.length > 0 ? await expandNodeLists(lists, ctx) : new Map();
        const answers = new Map();
        for (const id of unique) {
            const r = found.get(id);
            if (!r) {
                answers.set(id, unknownJob(id));
                continue;
            }
            const nodeList = r.NodeList;
            const nodes = usableNodeList(nodeList) ? (expanded.get(nodeList) ?? [nodeList]) : [];
            answers.set(id, await slurmJobInfo(id, r, nodes, ctx));
        }
        return answers;
    }
}

;// CONCATENATED MODULE: ./src/batch/slurm/index.ts
/**
 * Slurm (docs/qq-behaviour.md §3.2, states as in §2.4): the names Slurm prints (keys.ts), their parsers
 * (parse.ts), hostlist expansion (hostlist.ts), the answer with its info file (job-info.ts)
 * and the adapter that asks scontrol and sacct (query.ts).
 */






;// CONCATENATED MODULE: ./src/batch/index.ts
/**
 * The four batch systems of qq (docs/qq-behaviour.md §3.3), how one is chosen, and job-id resolution
 * (docs/qq-behaviour.md §3.4) with one scheduler call for all ids.
 */










const SYSTEMS = {
    PBS: new PbsSystem(),
    Slurm: new SlurmSystem('Slurm', false),
    // IT4I (Karolina) and LUMI: plain Slurm queries, work dirs on shared storage (docs/qq-behaviour.md §6.4).
    SlurmIT4I: new SlurmSystem('SlurmIT4I', true),
    SlurmLumi: new SlurmSystem('SlurmLumi', true),
};
/** The batch system registered as `name` (exact, case-sensitive, as qq). */
function getBatchSystem(name) {
    return SYSTEMS[parseBatchSystem(name)];
}
/**
 * qq's guess (docs/qq-behaviour.md §3.3), in registration order PBS → Slurm → SlurmIT4I → SlurmLumi: the
 * first whose marker command is on PATH.
 */
async function guessBatchSystem(env = process.env) {
    const [qsub, sbatch, it4ifree, lumi] = await Promise.all(['qsub', 'sbatch', 'it4ifree', 'lumi-allocations'].map((c) => (0,exec_run/* onPath */.L)(c, env)));
    if (qsub)
        return 'PBS';
    if (sbatch && !it4ifree && !lumi)
        return 'Slurm';
    if (it4ifree)
        return 'SlurmIT4I';
    if (lumi)
        return 'SlurmLumi';
    throw new QQError(`Could not guess a batch system. No registered batch system available. ${notGuessedHelp(env)}`);
}
/**
 * After qq's message: what was looked for and where, and the two ways out (the input, or the
 * runner service's PATH, which a runner started as a service reads from its `.path` file).
 */
function notGuessedHelp(env, execPath = process.execPath) {
    // Under the runner, node is `<runner>/externals/node24/bin/node`.
    const runner = /^(.*)\/externals\/node\d+\/bin\/node$/.exec(execPath)?.[1];
    const files = runner
        ? `${runner}/.path and ${runner}/.env`
        : 'the runner directory’s .path and .env';
    return [
        `Looked for qsub (PBS), sbatch (Slurm), it4ifree (SlurmIT4I) and lumi-allocations (SlurmLumi) on PATH=${env.PATH ?? ''} (neither the \`batch-system\` input nor QQ_BATCH_SYSTEM was set).`,
        'Set the `batch-system` input (PBS, Slurm, SlurmIT4I or SlurmLumi), or put the scheduler’s directory on the runner’s PATH:',
        `a runner installed as a service takes its PATH from ${files}, read when the service starts (restart it after a change).`,
    ].join(' ');
}
/**
 * The batch system for job-id mode: the explicit choice (the `batch-system` input), else
 * `QQ_BATCH_SYSTEM` (an unknown name is `No batch system registered as '<n>'.`), else the guess.
 */
async function resolveBatchSystemName(override, env = process.env) {
    if (override)
        return parseBatchSystem(override);
    const fromEnv = env.QQ_BATCH_SYSTEM;
    if (fromEnv)
        return parseBatchSystem(fromEnv);
    return guessBatchSystem(env);
}
/** qq's messages of docs/qq-behaviour.md §3.4. */
const jobDoesNotExist = (id) => `Job '${id}' does not exist.`;
const notAQqJob = (id) => `Job '${id}' is not a valid qq job.`;
const infoFileNotReachable = (id) => `Info file for job '${id}' does not exist or is not reachable.`;
/**
 * docs/qq-behaviour.md §3.4 steps 1–2 for many ids with one scheduler call: each id gets either the
 * scheduler's answer with the info-file path (PBS `QQ_INFO`; Slurm `WorkDir/JobName.qqinfo`
 * when that file exists and is readable), or qq's error. Steps 3–5 (read the file, check
 * that its job id matches — else `infoFileNotReachable(id)` — and reuse `info` for the
 * state) are the caller's. An invalid id gets its InputError message; a scheduler that
 * cannot be asked gives its QQError message to every id of the call.
 */
async function resolveJobIds(ids, system, ctx) {
    const out = new Map();
    const valid = [];
    for (const id of ids) {
        if (out.has(id) || valid.includes(id))
            continue;
        try {
            valid.push(validateJobId(id));
        }
        catch (e) {
            out.set(id, { id, ok: false, error: (0,errors/* errorMessage */.g)(e) });
        }
    }
    if (valid.length === 0)
        return out;
    let answers;
    try {
        answers = await system.queryJobs(valid, ctx);
    }
    catch (e) {
        const error = (0,errors/* errorMessage */.g)(e);
        for (const id of valid)
            out.set(id, { id, ok: false, error });
        return out;
    }
    for (const id of valid) {
        const info = answers.get(id);
        if (!info?.found) {
            out.set(id, { id, ok: false, error: info?.queryError ?? jobDoesNotExist(id), info });
        }
        else if (!info.infoFile)
            out.set(id, { id, ok: false, error: notAQqJob(id), info });
        else
            out.set(id, { id, ok: true, info, infoFile: info.infoFile });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/domain/suitability.ts
/**
 * qq's Navigator predicates (docs/qq-behaviour.md §4), `Syncer.ensure_suitable` (§5.1) in its exact order with
 * its exact messages, the no-destination error of `Syncer.sync`, and the state texts of the
 * job status panel (§2.6).
 *
 * Pure: no I/O. (`workDirIsInputDir` anchors relative paths to `process.cwd()` unless a cwd
 * is given; it never touches the file system.)
 */





// qq's messages (docs/qq-behaviour.md §5.1), verbatim.
const IMPLICITLY_SYNCHRONIZED_MESSAGE = 'Working directory of the job is the input directory of the job: implicitly synchronized.';
const SYNCHRONIZED_MESSAGE = 'Job has been completed and was synchronized: working directory no longer exists.';
const KILLED_NO_WORK_DIR_MESSAGE = 'Job has been killed and no working directory is available.';
const QUEUED_MESSAGE = 'Job is queued or booting: nothing to sync.';
const NO_DESTINATION_MESSAGE = "Host ('main_node') or working directory ('work_dir') are not defined.";
/** Navigator.has_destination: both `main_node` and `work_dir` present and non-empty. */
function hasDestination(info) {
    return Boolean(info.mainNode) && Boolean(info.workDir);
}
/** `{host, workDir}` when the job has a destination, else undefined (Informer.get_destination). */
function getDestination(info) {
    return info.mainNode && info.workDir ? { host: info.mainNode, workDir: info.workDir } : undefined;
}
/** Navigator.is_queued: QUEUED, BOOTING, HELD or WAITING. */
function isQueued(state) {
    return (state === RealState.QUEUED ||
        state === RealState.BOOTING ||
        state === RealState.HELD ||
        state === RealState.WAITING);
}
/** Navigator.is_killed: KILLED, or EXITING without an exit code (being killed). */
function isKilled(state, exitCode) {
    return state === RealState.KILLED || (state === RealState.EXITING && exitCode === undefined);
}
/**
 * Navigator.is_synchronized (v0.8+): an exit code is recorded and at least one transfer mode
 * matches it. Deliberately ignores the real state and whether the directory exists.
 */
function isSynchronized(exitCode, transferModes) {
    if (exitCode === undefined)
        return false;
    return transferModes.some((m) => transferModeMatches(m, exitCode));
}
/**
 * The logical absolute form of a path (qq's `logical_resolve`, v0.10+): relative paths are
 * anchored to `cwd`, then `.` and `..` are collapsed as text; symlinks are never followed and
 * a trailing `/` is dropped.
 */
function normalizeLogical(p, cwd = process.cwd()) {
    return external_node_path_.posix.resolve(cwd, p);
}
/**
 * Host names compare equal case-insensitively (a trailing root `.` ignored), or when one is a
 * short name (no dot) equal to the first label of the other: qq ≤ 0.9 wrote short names,
 * v0.10+ FQDNs (docs/qq-behaviour.md §10.1). Empty or missing names never match.
 */
function hostsMatch(a, b) {
    if (!a || !b)
        return false;
    const norm = (h) => h.trim().toLowerCase().replace(/\.$/, '');
    const x = norm(a);
    const y = norm(b);
    if (x === '' || y === '')
        return false;
    if (x === y)
        return true;
    const first = (h) => h.split('.', 1)[0];
    if (!x.includes('.') && y.includes('.'))
        return x === first(y);
    if (!y.includes('.') && x.includes('.'))
        return y === first(x);
    return false;
}
/**
 * Navigator.work_dir_is_input_dir (v0.8+): the job has a destination, its work dir is the input
 * dir (logical paths), and the job does not use scratch or ran on the input machine
 * (`main_node` vs the file's `input_machine`, compared with `hostsMatch`).
 */
function workDirIsInputDir(info, cwd) {
    const destination = getDestination(info);
    if (!destination)
        return false;
    const base = cwd ?? process.cwd();
    if (normalizeLogical(destination.workDir, base) !== normalizeLogical(info.inputDir, base)) {
        return false;
    }
    return !usesScratch(info) || hostsMatch(info.mainNode, info.inputMachine);
}
/**
 * Syncer.ensure_suitable (v0.8 … v0.12), as a value: the not-suitable message, or undefined
 * when the job is worth syncing. Order: input-dir, synchronized, killed without destination,
 * queued.
 */
function checkSuitable(info, state, cwd) {
    if (workDirIsInputDir(info, cwd))
        return IMPLICITLY_SYNCHRONIZED_MESSAGE;
    if (isSynchronized(info.jobExitCode, info.transferMode))
        return SYNCHRONIZED_MESSAGE;
    if (isKilled(state, info.jobExitCode) && !hasDestination(info)) {
        return KILLED_NO_WORK_DIR_MESSAGE;
    }
    if (isQueued(state))
        return QUEUED_MESSAGE;
    return undefined;
}
/** The check at the start of Syncer.sync: throws QQError without a destination. */
function ensureDestination(info) {
    const destination = getDestination(info);
    if (!destination)
        throw new QQError(NO_DESTINATION_MESSAGE);
    return destination;
}
// ---------------------------------------------------------------------------------------------
// Texts of the job status panel (docs/qq-behaviour.md §2.6)
const STATE_MESSAGES = {
    QUEUED: 'Job is queued',
    HELD: 'Job is held',
    WAITING: 'Job is waiting',
    SUSPENDED: 'Job is suspended',
    RUNNING: 'Job is running',
    BOOTING: 'Job is booting',
    KILLED: 'Job has been killed',
    FAILED: 'Job has failed',
    FINISHED: 'Job has finished',
    EXITING: 'Job is exiting',
    IN_AN_INCONSISTENT_STATE: 'Job is in an inconsistent state',
    UNKNOWN: 'Job is in an unknown state',
};
/** The `Job state:` message of qq's panel (`Job is running`, `Job has been killed`, …). */
function stateMessage(state) {
    return STATE_MESSAGES[state];
}
/** qq's `format_duration_wdhhmmss`: `[Nw ][Nd ]HH:MM:SS`. */
function formatDurationWdhhmmss(totalSecondsIn) {
    const total = Math.trunc(totalSecondsIn);
    // Python's divmod floors; keep that for negative spans too.
    const divmod = (a, b) => {
        const q = Math.floor(a / b);
        return [q, a - q * b];
    };
    const [weeks, r1] = divmod(total, 7 * 24 * 3600);
    const [days, r2] = divmod(r1, 24 * 3600);
    const [hours, r3] = divmod(r2, 3600);
    const [minutes, seconds] = divmod(r3, 60);
    const parts = [];
    if (weeks > 0)
        parts.push(`${weeks}w`);
    if (days > 0)
        parts.push(`${days}d`);
    const p = (n) => String(n).padStart(2, '0');
    parts.push(`${p(hours)}:${p(minutes)}:${p(seconds)}`);
    return parts.join(' ');
}
/** Seconds since the epoch of a `YYYY-MM-DD HH:MM:SS` local timestamp (as qq's naive datetime). */
function naiveSeconds(ts) {
    const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(ts);
    if (!m)
        return undefined;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
    return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
}
/** A Date as a naive local `YYYY-MM-DD HH:MM:SS` (qq's `datetime.now()`). */
function formatLocalTimestamp(date) {
    const p = (n) => String(n).padStart(2, '0');
    return (`${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ` +
        `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`);
}
/**
 * The details line under the state message of qq's panel (docs/qq-behaviour.md §2.6); empty for SUSPENDED.
 * Spans run from `start_time` (or `submission_time`) to `completion_time` (or now).
 */
function stateDetails(state, info, options = {}) {
    const begin = info.startTime ?? info.submissionTime;
    const end = info.completionTime ?? formatLocalTimestamp(options.now ?? new Date());
    const duration = () => {
        const a = naiveSeconds(begin);
        const b = naiveSeconds(end);
        return a === undefined || b === undefined ? '??:??:??' : formatDurationWdhhmmss(b - a);
    };
    switch (state) {
        case RealState.QUEUED:
        case RealState.HELD:
        case RealState.WAITING:
            return `In queue for ${duration()}`;
        case RealState.SUSPENDED:
            return '';
        case RealState.RUNNING: {
            const all = info.allNodes;
            let nodes;
            if (!all || all.length === 0 || !info.mainNode)
                nodes = 'unknown node(s)';
            else if (all.length === 1)
                nodes = `'${info.mainNode}'`;
            else
                nodes = `'${info.mainNode}' and ${all.length - 1} other node${all.length > 2 ? 's' : ''}`;
            return `Running for ${duration()} on ${nodes}`;
        }
        case RealState.BOOTING:
            // qq prints Python's None when the scheduler does not know the node.
            return `Preparing working directory on '${options.batchMainNode ?? 'None'}'`;
        case RealState.KILLED:
            return `Killed at ${end}`;
        case RealState.FAILED:
            return `Failed at ${end} [exit code: ${info.jobExitCode ?? 'None'}]`;
        case RealState.FINISHED:
            return `Completed at ${end}`;
        case RealState.EXITING:
            if (info.jobExitCode === undefined)
                return 'Job is being killed';
            if (info.jobExitCode === 0)
                return 'Job is finishing successfully';
            return `Job is failing [exit code: ${info.jobExitCode}]`;
        case RealState.IN_AN_INCONSISTENT_STATE:
            return 'The batch system and qq disagree on the status of the job';
        default:
            return 'Job is in a state that qq does not recognize';
    }
}

;// CONCATENATED MODULE: ./src/jobs/infofiles.ts
/**
 * Reading and finding qq info files on the local file system (docs/qq-behaviour.md §1.6, §1.9).
 *
 * - `readInfoFile` reads one file with qq's local read errors. It follows a symlinked info
 *   file, as qq does (Python's `open`), but refuses anything that is not a regular file once
 *   opened (a FIFO would block, a device could be endless) and any file larger than
 *   MAX_INFO_FILE_BYTES, checked on the open descriptor before reading it whole.
 * - `findInfoFiles` is qq's `get_info_files`: regular files (symlinks to regular files count,
 *   as Python's `is_file` follows them) directly in a directory whose last suffix is exactly
 *   `.qqinfo`, oldest mtime first (ties by name, so the order is deterministic).
 */






/** The suffix qq gives info files (config `[suffixes] qq_info`). */
const INFO_FILE_SUFFIX = '.qqinfo';
function errnoCode(e) {
    return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined;
}
function tooLarge(path, size) {
    return new QQError(`qq info file '${path}' is too large (${size} bytes; the limit is ${MAX_INFO_FILE_BYTES} bytes).`);
}
function readError(e, path) {
    switch (errnoCode(e)) {
        case 'ENOENT':
        case 'ENOTDIR':
            return new QQError(`qq info file '${path}' does not exist.`);
        case 'EACCES':
        case 'EPERM':
            return new QQError(`No permission to read file '${path}' or access its parent directory.`);
        case 'EISDIR':
            return new QQError(`Expected a file but path is a directory: ${path}.`);
        case 'ELOOP':
            return new QQError(`Could not read qq info file '${path}': too many levels of symbolic links.`);
        default: {
            const msg = (0,errors/* errorMessage */.g)(e);
            return new QQError(`Could not read qq info file '${path}': ${msg}.`);
        }
    }
}
/**
 * The bytes of an info file, at most MAX_INFO_FILE_BYTES, with qq's read errors. `path` is
 * used as given in messages.
 */
async function readInfoFileBytes(path) {
    let handle;
    try {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; harmless for regular files.
        handle = await (0,promises_.open)(path, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK);
    }
    catch (e) {
        throw readError(e, path);
    }
    try {
        let st;
        try {
            st = await handle.stat();
        }
        catch (e) {
            throw readError(e, path);
        }
        if (st.isDirectory())
            throw new QQError(`Expected a file but path is a directory: ${path}.`);
        if (!st.isFile())
            throw new QQError(`Expected a regular file: ${path}.`);
        if (st.size > MAX_INFO_FILE_BYTES)
            throw tooLarge(path, st.size);
        // Read at most one byte more than the limit: the file may grow after the stat. The buffer
        // starts at the stat's size (a campaign reads hundreds of files at once: a buffer of the
        // limit each was 1 MiB per job, most of the 520-job campaign's peak memory) and grows.
        let buf = new Uint8Array(Math.min(st.size + 1, MAX_INFO_FILE_BYTES + 1));
        let total = 0;
        for (;;) {
            if (total === buf.length) {
                const bigger = new Uint8Array(Math.min(buf.length * 2, MAX_INFO_FILE_BYTES + 1));
                bigger.set(buf);
                buf = bigger;
            }
            let n;
            try {
                ({ bytesRead: n } = await handle.read(buf, total, buf.length - total, null));
            }
            catch (e) {
                throw readError(e, path);
            }
            if (n === 0)
                break;
            total += n;
            if (total > MAX_INFO_FILE_BYTES)
                throw tooLarge(path, `more than ${MAX_INFO_FILE_BYTES}`);
        }
        return buf.subarray(0, total);
    }
    finally {
        await handle.close().catch(() => undefined);
    }
}
/** Decode UTF-8 strictly (qq: `File is not valid UTF-8 text: <path>.`); a BOM is dropped. */
function decodeInfoFile(bytes, path) {
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    }
    catch {
        throw new QQError(`File is not valid UTF-8 text: ${path}.`);
    }
}
/** Read and parse a qq info file (docs/qq-behaviour.md §1.6). Throws QQError with qq's messages. */
async function readInfoFile(path) {
    const bytes = await readInfoFileBytes(path);
    return parseInfoFile(decodeInfoFile(bytes, path), path);
}
/** Python's `Path.suffix == '.qqinfo'`: the last dot-suffix, a leading dot does not count. */
function hasInfoSuffix(name) {
    const i = name.lastIndexOf('.');
    return i > 0 && i < name.length - 1 && name.slice(i) === INFO_FILE_SUFFIX;
}
/**
 * qq's `get_info_files(dir)`: absolute paths of the regular files directly in `dir` whose
 * last suffix is exactly `.qqinfo`, oldest modification time first (ties by name).
 */
async function findInfoFiles(dir) {
    const absDir = (0,external_node_path_.resolve)(dir);
    let names;
    try {
        names = await (0,promises_.readdir)(absDir);
    }
    catch (e) {
        switch (errnoCode(e)) {
            case 'ENOENT':
                throw new QQError(`Directory '${dir}' does not exist.`);
            case 'ENOTDIR':
                throw new QQError(`Expected a directory but path is a file: ${dir}.`);
            case 'EACCES':
            case 'EPERM':
                throw new QQError(`No permission to read directory '${dir}'.`);
            default:
                throw new QQError(`Could not read directory '${dir}': ${(0,errors/* errorMessage */.g)(e)}.`);
        }
    }
    const found = [];
    for (const name of names) {
        if (!hasInfoSuffix(name))
            continue;
        const path = (0,external_node_path_.resolve)(absDir, name);
        let st;
        try {
            st = await (0,promises_.stat)(path); // follows symlinks, like Python's is_file()
        }
        catch {
            continue; // vanished, dangling symlink, no permission: not a file qq would see
        }
        if (!st.isFile())
            continue;
        found.push({ path, name, mtimeMs: st.mtimeMs });
    }
    found.sort((a, b) => a.mtimeMs !== b.mtimeMs
        ? a.mtimeMs - b.mtimeMs
        : a.name < b.name
            ? -1
            : a.name > b.name
                ? 1
                : 0);
    return found.map((f) => f.path);
}

;// CONCATENATED MODULE: ./src/action/shard.ts
/**
 * The `shard` input (`2/8`): a campaign too big for one runner is split over a matrix of
 * steps, each fetching the jobs of its shard. A job's shard follows from its id alone (a
 * stable hash), so every step of the matrix agrees without talking to the others, and each
 * job lands in exactly one shard. Pure: no I/O.
 */

/** `'2/8'` → { index: 2, count: 8 }; '' → undefined (no sharding). */
function parseShard(text) {
    const raw = text.trim();
    if (raw === '')
        return undefined;
    const m = /^(\d+)\s*\/\s*(\d+)$/.exec(raw);
    const index = Number(m?.[1]);
    const count = Number(m?.[2]);
    if (!m || count < 1 || count > 10_000 || index < 1 || index > count) {
        throw new InputError(`Input 'shard' must be 'k/n' with 1 ≤ k ≤ n ≤ 10000 (this step's shard of n, e.g. '2/8'); got '${raw}'.`);
    }
    return { index, count };
}
/**
 * FNV-1a (32 bits) of the id's first part, with murmur3's final mix: FNV's low bits depend
 * only on the low bits of each character, and ids that count up (`6000`, `6001`, …) would
 * otherwise fill the shards unevenly. The first part only: `123.pbs-server` and `123` are
 * one job to qq (jobIdMatches), so they land in the same shard whichever form a step sees.
 */
function shardKey(id) {
    const dot = id.indexOf('.');
    const head = dot < 0 ? id : id.slice(0, dot);
    let h = 0x811c9dc5;
    for (let i = 0; i < head.length; i++) {
        h ^= head.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
}
/** Whether the job with this id (or, without one, this label) belongs to `shard`. */
function inShard(id, shard) {
    return !shard || shardKey(id) % shard.count === shard.index - 1;
}
/** `shard 2/8` for messages. */
function describeShard(shard) {
    return `shard ${shard.index}/${shard.count}`;
}

;// CONCATENATED MODULE: ./src/action/targets.ts
/**
 * From the `path` and `job-id` inputs to the list of jobs, in qq's order: ids first, then the
 * info files of each path (each directory's files oldest first). A target that cannot be
 * prepared carries its error and fails alone (qq v0.11+: per-job isolation).
 */








const GLOB_CHARS = /[*?[\]{}]/;
/** Expand one `path` line to info files (absolute), or throw a QQError for that line. */
async function expandPathLine(line, workspace) {
    const absolute = external_node_path_.resolve(workspace, line);
    const candidates = GLOB_CHARS.test(line)
        ? (await (await (await __webpack_require__.e(/* import() */ 377).then(__webpack_require__.bind(__webpack_require__, 2377))).create(absolute, {
            implicitDescendants: false,
            matchDirectories: true,
        })).glob()).sort()
        : [absolute];
    if (candidates.length === 0)
        throw new QQError(`No file or directory matches '${line}'.`);
    const files = [];
    for (const candidate of candidates) {
        let s;
        try {
            s = await (0,promises_.stat)(candidate);
        }
        catch {
            throw new QQError(`Path '${line}' does not exist.`);
        }
        if (s.isDirectory())
            files.push(...(await findInfoFiles(candidate)));
        else if (candidate.endsWith('.qqinfo'))
            files.push(candidate);
        else if (!GLOB_CHARS.test(line)) {
            throw new QQError(`Path '${line}' is neither a directory nor a .qqinfo file.`);
        }
    }
    return files;
}
/** Read an info file into the job, or record the error on it. */
async function loadInfo(job, override) {
    if (!job.infoFile)
        return;
    try {
        const info = await readInfoFile(job.infoFile);
        job.info = info;
        job.system = getBatchSystem(override ?? info.batchSystem);
        job.error = undefined;
    }
    catch (e) {
        job.error = (0,errors/* errorMessage */.g)(e);
    }
}
/** qq's §3.4 for every id, with one scheduler call for all of them. */
async function jobsFromIds(settings, ctx, env) {
    // Another shard's ids are left out before the scheduler is asked: one call per shard, for
    // its own jobs only.
    const ids = settings.jobIds.filter((id) => inShard(id, settings.shard));
    if (ids.length === 0)
        return [];
    const system = getBatchSystem(await resolveBatchSystemName(settings.batchSystem, env));
    const resolved = await resolveJobIds(ids, system, ctx);
    const jobs = [];
    const seen = new Set();
    for (const id of ids) {
        if (seen.has(id))
            continue;
        seen.add(id);
        const r = resolved.get(id);
        const job = { label: id, requestedId: id, system, batch: r?.info };
        if (!r)
            job.error = jobDoesNotExist(id);
        else if (!r.ok)
            job.error = r.error;
        else
            job.infoFile = r.infoFile;
        jobs.push(job);
    }
    await Promise.all(jobs
        .filter((j) => j.infoFile)
        .map(async (job) => {
        await loadInfo(job, settings.batchSystem);
        if (job.info && !jobIdMatches(job.label, job.info.jobId)) {
            job.error = infoFileNotReachable(job.label);
            job.info = undefined;
        }
        // Keep the system the id was resolved with: its answer is the one we have.
        job.system = system;
    }));
    return jobs;
}
async function collectJobs(settings, ctx, env, found = { all: 0 }) {
    const jobs = settings.jobIds.length > 0 ? await jobsFromIds(settings, ctx, env) : [];
    found.all = new Set(settings.jobIds).size;
    const seen = new Set(jobs.map((j) => j.infoFile).filter(Boolean));
    for (const line of settings.paths) {
        let files;
        try {
            files = await expandPathLine(line, settings.workspace);
        }
        catch (e) {
            jobs.push({ label: line, error: (0,errors/* errorMessage */.g)(e) });
            continue;
        }
        for (const file of files) {
            if (seen.has(file))
                continue;
            seen.add(file);
            jobs.push({ label: external_node_path_.relative(settings.workspace, file) || file, infoFile: file });
        }
    }
    const fromIds = jobs.filter((j) => j.requestedId).length;
    const fromPaths = jobs.slice(fromIds);
    await Promise.all(fromPaths.filter((j) => !j.info && !j.error).map((j) => loadInfo(j, settings.batchSystem)));
    found.all += fromPaths.length;
    if (!settings.shard)
        return jobs;
    // A job found through `path` has its id once its info file is read; a target without one
    // (unreadable) goes by its label, so that it too is reported by exactly one shard.
    return [
        ...jobs.slice(0, fromIds),
        ...fromPaths.filter((j) => inShard(j.info?.jobId ?? j.label, settings.shard)),
    ];
}

;// CONCATENATED MODULE: ./src/action/states.ts
/**
 * The real state of every job: the info file's naive state combined with the scheduler's
 * answer, asked with one call per batch system for all jobs (docs/qq-behaviour.md §2.5, §3).
 */




function realStateOf(job) {
    if (!job.info)
        return undefined;
    // qq does not ask the scheduler about a job whose file says `unknown`.
    if (job.info.jobState === NaiveState.UNKNOWN)
        return RealState.UNKNOWN;
    return realStateFrom(job.info.jobState, job.batch?.state ?? BatchState.UNKNOWN);
}
/**
 * Ask the schedulers about `jobs`. A scheduler that cannot be asked at all (missing command,
 * timeout) is what qq calls an empty answer: the jobs' batch state is UNKNOWN, with a warning.
 * @param reread read the info files again first (while waiting: `qq run` updates them)
 * @param all also ask about jobs that already have an answer (polling)
 */
async function refreshStates(jobs, settings, ctx, options) {
    if (options.reread) {
        await Promise.all(jobs.filter((j) => j.infoFile).map((j) => loadInfo(j, settings.batchSystem)));
    }
    const groups = new Map();
    for (const job of jobs) {
        if (!job.info || !job.system || job.error)
            continue;
        if (job.info.jobState === NaiveState.UNKNOWN)
            continue;
        if (job.batch && !options.all)
            continue;
        try {
            validateJobId(job.info.jobId);
        }
        catch (e) {
            job.error = (0,errors/* errorMessage */.g)(e);
            continue;
        }
        const group = groups.get(job.system.name) ?? [];
        group.push(job);
        groups.set(job.system.name, group);
    }
    await Promise.all([...groups.values()].map(async (group) => {
        const system = group[0]?.system;
        if (!system)
            return;
        const ids = [...new Set(group.map((j) => j.info?.jobId))];
        try {
            const answers = await system.queryJobs(ids, ctx);
            for (const job of group)
                job.batch = answers.get(job.info?.jobId);
            // Asked, but not answered for some jobs (PBS: their server did not answer).
            const unanswered = new Map();
            for (const job of group) {
                const why = job.batch?.queryError;
                if (why)
                    unanswered.set(why, (unanswered.get(why) ?? 0) + 1);
            }
            for (const [why, n] of unanswered) {
                options.warn(`${system.name} scheduler could not be asked about ${n} job(s) (${why}); their state is taken from their info files alone.`);
            }
        }
        catch (e) {
            options.warn(`${system.name} scheduler could not be asked (${(0,errors/* errorMessage */.g)(e)}); the state of ${group.length} job(s) is taken from their info files alone.`);
            for (const job of group)
                job.batch = undefined;
        }
    }));
}

;// CONCATENATED MODULE: ./src/transfer/files.ts
/**
 * The `files` input (qq's `-f`): split as qq splits it, and every entry kept inside the job's
 * working directory. Pure: no I/O.
 */


/** qq's `_split_files`: spaces, colons, commas (and newlines); empty → undefined (everything). */
function splitFiles(text) {
    if (!text)
        return undefined;
    const items = text.split(/[\s:,]+/).filter((s) => s.length > 0);
    return items.length > 0 ? items : undefined;
}
/** qq's message for an entry outside the working directory. */
function notInTargetMessage(item, workDir) {
    return `Item '${item}' is not in target directory '${workDir}'.`;
}
/**
 * Each entry as a path relative to `workDir` (posix, no `.`/`..` left). An absolute entry must
 * lie inside `workDir`; a relative one must not climb out of it (`..`, `sub/../../x`); an entry
 * that could be read as an option is refused.
 */
function validateFiles(entries, workDir) {
    const root = external_node_path_.posix.normalize(workDir).replace(/\/+$/, '') || '/';
    return entries.map((entry) => {
        if (entry.startsWith('-')) {
            throw new InputError(`Item '${entry}' of 'files' looks like an option; name it as './${entry}' if it is a file.`);
        }
        if (/[\0\n\r]/.test(entry))
            throw new InputError(`Item of 'files' holds a control character.`);
        const absolute = external_node_path_.posix.isAbsolute(entry) ? entry : `${root}/${entry}`;
        const normalized = external_node_path_.posix.normalize(absolute);
        const relative = external_node_path_.posix.relative(root, normalized);
        if (relative === '' || relative === '.')
            return '.';
        if (relative === '..' || relative.startsWith('../') || external_node_path_.posix.isAbsolute(relative)) {
            throw new QQError(notInTargetMessage(absolute, workDir));
        }
        return relative;
    });
}
/**
 * rsync filter arguments that select `files` (relative to the source root). When every entry is
 * top-level: qq's form (`--include X --include X/*** … --exclude *`), so that qq's argv is kept
 * where qq's behaviour is wanted. When an entry is nested (which qq silently skips): every
 * pattern anchored at the root, with the parent directories included
 * (`--include /sub/ --include /sub/a.txt --include /sub/a.txt/*** …`); anchoring matters there,
 * since an unanchored `a.txt` would also pick `sub/a.txt` once `sub/` is traversed.
 * rsync wildcards keep working at every level.
 */
function includeFilters(relative) {
    if (relative.includes('.'))
        return [];
    const nested = relative.some((rel) => rel.includes('/'));
    const args = [];
    const parents = new Set();
    for (const rel of relative) {
        if (!nested) {
            args.push('--include', rel, '--include', `${rel}/***`);
            continue;
        }
        const parts = rel.split('/');
        for (let i = 1; i < parts.length; i++) {
            const parent = `/${parts.slice(0, i).join('/')}/`;
            if (!parents.has(parent)) {
                parents.add(parent);
                args.push('--include', parent);
            }
        }
        args.push('--include', `/${rel}`, '--include', `/${rel}/***`);
    }
    args.push('--exclude', '*');
    return args;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/transfer/progress.ts
/**
 * rsync's stdout on a file rather than a pipe, and its `--info=progress2` records sampled
 * from that file: through a pipe every record wakes the reader.
 */



/** An open, empty file in a new private temporary directory; undefined if none can be made. */
async function stdoutFile() {
    let dir;
    try {
        dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'qq-sync-rsync-'));
        const file = await (0,promises_.open)((0,external_node_path_.join)(dir, 'stdout'), 'w+', 0o600);
        const made = dir;
        return {
            file,
            remove: async () => {
                await file.close().catch(() => { });
                await (0,promises_.rm)(made, { recursive: true, force: true }).catch(() => { });
            },
        };
    }
    catch {
        if (dir)
            await (0,promises_.rm)(dir, { recursive: true, force: true }).catch(() => { });
        return undefined;
    }
}
/** The last `max` bytes written to `file` so far, as text (latin1: one char per byte). */
async function readTail(file, max, encoding = 'utf8') {
    const { size } = await file.stat();
    const length = Math.min(size, max);
    if (length === 0)
        return '';
    const buf = Buffer.alloc(length);
    const { bytesRead } = await file.read(buf, 0, length, size - length);
    return buf.subarray(0, bytesRead).toString(encoding);
}
/**
 * Every `every` ms (at least 20), the newest progress record written to `file` so far, given
 * to `show`; one read at a time. Returns the function that stops it (safe to call twice).
 */
function sampleProgress(file, every, show) {
    let busy = false;
    const timer = setInterval(() => {
        if (busy)
            return;
        busy = true;
        readTail(file, 4096)
            .then((tail) => show(lastProgressLine(tail)))
            .catch(() => { })
            .finally(() => {
            busy = false;
        });
    }, Math.max(every, 20));
    return () => clearInterval(timer);
}
/**
 * The newest complete progress2 record in `tail`, one-spaced:
 * `    1,234,567  45%   12.34MB/s    0:00:03 (xfr#3, to-chk=0/10)` → `1,234,567 45% 12.34MB/s 0:00:03 (xfr#3, to-chk=0/10)`.
 * Records end with `\r` (or `\n` for a file's last one); the text after the last end may be
 * half-written and is ignored.
 */
function lastProgressLine(tail) {
    const records = tail.split(/\r\n|\n|\r/);
    records.pop();
    for (let i = records.length - 1; i >= 0; i--) {
        const line = records[i];
        if (/^\s*[\d,.]+\s+\d+%/.test(line))
            return line.trim().replace(/\s+/g, ' ');
    }
    return undefined;
}

// EXTERNAL MODULE: ./node_modules/shell-quote/parse.js
var parse = __webpack_require__(2696);
var parse_default = /*#__PURE__*/__webpack_require__.n(parse);
;// CONCATENATED MODULE: ./src/transfer/ssh-options.ts
/**
 * The `ssh-options` input: each line split into words as a shell would (quotes, backslash
 * escapes) without running one, then read as ssh(1) reads its options, so that
 * `-p 2222 -i ~/.ssh/key`, `-oProxyJump=gw`, `-p2222` and `-o "ProxyCommand=ssh -W %h:%p gw"`
 * all work. Anything that is not an ssh option (a host, a command, a shell operator, a
 * variable) is refused with a message that names the input: no shell ever sees these words.
 */



/** ssh's options without a value (ssh(1) synopsis). */
const FLAGS = new Set('46AaCfGgKkMNnqsTtVvXxYy');
/** ssh's options that take a value. */
const WITH_VALUE = new Set('BbcDEeFIiJLlmOopQRSWw');
/** Options that change what ssh does (no remote command, a control command, a query): never ours to pass. */
const REFUSED = new Set('fGMNOQsVW');
const EXAMPLES = "like '-p 2222', '-i ~/.ssh/key' or '-o ProxyJump=gw'";
function refuse(line, why) {
    throw new InputError(`Input 'ssh-options', line '${line}': ${why}; write ssh options ${EXAMPLES}.`);
}
/** Where a shell would stop with "unexpected EOF": an unclosed quote, a trailing backslash. */
function unterminated(line) {
    let quote;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote === "'") {
            if (c === "'")
                quote = undefined;
        }
        else if (c === '\\') {
            if (i === line.length - 1)
                return 'a trailing backslash';
            i++;
        }
        else if (quote === '"') {
            if (c === '"')
                quote = undefined;
        }
        else if (c === '"' || c === "'") {
            quote = c;
        }
    }
    if (quote === "'")
        return 'an unterminated single quote';
    if (quote === '"')
        return 'an unterminated double quote';
    return undefined;
}
/** One line as shell words; operators, variables and command substitution are refused. */
function words(line) {
    const broken = unterminated(line);
    if (broken)
        refuse(line, `it has ${broken}`);
    const out = [];
    // A variable comes back as this marker object: there is no shell to expand it.
    const entries = parse_default()(line, (name) => ({ variable: name }));
    for (const e of entries) {
        if (typeof e === 'string')
            out.push(e);
        else if ('comment' in e)
            break;
        else if ('variable' in e) {
            refuse(line, `'$${String(e.variable)}' is not expanded (no shell runs)`);
        }
        else if (e.op === 'glob')
            out.push(e.pattern);
        else
            refuse(line, `'${e.op}' is a shell operator and no shell runs`);
    }
    return out;
}
function expandHome(value, home) {
    return value.replace(/^~(?=\/|$)/, home).replace(/^([A-Za-z]+[=\s]+)~(?=\/|$)/, `$1${home}`);
}
/**
 * The `ssh-options` lines as ssh argv words, each option separately (`-p`, `2222`, `-o`,
 * `ProxyJump=gw`), `~` expanded to `home`. Throws an InputError naming the input.
 */
function parseSshOptions(lines, home = (0,external_node_os_.homedir)()) {
    const argv = [];
    for (const raw of lines) {
        const line = raw.trim();
        if (!line)
            continue;
        const ws = words(line);
        for (let i = 0; i < ws.length; i++) {
            const word = ws[i];
            if (!/^-[^-]/.test(word)) {
                refuse(line, `'${word}' is not an ssh option`);
            }
            // ssh's getopt: flags may be grouped (`-vC`); an option with a value takes the rest of
            // the word (`-p2222`, `-oProxyJump=gw`) or the next word.
            for (let j = 1; j < word.length; j++) {
                const letter = word[j];
                if (REFUSED.has(letter)) {
                    refuse(line, `'-${letter}' changes what ssh does, not how it connects, and is not allowed`);
                }
                if (FLAGS.has(letter)) {
                    argv.push(`-${letter}`);
                    continue;
                }
                if (!WITH_VALUE.has(letter))
                    refuse(line, `'-${letter}' is not an ssh option`);
                let value = word.slice(j + 1);
                if (!value) {
                    const next = ws[i + 1];
                    if (next === undefined || next.startsWith('-'))
                        refuse(line, `'-${letter}' needs a value`);
                    value = next;
                    i++;
                }
                if (!value.trim())
                    refuse(line, `'-${letter}' has an empty value`);
                if (letter === 'o' && !/^[A-Za-z]+\s*=?/.test(value)) {
                    refuse(line, `'-o ${value}' is not an ssh_config option (Keyword=value)`);
                }
                argv.push(`-${letter}`, expandHome(value, home));
                break;
            }
        }
    }
    return argv;
}

;// CONCATENATED MODULE: ./src/transfer/ssh.ts
/**
 * ssh as rsync and `follow` use it: qq's options, never a prompt, a connect timeout, the
 * host-key policy, and the user's `ssh-options` — as argv, and as rsync's `-e` string.
 */




const CONNECT_TIMEOUT_SEC = 30;
/** Most bytes `follow` reads of a file per poll (here and in the local reader). */
const FOLLOW_CHUNK_BYTES = 256 * 1024;
/** The ssh argv before the host: qq's options, ours, then the user's (theirs win: ssh takes the first). */
function sshArgs(settings) {
    return [
        ...parseSshOptions(settings.sshOptions),
        '-o',
        'GSSAPIAuthentication=yes',
        '-o',
        'PasswordAuthentication=no',
        '-o',
        `StrictHostKeyChecking=${settings.strictHostKeyChecking}`,
        '-o',
        'BatchMode=yes',
        '-o',
        `ConnectTimeout=${settings.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC}`,
        ...(settings.controlDir
            ? [
                '-o',
                'ControlMaster=auto',
                '-o',
                `ControlPath=${settings.controlDir}/%C`,
                '-o',
                'ControlPersist=60',
            ]
            : []),
    ];
}
/** One word for rsync's `-e` splitter, which honours single quotes. */
function rshWord(word) {
    if (/^[A-Za-z0-9_./=:@,+%~-]+$/.test(word))
        return word;
    if (word.includes("'")) {
        throw new InputError(`Input 'ssh-options': a value with a single quote cannot be passed to rsync: ${word}`);
    }
    return `'${word}'`;
}
/** rsync's `-e` value. */
function rsyncRsh(settings) {
    return ['ssh', ...sshArgs(settings)].map(rshWord).join(' ');
}
/** What ssh will try, for error messages: user, port, identity files, known-hosts file. */
function describeSsh(host, settings) {
    const words = parseSshOptions(settings.sshOptions);
    let user = settings.env?.USER ?? process.env.USER ?? 'the current user';
    let port = '22';
    const keys = [];
    let knownHosts = '~/.ssh/known_hosts';
    for (let i = 0; i < words.length; i++) {
        const w = words[i];
        const v = words[i + 1] ?? '';
        if (w === '-l')
            user = v;
        else if (w === '-p')
            port = v;
        else if (w === '-i')
            keys.push(v);
        else if (w === '-o') {
            // `Keyword=value` or `Keyword value`; ssh_config writes a value with spaces in double quotes.
            const m = /^([A-Za-z]+)\s*=?\s*(.*)$/s.exec(v);
            const val = (m?.[2] ?? '').replace(/^"(.*)"$/, '$1');
            const key = (m?.[1] ?? '').toLowerCase();
            if (key === 'user')
                user = val;
            else if (key === 'port')
                port = val;
            else if (key === 'identityfile')
                keys.push(val);
            else if (key === 'userknownhostsfile')
                knownHosts = val;
        }
    }
    return `ssh to ${user}@${host} port ${port}, ${keys.length ? `key ${keys.join(', ')}` : 'default keys'}, known hosts ${knownHosts}`;
}
/** The known-hosts file ssh uses with these settings. */
function knownHostsFile(settings) {
    const m = /known hosts (.*)$/.exec(describeSsh('x', settings));
    return m?.[1] ?? '~/.ssh/known_hosts';
}
function shellQuote(s) {
    return `'${s.replaceAll("'", "'\\''")}'`;
}
/**
 * For `follow`: the bytes of a file on `host` from `offset` on (at most FOLLOW_CHUNK_BYTES), or undefined
 * if it cannot be read. The path is quoted for the remote shell; the host was validated. The
 * bytes travel as base64, so that output that is not UTF-8 arrives exactly (and the caller's
 * offset stays right).
 */
async function readRemoteChunk(host, file, offset, settings) {
    const q = shellQuote(file);
    const remote = `test -r ${q} && tail -c +${offset + 1} -- ${q} | head -c ${FOLLOW_CHUNK_BYTES} | base64`;
    const r = await (0,exec_run/* runCommand */.d1)(['ssh', ...sshArgs(settings), '--', host, remote], {
        timeoutMs: ((settings.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC) + 30) * 1000,
        env: settings.env,
    });
    if (r.code !== 0)
        return undefined;
    return Buffer.from(r.stdout.replace(/\s+/g, ''), 'base64');
}
/**
 * Open the run's shared connection to `host` (`controlDir` must be set): a background master
 * (`ssh -f -N`, ControlMaster=yes) that every later ssh of the run to the host rides on. Done
 * once per host before its first transfer, so that parallel transfers do not each make a
 * handshake of their own while the first is still connecting. True if it is open; when it is
 * not, each transfer connects by itself and reports what goes wrong in its own words.
 */
async function openSharedConnection(host, settings, timeoutMs) {
    if (!settings.controlDir)
        return { open: false, detail: 'no control directory' };
    const r = await (0,exec_run/* runCommand */.d1)(['ssh', ...sshArgs(settings), '-o', 'ControlMaster=yes', '-f', '-N', '--', host], { timeoutMs, env: settings.env });
    if (r.code === 0)
        return { open: true, detail: `in ${r.durationMs} ms` };
    const why = r.timedOut
        ? `no answer within ${Math.round(timeoutMs / 1000)} s`
        : r.spawnError
            ? r.spawnError.message
            : (r.stderr.trim().split('\n').pop() ?? `exit ${r.code}`);
    return { open: false, detail: why };
}
/**
 * Close the shared connections opened under `controlDir` (one `ssh -O exit` per host); also
 * in a cancelled run (a master is in a session of its own: nothing else ends it).
 */
async function closeSharedConnections(hosts, settings) {
    if (!settings.controlDir)
        return;
    await Promise.all([...new Set(hosts)].map((host) => (0,exec_run/* runCommand */.d1)(['ssh', ...sshArgs(settings), '-O', 'exit', '--', host], {
        timeoutMs: 10_000,
        env: settings.env,
        cleanup: true,
    })));
}

;// CONCATENATED MODULE: ./src/transfer/rsync.ts
/**
 * rsync as qq runs it (docs/qq-behaviour.md §6.2): `-rltD`, the source with a trailing slash, no `--delete`;
 * plus `-s` (paths reach the remote side as one word), `--update` for `overwrite: newer`,
 * `--stats` for the counts and `--info=progress2` for progress lines.
 *
 * The local rsync is asked its version once (`rsync --version`): `-s` exists since 3.0.0 (and
 * is `--secluded-args` from 3.2.4 on, with `-s`/`--protect-args` kept as names), so it is
 * always given as `-s`; `--info=progress2` exists since 3.1.0 and is left out before that.
 * rsync older than 3.0.0 cannot protect remote paths from the remote shell: refused for a
 * transfer over ssh. Files are written by rsync's default temporary-file-then-rename (no
 * `--inplace`, no `--partial`): a killed transfer never leaves a half-written file under a
 * final name.
 */







/** The `<host>:<path>` or `<path>` form qq uses in its messages (no trailing slash). */
function endpoint(host, dir) {
    return host ? `${host}:${dir}` : dir;
}
/** The job's source as qq names it in its messages. */
function source(job) {
    return endpoint(job.host, job.workDir.replace(/\/+$/, ''));
}
/** A current rsync (what the argv tests assume). */
const MODERN_RSYNC = {
    version: '3.2.7',
    protectArgs: true,
    progress2: true,
};
/** The capabilities from the first line of `rsync --version`, or undefined if unreadable. */
function parseRsyncVersion(text) {
    const m = /^rsync\s+version\s+v?(\d+)\.(\d+)\.(\d+)/m.exec(text);
    if (!m)
        return undefined;
    const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const atLeast = (a, b) => major > a || (major === a && minor >= b);
    return {
        version: `${major}.${minor}.${patch}`,
        protectArgs: atLeast(3, 0),
        progress2: atLeast(3, 1),
    };
}
const detected = new Map();
/**
 * The local rsync's capabilities, asked once per PATH; undefined when rsync is not installed.
 * An rsync whose version cannot be read is taken as current.
 */
function detectRsync(env = process.env) {
    const key = env.PATH ?? '';
    let found = detected.get(key);
    if (!found) {
        found = (0,exec_run/* runCommand */.d1)(['rsync', '--version'], { timeoutMs: 15_000, env }).then((r) => {
            if (r.spawnError) {
                (0,exec_run/* debugMessage */.Nz)('rsync: not installed here; local copies use the built-in copier');
                return undefined;
            }
            const caps = parseRsyncVersion(r.stdout) ?? { ...MODERN_RSYNC, version: 'unknown' };
            (0,exec_run/* debugMessage */.Nz)(`rsync ${caps.version} found (${r.stdout.split('\n')[0]?.trim()}): -s ${caps.protectArgs ? 'yes' : 'no'}, --info=progress2 ${caps.progress2 ? 'yes' : 'no'}`);
            return caps;
        });
        detected.set(key, found);
    }
    return found;
}
function rsyncArgv(job, caps = MODERN_RSYNC) {
    const src = `${endpoint(job.host, job.workDir.replace(/\/+$/, ''))}/`;
    if (job.host && !caps.protectArgs) {
        throw new QQError(`rsync ${caps.version} on this machine is too old to fetch over ssh safely (it cannot keep paths from the remote shell); rsync 3.0.0 or newer is needed.`);
    }
    return [
        'rsync',
        ...(job.host ? ['-e', rsyncRsh(job.ssh)] : []),
        job.filesFrom ? '-ltD' : '-rltD',
        ...(caps.protectArgs ? ['-s'] : []),
        ...(job.overwrite === 'newer' ? ['--update'] : []),
        ...(job.dryRun ? ['--dry-run'] : []),
        '--stats',
        ...(caps.progress2 ? ['--info=progress2'] : []),
        ...(job.filesFrom ? [`--files-from=${job.filesFrom}`, '--from0'] : []),
        ...(job.files && !job.filesFrom ? includeFilters(job.files) : []),
        '--',
        src,
        job.destination,
    ];
}
function statNumber(stats, label) {
    const m = new RegExp(`^${label}: ([\\d,.]+)`, 'm').exec(stats);
    return m ? Number(m[1].replace(/[,.]/g, '')) : 0;
}
/** Files and bytes transferred, from `--stats`. */
function parseStats(stdout) {
    return {
        files: statNumber(stdout, 'Number of regular files transferred'),
        bytes: statNumber(stdout, 'Total transferred file size'),
    };
}
/** rsync's exit codes (rsync(1), EXIT VALUES) and the shell's for a missing command. */
const RSYNC_EXIT = {
    SOCKET_IO: 10,
    PROTOCOL_STREAM: 12,
    TIMEOUT_IN_DATA: 30,
    TIMEOUT_CONNECTING: 35,
    /** `command not found` from the remote shell. */
    COMMAND_NOT_FOUND: 127,
    /** ssh itself failed (rsync passes its 255 on). */
    REMOTE_SHELL_FAILED: 255,
};
/** Exit codes and messages of a failure worth another attempt. */
function isTransient(code, stderr) {
    if (/Host key verification failed|Permission denied|No such file or directory|command not found|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr)) {
        return false;
    }
    if (code === RSYNC_EXIT.SOCKET_IO ||
        code === RSYNC_EXIT.PROTOCOL_STREAM ||
        code === RSYNC_EXIT.TIMEOUT_IN_DATA ||
        code === RSYNC_EXIT.TIMEOUT_CONNECTING) {
        return true;
    }
    if (code === RSYNC_EXIT.REMOTE_SHELL_FAILED) {
        return /Connection (refused|reset|closed|timed out)|timed out|kex_exchange_identification|No route to host|Network is unreachable|Broken pipe/i.test(stderr);
    }
    return false;
}
/** qq's message, with what ssh/rsync users miss most added after it. */
function failureMessage(job, stderr, code) {
    const detail = stderr
        .split('\n')
        .filter((l) => l.trim() && !/^rsync error: .* at (io|main|rsync)\.c/.test(l) && !/^\s*$/.test(l))
        .join('\n')
        .trim();
    let message = rsyncFailure(source(job), job.destination, detail || `rsync exited with code ${code}`);
    if (job.host) {
        if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
            message += ` The host key of '${job.host}' is missing from or differs from ${knownHostsFile(job.ssh)} (strict-host-key-checking: ${job.ssh.strictHostKeyChecking}).`;
        }
        else if (code === RSYNC_EXIT.COMMAND_NOT_FOUND ||
            /rsync: (command )?not found|rsync: No such file or directory/.test(stderr)) {
            message += ` rsync is not installed on '${job.host}' (or not on its PATH).`;
        }
        message += ` (${describeSsh(job.host, job.ssh)})`;
    }
    return message;
}
/**
 * Run rsync with its stdout (--info=progress2 writes a record for every file, --stats a block
 * at the end) on a file in a private temporary directory, sampled every `every` ms for `show`
 * and read once at the end for the counts: through a pipe every record would wake this
 * process, which slows transfers of many small files. The file holds about 80 bytes per
 * transferred file and is removed. Where no temporary file can be made, the pipe it is.
 */
async function runWithProgress(argv, run, every, show) {
    const sink = await stdoutFile();
    if (!sink) {
        let last = 0;
        const r = await (0,exec_run/* runCommand */.d1)(argv, {
            ...run,
            onStdoutLine: (line) => {
                const now = Date.now();
                if (now - last < every)
                    return;
                const progress = lastProgressLine(`${line}\n`);
                if (!progress || !show)
                    return;
                last = now;
                show(progress);
            },
        });
        return { r, stdout: r.stdout };
    }
    const stop = show ? sampleProgress(sink.file, every, show) : () => { };
    try {
        const r = await (0,exec_run/* runCommand */.d1)(argv, { ...run, stdoutFd: sink.file.fd });
        stop();
        return { r, stdout: await readTail(sink.file, 64 * 1024) };
    }
    finally {
        stop();
        await sink.remove();
    }
}
/** The error for a run that did not succeed (qq's message; `transient` when worth retrying). */
function runFailure(job, r, timeoutSec) {
    if (r.spawnError) {
        return new TransferError(rsyncFailure(source(job), job.destination, 'rsync is not installed here'), false);
    }
    if (r.timedOut) {
        return new TransferError(rsyncFailure(source(job), job.destination, `Connection timed out after ${timeoutSec} seconds`), true);
    }
    if (r.code === null) {
        // Killed by a signal from outside (not our timeout): say so rather than "code null".
        return new TransferError(failureMessage(job, `${r.stderr}\nrsync was killed by ${r.signal ?? 'a signal'}`, null), false);
    }
    const message = failureMessage(job, r.stderr, r.code);
    if (RSYNC_WORK_DIR_MISSING.test(r.stderr))
        return new WorkDirMissingError(message);
    return new TransferError(message, isTransient(r.code, r.stderr));
}
/** One rsync run; throws QQError with qq's message (and `transient` set) on failure. */
async function runRsync(job, options) {
    const argv = rsyncArgv(job, options.capabilities);
    const env = { ...(job.ssh.env ?? process.env), LC_ALL: 'C' };
    const onProgress = options.onProgress;
    let shown = '';
    const show = onProgress
        ? (line) => {
            if (!line || line === shown)
                return;
            shown = line;
            onProgress(line);
        }
        : undefined;
    const every = options.progressEveryMs ?? 5000;
    const { r, stdout } = await runWithProgress(argv, { timeoutMs: options.timeoutMs, env, signal: options.signal }, every, show);
    if (r.spawnError || r.timedOut || r.code !== 0) {
        throw runFailure(job, r, options.timeoutSec ?? Math.round(options.timeoutMs / 1000));
    }
    return parseStats(stdout);
}

;// CONCATENATED MODULE: ./src/transfer/list.ts
/**
 * A job's tree as a listing for the planner (plan.ts). Locally: a walk with many directory
 * reads in flight at once — on a shared file system every metadata operation is a
 * round trip, and a sequential crawl is what holds fpsync back. Over ssh: the remote rsync's
 * own `--list-only`, over the run's shared connection, so that the remote side needs nothing
 * but the rsync the transfer needs anyway.
 *
 * Names are byte strings (path-filter.ts). The walk honours the PathFilter as rsync does: an
 * excluded directory is not entered, a file above maxSize is left out.
 */






/** Directory reads and lstats in flight at once. */
const WALK_CONCURRENCY = 32;
/** The walk stopped: more entries than asked for. */
const OVER_LIMIT = Symbol('over the limit');
/** `root` joined with a byte-string `rel`, as the bytes the file system wants. */
function bytesOf(root, rel) {
    return rel === '.' ? root : Buffer.concat([root, Buffer.from(`/${rel}`, 'latin1')]);
}
function kindOf(st) {
    if (st.isDirectory())
        return 'dir';
    if (st.isFile())
        return 'file';
    if (st.isSymbolicLink())
        return 'symlink';
    return 'other';
}
async function listLocal(root, filter, signal, limit = Number.POSITIVE_INFINITY) {
    const rootBytes = Buffer.from(root.replace(/\/+$/, '') || '/');
    const rootStat = await (0,promises_.lstat)(rootBytes);
    const out = [
        { rel: '.', kind: 'dir', size: 0, mtimeSec: Math.floor(rootStat.mtimeMs / 1000) },
    ];
    const pending = [];
    let active = 0;
    let failure;
    let finish = () => { };
    const done = new Promise((resolve) => {
        finish = resolve;
    });
    const pump = () => {
        while (active < WALK_CONCURRENCY && pending.length > 0 && !failure) {
            const task = pending.pop();
            active++;
            task()
                .catch((e) => {
                failure ??= e;
            })
                .finally(() => {
                active--;
                if (signal?.aborted)
                    failure ??= signal.reason;
                if (out.length > limit)
                    failure ??= OVER_LIMIT;
                pump();
                if (active === 0 && (pending.length === 0 || failure))
                    finish();
            });
        }
    };
    const visitDir = (rel) => async () => {
        const names = await (0,promises_.readdir)(bytesOf(rootBytes, rel), {
            withFileTypes: true,
            encoding: 'buffer',
        });
        for (const d of names) {
            const name = d.name.toString('latin1');
            const child = rel === '.' ? name : `${rel}/${name}`;
            const isDir = d.isDirectory();
            if (filter.excludes(child, isDir))
                continue;
            if (isDir) {
                out.push({ rel: child, kind: 'dir', size: 0 });
                pending.push(visitDir(child));
            }
            else if (d.isFile() && filter.maxSize !== undefined) {
                pending.push(statFile(child));
            }
            else {
                out.push({ rel: child, kind: kindOf(d), size: 0 });
            }
        }
    };
    // Only `max-size` needs a file's size: every other entry is known by its directory's
    // listing (d_type), without a round trip of its own. Parts are then bounded by count.
    const statFile = (rel) => async () => {
        const st = await (0,promises_.lstat)(bytesOf(rootBytes, rel));
        const kind = kindOf(st);
        if (kind === 'file' && filter.maxSize !== undefined && st.size > filter.maxSize)
            return;
        out.push({ rel, kind, size: kind === 'file' ? st.size : 0 });
    };
    pending.push(visitDir('.'));
    pump();
    await done;
    if (failure === OVER_LIMIT)
        return undefined;
    if (failure)
        throw failure;
    return out;
}
/** rsync's `--list-only` escapes: `\#ooo` is the byte ooo (octal); nothing else is escaped. */
function unescapeListName(name) {
    return name.replace(/\\#([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
}
const LIST_LINE = /^([dlpscb-])\S{9}\s+([\d,]+) (\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) (.*)$/;
/**
 * The entries of `rsync -r --list-only` output (read as latin1: one char per byte). Without
 * `-l` a symlink's line holds its name alone (no ` -> target` to tell apart from the name).
 */
function parseListOnly(text) {
    const out = [];
    for (const line of text.split('\n')) {
        const m = LIST_LINE.exec(line);
        if (!m)
            continue;
        const type = m[1];
        const kind = type === 'd' ? 'dir' : type === '-' ? 'file' : type === 'l' ? 'symlink' : 'other';
        const size = kind === 'file' ? Number(m[2].replace(/,/g, '')) : 0;
        const rel = unescapeListName(m[9]);
        // The listing's rsync runs with TZ=UTC: its times are UTC.
        const [y, mo, d, h, mi, sec] = m.slice(3, 9).map(Number);
        const mtimeSec = Date.UTC(y, mo - 1, d, h, mi, sec) / 1000;
        out.push(rel === '.' ? { rel, kind, size, mtimeSec } : { rel, kind, size });
    }
    return out;
}
/**
 * The remote tree, listed by the rsync on `host` with the transfer's own filter arguments
 * (so that the selection is rsync's, exactly); undefined when the listing fails — the caller
 * then transfers in one stream, whose rsync reports the error in qq's words.
 */
async function listRemote(host, workDir, filterArgs, ssh, timeoutMs, signal) {
    const sink = await stdoutFile();
    if (!sink)
        return undefined;
    try {
        const src = `${endpoint(host, workDir.replace(/\/+$/, ''))}/`;
        const argv = ['rsync', '-e', rsyncRsh(ssh), '-r', '-s', '--list-only', ...filterArgs];
        const r = await (0,exec_run/* runCommand */.d1)([...argv, '--', src], {
            timeoutMs,
            env: { ...(ssh.env ?? process.env), LC_ALL: 'C', TZ: 'UTC' },
            stdoutFd: sink.file.fd,
            signal,
        });
        if (r.code !== 0)
            return undefined;
        const { size } = await sink.file.stat();
        return parseListOnly(await readTail(sink.file, size, 'latin1'));
    }
    finally {
        await sink.remove();
    }
}
/** Files opened (and closed, nothing read) to probe the file system's round trip. */
const PROBE_FILES = 16;
/** Directories read, breadth first, to find them. */
const PROBE_DIRS = 8;
/**
 * The shortest time, in µs, to open and close a file under `root` (up to PROBE_FILES of them,
 * one at a time, found within PROBE_DIRS directory reads): on a local disk (page cache) or
 * tmpfs a few µs; on Lustre, GPFS or NFS a round trip to a server (NFS revalidates on open
 * even where READDIRPLUS has filled its attribute cache), which is what parallel streams
 * hide. Synchronous calls, timed around the system call alone (through the thread pool a
 * busy machine adds its own wait), and the shortest: load only adds to it. Cheap enough to
 * run before deciding whether the tree is worth a walk. undefined when no file was found.
 */
async function openLatencyUs(root) {
    const dirs = [Buffer.from(root.replace(/\/+$/, '') || '/')];
    const files = [];
    for (let read = 0; read < PROBE_DIRS && dirs.length > 0 && files.length < PROBE_FILES; read++) {
        const dir = dirs.shift();
        let entries;
        try {
            entries = await (0,promises_.readdir)(dir, { withFileTypes: true, encoding: 'buffer' });
        }
        catch {
            continue;
        }
        for (const d of entries) {
            const p = Buffer.concat([dir, Buffer.from('/'), d.name]);
            if (d.isFile() && files.length < PROBE_FILES)
                files.push(p);
            else if (d.isDirectory())
                dirs.push(p);
        }
    }
    let best;
    for (const name of files) {
        const started = process.hrtime.bigint();
        try {
            (0,external_node_fs_.closeSync)((0,external_node_fs_.openSync)(name, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK));
        }
        catch {
            continue;
        }
        const us = Number(process.hrtime.bigint() - started) / 1000;
        best = best === undefined ? us : Math.min(best, us);
    }
    return best;
}

;// CONCATENATED MODULE: ./src/transfer/locality.ts
/**
 * Where the working directory is read from (docs/qq-behaviour.md §6.3–6.4), and the checks on the values from
 * the info file that reach ssh and rsync. Pure: no I/O.
 */



/** True: copy locally; false: rsync over ssh from the main node. */
function isLocal(input) {
    return locality(input).local;
}
/** The local-or-ssh decision with the rule that made it (for the debug log). */
function locality(input) {
    if (input.sharedStorage === 'true')
        return { local: true, why: 'shared-storage: true' };
    if (input.sharedStorage === 'false')
        return { local: false, why: 'shared-storage: false' };
    if (input.alwaysShared) {
        return { local: true, why: 'the batch system keeps work dirs on shared storage' };
    }
    if (input.env.QQ_SHARED_SUBMIT)
        return { local: true, why: 'QQ_SHARED_SUBMIT is set' };
    if (!input.mainNode)
        return { local: true, why: 'the job has no main node' };
    const here = input.localHosts.find((h) => hostsMatch(h, input.mainNode));
    return here
        ? { local: true, why: `the main node '${input.mainNode}' is this host ('${here}')` }
        : {
            local: false,
            why: `the main node '${input.mainNode}' is not this host (${input.localHosts.join(', ') || 'names not asked'})`,
        };
}
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?$/;
/** A host name or IPv4 address, nothing that ssh could read as an option or a user@ part. */
function validateHost(host) {
    if (host.length > 253 || !HOST_NAME.test(host)) {
        throw new InputError(`Refusing main node '${host}': it is not a host name (letters, digits, '-' and '.', not starting with '-').`);
    }
    return host;
}
/** An absolute path without `..`, line breaks or NUL: a path from an info file that we use. */
function validateDirectory(value, what) {
    if (!external_node_path_.posix.isAbsolute(value)) {
        throw new InputError(`Refusing ${what} '${value}': it is not an absolute path.`);
    }
    if (/[\0\n\r]/.test(value)) {
        throw new InputError(`Refusing ${what}: it holds a line break or NUL character.`);
    }
    if (value.split('/').includes('..')) {
        throw new InputError(`Refusing ${what} '${value}': it climbs out with '..'.`);
    }
    return value;
}

;// CONCATENATED MODULE: ./src/util/sleep.ts
/** Resolve after `ms` milliseconds, or at once when `signal` aborts. */
function sleep(ms, signal) {
    return new Promise((resolve) => {
        const t = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => {
            clearTimeout(t);
            resolve();
        }, { once: true });
    });
}

;// CONCATENATED MODULE: ./src/transfer/lock.ts
/**
 * Two runs fetching into the same destination at once are serialized: a lock directory inside
 * the destination (`.qq-sync.lock`, removed when the transfer ends), via proper-lockfile, with
 * stale-lock detection for a run that died. A run that exits while it holds the lock (a
 * cancel) has it removed by proper-lockfile's exit handler.
 */





const LOCK_NAME = '.qq-sync.lock';
/**
 * `mkdir -p`, with the real reason when it fails: Node's recursive mkdir reports ENOENT when a
 * parent is read-only, so the first missing level is made on its own to get EROFS/EACCES.
 */
async function makeDestination(destination) {
    try {
        await (0,promises_.mkdir)(destination, { recursive: true });
        return;
    }
    catch (e) {
        let reason = e;
        if (e.code === 'ENOENT') {
            let missing = destination;
            for (let up = external_node_path_.dirname(missing); up !== missing; up = external_node_path_.dirname(up)) {
                try {
                    await (0,promises_.stat)(up);
                    break;
                }
                catch {
                    missing = up;
                }
            }
            await (0,promises_.mkdir)(missing).catch((e2) => {
                reason = e2;
            });
        }
        throw new QQError(`Cannot create the destination '${destination}': ${reason.message}.`);
    }
}
async function withDestinationLock(destination, fn, options) {
    await makeDestination(destination);
    // Loaded here, not at start: proper-lockfile brings graceful-fs, assert and constants, which
    // a run that transfers nothing (a queued job) would load for nothing.
    const { default: lockfile } = await __webpack_require__.e(/* import() */ 648).then(__webpack_require__.t.bind(__webpack_require__, 3648, 23));
    const deadline = Date.now() + options.timeoutMs;
    let release;
    let told = false;
    for (;;) {
        options.signal?.throwIfAborted();
        try {
            release = await lockfile.lock(destination, {
                lockfilePath: external_node_path_.join(destination, LOCK_NAME),
                realpath: false,
                stale: 30_000,
                update: 5_000,
                // proper-lockfile's default throws from a timer, which would end the whole action.
                onCompromised: (e) => options.onLost?.(`The lock on '${destination}' was lost: ${e.message}`),
            });
            break;
        }
        catch (e) {
            const code = e.code;
            if (code === 'ELOCKED' && Date.now() > deadline) {
                throw new QQError(`Another sync into '${destination}' still held its lock (${external_node_path_.join(destination, LOCK_NAME)}) after ${Math.round(options.timeoutMs / 1000)} seconds.`);
            }
            if (code !== 'ELOCKED') {
                throw new QQError(`Cannot write to the destination '${destination}' (taking its lock): ${(0,errors/* errorMessage */.g)(e)}.`);
            }
            if (!told) {
                options.onWait?.();
                told = true;
            }
            await sleep(250);
        }
    }
    try {
        return await fn();
    }
    finally {
        await release().catch(() => { });
    }
}

;// CONCATENATED MODULE: ./src/transfer/path-filter.ts
/** Everything: no rule, no size limit. */
const EVERYTHING = { excludes: () => false };
/** Byte string (see above) to text for people and JSON: invalid UTF-8 shows as U+FFFD. */
function displayPath(rel) {
    return Buffer.from(rel, 'latin1').toString('utf8');
}

;// CONCATENATED MODULE: ./src/transfer/plan.ts
/**
 * The planner of parallel streams: a job's listing split into parts, as fpart splits a tree
 * for fpsync — each part at most so many files and so many bytes, entries kept in sorted
 * order so that a directory's files mostly travel together. Pure: no I/O.
 *
 * Directories are not spread over the parts: they make a part of their own, run before the
 * others (every directory exists before files are written into it, so two streams never race
 * to make one) and again after them (a file written into a directory changes its mtime; the
 * second pass gives each directory its source's, as one rsync does at its end).
 */
/** A part is not cut for its bytes' share below this (maxBytes still holds). */
const SHARE_BYTES_FROM = 64 * 1024 ** 2;
/** Byte order, as the listing's strings are byte strings: one character per byte. */
function byteOrder(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/** Split `entries` into parts within `limits`. */
function planParts(entries, limits) {
    const dirs = [];
    const rest = [];
    let files = 0;
    let bytes = 0;
    let rootMtimeSec;
    for (const e of entries) {
        if (e.rel === '.')
            rootMtimeSec = e.mtimeSec;
        else if (e.kind === 'dir')
            dirs.push(e.rel);
        else
            rest.push(e);
        if (e.kind === 'file') {
            files++;
            bytes += e.size;
        }
    }
    dirs.sort(byteOrder);
    rest.sort((a, b) => byteOrder(a.rel, b.rel));
    // Even shares when the tree is small: maxFiles alone would leave streams idle.
    const perPart = Math.max(1, Math.min(limits.maxFiles, Math.max(limits.minFiles, Math.ceil(rest.length / Math.max(1, limits.minParts)))));
    // Bytes share parts out large files; small ones are bounded by count alone.
    const bytesPerPart = Math.max(1, Math.min(limits.maxBytes, Math.max(SHARE_BYTES_FROM, Math.ceil(bytes / limits.minParts))));
    const parts = [];
    let current = { paths: [], files: 0, bytes: 0 };
    for (const e of rest) {
        const size = e.kind === 'file' ? e.size : 0;
        if (current.paths.length > 0 &&
            (current.paths.length >= perPart || current.bytes + size > bytesPerPart)) {
            parts.push(current);
            current = { paths: [], files: 0, bytes: 0 };
        }
        current.paths.push(e.rel);
        if (e.kind === 'file') {
            current.files++;
            current.bytes += size;
        }
    }
    if (current.paths.length > 0)
        parts.push(current);
    return { dirs, rootMtimeSec, parts, files, bytes };
}

;// CONCATENATED MODULE: ./src/transfer/retry.ts
/**
 * Retries with exponential backoff, in the manner of actions/checkout's retry-helper.ts: run
 * the action; on an error worth another attempt, wait and run it again, within a deadline.
 */

/** Default first wait between attempts (ms). */
const FIRST_BACKOFF_MS = 2000;
/** Longest wait between two attempts (ms). */
const MAX_BACKOFF_MS = 30_000;
/** The wait before attempt `attempt + 1`: doubling from `firstMs`, at most MAX_BACKOFF_MS. */
function backoffMs(attempt, firstMs = FIRST_BACKOFF_MS) {
    return Math.min(firstMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
}
/**
 * Equal jitter: half of the wait fixed, half random, so that parallel jobs retrying against one
 * node do not all come back at the same moment.
 */
function equalJitter(ms, random = Math.random) {
    return ms * (0.5 + random() / 2);
}
/** Run `action(attempt)` until it succeeds or an error may not be retried; its value and attempts. */
async function withRetries(action, options) {
    for (let attempt = 1;; attempt++) {
        options.signal?.throwIfAborted();
        try {
            return { value: await action(attempt), attempts: attempt };
        }
        catch (e) {
            options.signal?.throwIfAborted();
            const backoff = backoffMs(attempt, options.firstBackoffMs);
            const wait = options.jitter ? options.jitter(backoff) : backoff;
            const last = attempt > options.retries || Date.now() + wait >= options.deadline;
            if (last || !options.retryable(e))
                throw e;
            options.onRetry?.(attempt, e, wait);
            await sleep(wait, options.signal);
        }
    }
}

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
;// CONCATENATED MODULE: ./src/util/pool.ts
/** Run `fn` over `items` with at most `limit` at once; results keep the order of `items`. */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}

;// CONCATENATED MODULE: ./src/transfer/streams.ts
/**
 * Runs a plan's parts (plan.ts) as parallel streams of one transport, within one budget:
 * at most `streams` at once, the job's one deadline, the run's cancel. A part that fails for
 * a transient reason is retried alone, with backoff; an error that may not be retried stops
 * the other streams (their process groups are ended) and is the job's error. Counts are
 * summed once, from each part's final attempt; progress is one line for the whole job.
 */








/** `1,234,567` as rsync writes byte counts. */
function grouped(n) {
    return n.toLocaleString('en-US');
}
/** One progress line for all streams: bytes so far (finished parts plus running ones). */
class Progress {
    plan;
    streams;
    every;
    show;
    running = new Map();
    doneBytes = 0;
    doneParts = 0;
    last = 0;
    constructor(plan, streams, every, show) {
        this.plan = plan;
        this.streams = streams;
        this.every = every;
        this.show = show;
    }
    /** An rsync progress2 line of part `i`: its first number is the bytes it has sent. */
    part(i, line) {
        if (i < 0)
            return; // the directories' passes: no bytes
        const bytes = Number(/^[\d,]+/.exec(line)?.[0].replace(/,/g, '') ?? 0);
        this.running.set(i, bytes);
        this.emit();
    }
    finished(i, counts) {
        if (i < 0)
            return;
        this.running.delete(i);
        this.doneBytes += counts.bytes;
        this.doneParts++;
        this.emit();
    }
    emit() {
        const now = Date.now();
        if (!this.show || now - this.last < this.every)
            return;
        this.last = now;
        let bytes = this.doneBytes;
        for (const b of this.running.values())
            bytes += b;
        const total = this.plan.bytes;
        const pct = total > 0 ? Math.min(100, Math.floor((bytes / total) * 100)) : 100;
        this.show(`${grouped(bytes)} of ${grouped(total)} bytes ${pct}%, part ${this.doneParts}/${this.plan.parts.length} done, ${this.streams} streams`);
    }
}
/**
 * rsync's temporary files for a part's entries that a stopped rsync left behind: an rsync
 * sent SIGTERM between making `.<name>.XXXXXX` and noting it for removal leaves it (seen when
 * four streams of small files are cancelled). Only that exact form, for names of the part,
 * regular files made since the part began: nothing else in the destination is touched.
 */
async function removeLeftTemps(destination, paths, since) {
    const byDir = new Map();
    for (const rel of paths) {
        const slash = rel.lastIndexOf('/');
        const dir = slash < 0 ? '' : rel.slice(0, slash);
        const names = byDir.get(dir) ?? new Set();
        names.add(rel.slice(slash + 1));
        byDir.set(dir, names);
    }
    for (const [dir, names] of byDir) {
        const inDir = Buffer.concat([
            Buffer.from(destination),
            Buffer.from(dir ? `/${dir}` : '', 'latin1'),
        ]);
        let entries;
        try {
            entries = await (0,promises_.readdir)(inDir, { encoding: 'buffer' });
        }
        catch {
            continue;
        }
        for (const entry of entries) {
            const m = /^\.(.+)\.[A-Za-z0-9]{6}$/s.exec(entry.toString('latin1'));
            if (!m || !names.has(m[1]))
                continue;
            const file = Buffer.concat([inDir, Buffer.from('/'), entry]);
            const st = await (0,promises_.lstat)(file).catch(() => undefined);
            if (st?.isFile() && st.ctimeMs >= since - 1000)
                await (0,promises_.rm)(file, { force: true });
        }
    }
}
/** The NUL-separated list rsync's `--files-from --from0` reads: the names' exact bytes. */
function listBytes(paths) {
    return Buffer.from(`${paths.join('\0')}\0`, 'latin1');
}
async function runStreams(transport, job, plan, o) {
    const dir = await (0,promises_.mkdtemp)(external_node_path_.join((0,external_node_os_.tmpdir)(), 'qq-sync-parts-'));
    // The first error that may not be retried; it stops the other streams.
    const stop = new AbortController();
    const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
    // Every running stream listens to it (its rsync's kill): many listeners are expected.
    (0,external_node_events_.setMaxListeners)(0, signal);
    const progress = new Progress(plan, o.streams, job.progressEveryMs ?? 5000, o.onProgress);
    let attempts = 1;
    const runPart = async (name, paths, i) => {
        const filesFrom = external_node_path_.join(dir, name);
        await (0,promises_.writeFile)(filesFrom, listBytes(paths), { mode: 0o600 });
        const since = Date.now();
        const out = await withRetries(() => transport.attempt(job, {
            remainingMs: o.deadline - Date.now(),
            signal,
            filesFrom,
            onProgress: (line) => progress.part(i, line),
        }), {
            retries: o.retries,
            deadline: o.deadline,
            firstBackoffMs: o.backoffMs,
            jitter: equalJitter,
            signal,
            retryable: (e) => e instanceof TransferError && e.transient,
            onRetry: (n, e, wait) => o.onMessage?.(`Part ${i + 1} of ${plan.parts.length}: attempt ${n} failed (${(0,errors/* errorMessage */.g)(e)}); retrying it alone in ${(wait / 1000).toFixed(1)} s.`),
        }).catch(async (e) => {
            // Stopped (a cancel, another part's error) or failed for good: no debris of its rsync.
            if (!job.dryRun)
                await removeLeftTemps(job.destination, paths, since);
            throw e;
        });
        attempts = Math.max(attempts, out.attempts);
        progress.finished(i, out.value);
        return out.value;
    };
    try {
        // Directories first (none is made by two streams at once), and last (their mtimes).
        if (plan.dirs.length > 0)
            await runPart('dirs', plan.dirs, -1);
        const settled = await mapLimit(plan.parts, o.streams, (part, i) => runPart(`part-${i}`, part.paths, i).then((counts) => ({ counts }), (error) => {
            // The first error ends the others; theirs ("killed") are not the job's error.
            if (!stop.signal.aborted)
                stop.abort(error);
            return { error };
        }));
        o.signal?.throwIfAborted();
        if (stop.signal.aborted)
            throw stop.signal.reason;
        if (plan.dirs.length > 0)
            await runPart('dirs', plan.dirs, -1);
        // The root cannot be a name in a part (rsync's `-d` would copy its files with it): its
        // mtime is set here, as one rsync sets it at its end.
        if (plan.rootMtimeSec !== undefined) {
            await (0,promises_.utimes)(job.destination, new Date(), plan.rootMtimeSec);
        }
        const total = { files: 0, bytes: 0 };
        for (const s of settled) {
            if ('counts' in s) {
                total.files += s.counts.files;
                total.bytes += s.counts.bytes;
            }
        }
        return { ...total, attempts };
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/transfer/transport.ts
/**
 * What moves the bytes of one job: rsync (locally or over ssh) or the built-in copier, behind
 * one interface, so that the façade (index.ts) and the runner of parallel streams
 * (streams.ts) do not care which. One `attempt` is one run of the tool, stopped at
 * `remainingMs`; retrying is the caller's.
 */







function rsyncTransport(capabilities, remote) {
    return {
        method: remote ? 'rsync over ssh' : 'rsync',
        takesParts: true,
        async attempt(job, a) {
            if (!job.dryRun)
                await makeDestination(job.destination);
            return runRsync({ ...job, filesFrom: a.filesFrom }, {
                timeoutMs: Math.max(a.remainingMs, 1000),
                timeoutSec: job.timeoutSec,
                onProgress: a.onProgress,
                progressEveryMs: job.progressEveryMs,
                capabilities,
                signal: a.signal,
            });
        },
    };
}
/** The built-in copier: already concurrent inside, so it takes the whole tree, never a part. */
const copierTransport = {
    method: 'built-in copier',
    takesParts: false,
    async attempt(job, a) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), Math.max(a.remainingMs, 1));
        try {
            const out = await copyTree(job.workDir, job.destination, {
                files: job.files,
                overwrite: job.overwrite,
                dryRun: job.dryRun,
                signal: a.signal ? AbortSignal.any([controller.signal, a.signal]) : controller.signal,
                onProgress: a.onProgress,
                progressEveryMs: job.progressEveryMs,
            });
            if (out.skippedSpecial > 0) {
                const shown = out.skippedNames.map((n) => external_node_path_.relative(job.workDir, n)).join("', '");
                job.onMessage?.(`Skipped ${out.skippedSpecial} device, FIFO or socket file(s) ('${shown}'${out.skippedSpecial > out.skippedNames.length ? ', …' : ''}): the built-in copier does not recreate special files.`);
            }
            return out;
        }
        catch (e) {
            a.signal?.throwIfAborted();
            const fail = (detail) => new TransferError(rsyncFailure(job.workDir, job.destination, detail), false);
            if (controller.signal.aborted) {
                throw fail(`Connection timed out after ${job.timeoutSec} seconds`);
            }
            if (e instanceof QQError)
                throw e;
            // A file-system error (no space, permission denied, read-only): qq's form, not retried.
            throw fail(`${(0,errors/* errorMessage */.g)(e)} (built-in copier)`);
        }
        finally {
            clearTimeout(timer);
        }
    },
};

;// CONCATENATED MODULE: ./src/transfer/index.ts
/**
 * Fetch one job's working directory into its destination: locally or over ssh from the main
 * node, with rsync or (locally, without rsync) the built-in copier; under a lock on the
 * destination, within the transfer timeout, retrying transient failures with backoff.
 * The façade: check → lock → plan → run streams → merge. A large tree is split into parts
 * run as parallel streams (plan.ts, streams.ts); a small one is one run of the tool.
 */


















function isInside(child, parent) {
    const rel = external_node_path_.posix.relative(external_node_path_.posix.normalize(parent), external_node_path_.posix.normalize(child));
    return rel !== '' && rel !== '..' && !rel.startsWith('../') && !external_node_path_.posix.isAbsolute(rel);
}
function checkRequest(req) {
    const workDir = validateDirectory(req.workDir, 'working directory');
    const destination = validateDirectory(req.destination, 'destination');
    const host = req.local ? undefined : validateHost(req.mainNode);
    const files = req.files ? validateFiles(req.files, workDir) : undefined;
    if (req.local && isInside(destination, workDir)) {
        // A copy into itself would nest deeper on every run (and the copier would recurse).
        throw new QQError(`Refusing destination '${destination}': it lies inside the job's working directory '${workDir}'.`);
    }
    return { workDir, destination, host, files };
}
/** Trees with fewer files than this are one stream: below it, listing and spawning cost more than they save. */
const STREAMS_FROM_FILES = 2000;
/** …or fewer bytes than this (several streams over ssh use several cores to encrypt). */
const STREAMS_FROM_BYTES = 256 * 1024 ** 2;
/**
 * A local tree whose files open faster than this (µs, the shortest of a few) is on a fast file
 * system (page cache, tmpfs, a local disk): one rsync is as fast as several there, and
 * cheaper (measured: docs/performance-streams.md). Lustre, GPFS and NFS take a round trip.
 */
const SLOW_OPEN_US = 200;
/**
 * A local job of fewer entries than this is copied in-process by the built-in copier: no
 * rsync is spawned (spawning from a large Node process is most of a campaign's cost per
 * job). 0 — off — until the copier's exactness work (issue 21) lands; the measurement with
 * it on is in docs/performance-streams.md. The one place that decides it.
 */
const IN_PROCESS_BELOW_ENTRIES = 0;
/** Whether the built-in copier copies this small local tree as rsync would (see above). */
async function copiesInProcess(req, workDir) {
    if (IN_PROCESS_BELOW_ENTRIES === 0 || (req.files && !req.files.includes('.')))
        return false;
    const listing = await listLocal(workDir, EVERYTHING, req.settings.signal, IN_PROCESS_BELOW_ENTRIES).catch(() => undefined);
    // The copier of main skips special files and cannot read a name that is not UTF-8.
    return (listing?.every((e) => e.kind !== 'other' &&
        Buffer.from(Buffer.from(e.rel, 'latin1').toString('utf8')).toString('latin1') === e.rel) === true);
}
/** Streams of `streams: auto` (measured: docs/performance-streams.md). */
const AUTO_STREAMS = 8;
/** Most entries in one part (fpsync's default) and most bytes (a larger file is a part alone). */
const PART_FILES = 2000;
/**
 * Parts per stream, at least: a stream that finishes early takes the next part, so that the
 * last parts do not run alone (20,000 files on the latency-bound bench file system, 8
 * streams: 10 parts of 2,000 took 18.5 s, 32 parts of 625 took less; docs/performance-streams.md).
 */
const PARTS_PER_STREAM = 4;
/** Fewest entries in a part: 5,000 files in 32 parts of 156 were slower than in 10 of 500. */
const PART_MIN_FILES = 500;
const PART_BYTES = 4 * 1024 ** 3;
/**
 * The parts of a parallel transfer, or undefined for one stream: a dry run, one stream asked
 * for, the copier, a selection the walk cannot apply, a small tree, or a listing that failed
 * (the one stream then reports why, in rsync's words).
 */
async function planJob(req, job, transport, deadline) {
    const auto = req.settings.streams === 'auto';
    const streams = auto ? AUTO_STREAMS : (req.settings.streams ?? 1);
    if (streams < 2 || req.dryRun || !transport.takesParts)
        return undefined;
    if (auto) {
        // Over ssh on this VM's loopback several streams lost to one rsync (2.7× slower for
        // 20,000 files: two cores encrypting for eight); locally, a fast file system is not
        // worth even the walk. Only a slow local file system is split without being asked.
        if (job.host)
            return undefined;
        const us = await openLatencyUs(job.workDir);
        req.settings.debug?.(`open takes ${us?.toFixed(0) ?? '?'} µs here: ${us !== undefined && us >= SLOW_OPEN_US ? 'a slow file system, parallel streams' : 'one rsync'} (streams from ${SLOW_OPEN_US} µs)`);
        if (us === undefined || us < SLOW_OPEN_US)
            return undefined;
    }
    const selected = job.files && !job.files.includes('.');
    const listing = job.host
        ? await listRemote(job.host, job.workDir, selected ? includeFilters(job.files) : [], job.ssh, Math.max(deadline - Date.now(), 1000), req.settings.signal)
        : selected && !req.filter
            ? undefined
            : await listLocal(job.workDir, req.filter ?? EVERYTHING, req.settings.signal).catch(() => undefined);
    if (!listing)
        return undefined;
    const plan = planParts(listing, {
        maxFiles: PART_FILES,
        maxBytes: PART_BYTES,
        minParts: streams * PARTS_PER_STREAM,
        minFiles: PART_MIN_FILES,
    });
    const large = plan.files >= STREAMS_FROM_FILES || plan.bytes >= STREAMS_FROM_BYTES;
    if (!large || plan.parts.length < 2)
        return undefined;
    return { ...plan, streams };
}
/** Fetch one job's working directory, retrying transient failures, under the destination's lock. */
async function transferJob(req) {
    const started = Date.now();
    const s = req.settings;
    const c = checkRequest(req);
    const capabilities = req.local && s.forceBuiltin ? undefined : await detectRsync(s.env);
    const builtin = req.local && (s.forceBuiltin || !capabilities || (await copiesInProcess(req, c.workDir)));
    const transport = builtin ? copierTransport : rsyncTransport(capabilities, Boolean(c.host));
    const job = {
        ...c,
        overwrite: s.overwrite,
        dryRun: req.dryRun,
        ssh: s,
        timeoutSec: s.timeoutSec,
        progressEveryMs: s.progressEveryMs,
        onMessage: req.onMessage,
    };
    const deadline = started + s.timeoutSec * 1000;
    if (c.host && s.connect) {
        const connectSec = s.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC;
        await s.connect(c.host, Math.max(Math.min((connectSec + 5) * 1000, deadline - Date.now()), 1000));
    }
    const whole = () => withRetries(() => transport.attempt(job, {
        remainingMs: deadline - Date.now(),
        signal: s.signal,
        onProgress: req.onProgress,
    }), {
        retries: s.retries,
        deadline,
        firstBackoffMs: s.backoffMs,
        jitter: equalJitter,
        signal: s.signal,
        retryable: (e) => e instanceof TransferError && e.transient,
        onRetry: (n, e, wait) => req.onMessage?.(`Attempt ${n} failed (${(0,errors/* errorMessage */.g)(e)}); retrying in ${(wait / 1000).toFixed(1)} s.`),
    });
    let parts = 0;
    const run = async () => {
        const plan = await planJob(req, job, transport, deadline);
        if (!plan) {
            const out = await whole();
            return { ...out.value, attempts: out.attempts };
        }
        parts = plan.parts.length;
        req.onMessage?.(`${plan.files} files: fetched as ${parts} parts, ${plan.streams} streams at once.`);
        return runStreams(transport, job, plan, {
            streams: plan.streams,
            deadline,
            retries: s.retries,
            backoffMs: s.backoffMs,
            signal: s.signal,
            onProgress: req.onProgress,
            onMessage: req.onMessage,
        });
    };
    const out = req.dryRun
        ? await run()
        : await withDestinationLock(c.destination, run, {
            timeoutMs: s.timeoutSec * 1000,
            onWait: () => req.onMessage?.(`Waiting for another sync into '${c.destination}' to finish.`),
            onLost: (reason) => req.onMessage?.(reason),
            signal: s.signal,
        });
    return {
        files: out.files,
        bytes: out.bytes,
        method: transport.method,
        attempts: out.attempts,
        parts,
        durationMs: Date.now() - started,
    };
}

;// CONCATENATED MODULE: ./src/action/job-cache.ts
/**
 * The `cache: true` glue of one job: save what was fetched, and restore the newest cached
 * copy when the job's working directory is gone. `./cache.js` (and `@actions/cache`) is
 * loaded only when a job uses it.
 */

/** The reason of a job whose working directory vanished and came back from the cache. */
const WORK_DIR_GONE_RESTORED = 'Working directory of the job no longer exists: restored the newest cached copy.';
/** Save the job's destination under a new key; the key goes into the result. */
async function saveToCache(result, destination, log) {
    const { saveJobFiles } = await __webpack_require__.e(/* import() */ 884).then(__webpack_require__.bind(__webpack_require__, 8884));
    const saved = await saveJobFiles({
        jobId: result.id,
        paths: [destination],
        runId: process.env.GITHUB_RUN_ID ?? '0',
        runAttempt: process.env.GITHUB_RUN_ATTEMPT ?? '1',
        log: (m) => log.info(m),
    });
    if (saved.key) {
        result.cacheKey = saved.key;
        log.info(`Saved to the Actions cache as '${saved.key}'.`);
    }
    for (const m of [saved.notice, saved.warning])
        if (m)
            log.info(m);
}
/** True if `dir` does not exist or holds nothing: a restore there cannot replace anything. */
async function isEmptyDir(dir) {
    try {
        return (await (0,promises_.readdir)(dir)).length === 0;
    }
    catch (e) {
        return e.code === 'ENOENT';
    }
}
/**
 * When the job's working directory is gone, restore the newest cached copy — only into a
 * destination that is missing or empty, so that a restore never replaces a file.
 */
async function restoreFromCache(result, destination, log) {
    if (!(await isEmptyDir(destination))) {
        log.info(`The destination is not empty: no cached copy restored into it.`);
        return false;
    }
    const { restoreJobFiles } = await __webpack_require__.e(/* import() */ 884).then(__webpack_require__.bind(__webpack_require__, 8884));
    const restored = await restoreJobFiles({
        jobId: result.id,
        paths: [destination],
        log: (m) => log.info(m),
    });
    for (const m of [restored.notice, restored.warning])
        if (m)
            log.info(m);
    if (!restored.hit)
        return false;
    result.cacheHit = true;
    result.cacheKey = restored.key ?? '';
    result.destination = destination;
    result.action = 'restored from cache';
    log.info(`Restored from the Actions cache ('${restored.key}').`);
    return true;
}

;// CONCATENATED MODULE: ./src/exec/hosts.ts
/**
 * The names of this host, to tell whether a job's main node is this machine (docs/qq-behaviour.md §6.3, §10.1):
 * the short name and the FQDN (`hostname -f`), asked once per run.
 */


let names;
function localHostNames() {
    names ??= (async () => {
        const found = new Set([(0,external_node_os_.hostname)()]);
        const fqdn = await (0,exec_run/* runCommand */.d1)(['hostname', '-f'], { timeoutMs: 5000 });
        const name = fqdn.code === 0 ? fqdn.stdout.trim() : '';
        if (name && !/\s/.test(name))
            found.add(name);
        return [...found];
    })();
    return names;
}

;// CONCATENATED MODULE: ./src/action/job-context.ts
/**
 * What every job of a run shares: the settings, the environment, the run's ssh connections;
 * and what follows from them for one job (its destination, its transfer settings, whether
 * its working directory is read here or over ssh).
 */



/** The job's destination directory (absolute). */
function destinationOf(jobId, inputDir, ctx) {
    const dest = ctx.settings.destination;
    if (!dest)
        return inputDir;
    return ctx.multiple ? external_node_path_.join(dest, jobId) : dest;
}
/** The ssh options of the settings, as the pool and the transfers use them. */
function sshSettingsOf(settings, env) {
    return {
        sshOptions: settings.sshOptions,
        strictHostKeyChecking: settings.strictHostKeyChecking,
        env,
    };
}
function transferSettings(ctx) {
    const s = ctx.settings;
    const pool = ctx.ssh;
    return {
        ...sshSettingsOf(s, ctx.env),
        overwrite: s.overwrite,
        timeoutSec: s.transferTimeoutSec,
        retries: s.retries,
        streams: s.streams,
        debug: ctx.debug,
        controlDir: pool?.controlDir,
        connect: pool ? (host, timeoutMs) => pool.connect(host, timeoutMs) : undefined,
        signal: ctx.signal,
    };
}
/** Whether the job's working directory is read here (true) or over ssh from its main node. */
async function readsLocally(job, ctx) {
    const input = {
        sharedStorage: ctx.settings.sharedStorage,
        alwaysShared: job.system?.alwaysShared ?? false,
        env: ctx.env,
        mainNode: job.info?.mainNode,
        localHosts: [],
    };
    // Without this host's names the answer is only "remote" when they could change it: ask
    // `hostname -f` (once per run) only then.
    if (!isLocal(input) && ctx.settings.sharedStorage === 'auto') {
        input.localHosts = await localHostNames();
    }
    const decided = locality(input);
    if (!explained.has(job)) {
        explained.add(job);
        ctx.debug?.(`${job.label}: ${decided.local ? 'reads its working directory locally' : `fetches over ssh from '${input.mainNode}'`}: ${decided.why}`);
    }
    return decided.local;
}
/** Jobs whose local-or-ssh decision is in the debug log already (follow asks on every poll). */
const explained = new WeakSet();

;// CONCATENATED MODULE: ./src/action/log.ts
/**
 * The log: one collapsible group per job, qq's messages, and text from the cluster fenced by
 * `::stop-commands::` so that it can never act as a workflow command.
 */

/** Print text that came from the cluster (file names, job output, ssh/rsync messages). */
function printUntrusted(text, write = core/* info */.pq) {
    // node:crypto on first use: some 50 internal modules that a run printing nothing skips.
    const token = process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex');
    write(`::stop-commands::${token}`);
    for (const line of text.split(/\r?\n|\r/))
        write(line);
    write(`::${token}::`);
}
/**
 * What could make a line act as a workflow command: a line break (a new line may start with
 * `::`), the `::` form anywhere, or the runner's older `##[command]` form anywhere.
 */
const UNSAFE = /[\r\n]|::|##\[/;
/** A job's log. Live when jobs run one at a time; buffered and printed whole otherwise. */
class JobLog {
    live;
    lines = [];
    title;
    constructor(title, live) {
        this.live = live;
        // The title quotes the job name from the info file; it is also printed outside the group.
        this.title = title
            .replace(/[\r\n]+/g, ' ')
            .replaceAll('::', ': :')
            .replaceAll('##[', '# #[');
        if (live)
            core/* startGroup */.Oh(this.title);
    }
    /**
     * A message of ours (qq's wording). Messages quote values from info files, so one that could
     * hold a workflow command (a line break or `::`) is fenced like cluster text.
     */
    info(message) {
        if (UNSAFE.test(message))
            this.untrusted(message);
        else
            this.emit(message);
    }
    /** Text from the cluster. */
    untrusted(text) {
        printUntrusted(text, (l) => this.emit(l));
    }
    /** Progress of a long transfer: printed at once, even when the rest is buffered. */
    progress(line) {
        if (this.live)
            this.emit(line);
        else
            core/* info */.pq(`[${this.title}] ${line}`);
    }
    emit(line) {
        if (this.live)
            core/* info */.pq(line);
        else
            this.lines.push(line);
    }
    /** Close the group (live) or print the buffered group (buffered). */
    end() {
        if (this.live) {
            core/* endGroup */.N4();
            return;
        }
        core/* startGroup */.Oh(this.title);
        for (const l of this.lines)
            core/* info */.pq(l);
        core/* endGroup */.N4();
    }
}

;// CONCATENATED MODULE: ./src/action/summary-chart.ts
/**
 * A campaign at a glance: how many jobs are in each state and had each outcome, as one line of
 * counts and as Mermaid pie charts (GitHub renders ```mermaid blocks in job summaries).
 */
/** Counts of each value, most frequent first (ties in first-seen order). */
function countBy(items, key) {
    const counts = new Map();
    for (const item of items) {
        const k = key(item);
        counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1]);
}
/** `finished 480 · failed 20` */
function countsLine(counts) {
    return counts.map(([k, n]) => `${k} ${n}`).join(' · ');
}
/**
 * A Mermaid pie of `counts` as a Markdown code block (blank lines around it, so that it is
 * parsed as Markdown between the summary's HTML). Labels are our own words (state names and
 * outcomes), never text from a job; quotes are dropped all the same.
 */
function mermaidPie(title, counts) {
    const slices = counts.map(([k, n]) => `    "${k.replaceAll('"', '')}" : ${n}`);
    return `\n\`\`\`mermaid\npie showData title ${title}\n${slices.join('\n')}\n\`\`\`\n\n`;
}

;// CONCATENATED MODULE: ./src/action/report.ts
/**
 * What the workflow sees at the end: step outputs (always all set), the job summary (escaped,
 * bounded) and annotations (aggregated beyond what the runner shows).
 */




function unmatchedMessage(entry, workDir) {
    return `'files' entry '${entry}' matched nothing in the working directory '${workDir}': nothing was fetched for it.`;
}
/**
 * The real state in the words `fail-on` and `wait-for` take (`failed`, `inconsistent`, …),
 * for workflows to compare; '' if not known. `state` stays qq's text.
 */
function stateCodeOf(stateText) {
    const state = stateText ? realStateFromName(stateText) : undefined;
    return state ? realStateCode(state) : '';
}
function overallStatus(results) {
    if (results.length === 0 || results.some((r) => r.status === 'failed'))
        return 'failed';
    return results.some((r) => r.status === 'synced') ? 'synced' : 'skipped';
}
/** The public JSON of one job (the contract of the `jobs` output). */
function jobJson(r) {
    return {
        id: r.id,
        name: r.name,
        infoFile: r.infoFile,
        state: r.state,
        stateCode: stateCodeOf(r.state),
        status: r.status,
        reason: r.reason,
        exitCode: r.exitCode,
        filesSynced: r.filesSynced,
        bytesSynced: r.bytesSynced,
        destination: r.destination,
        cacheHit: r.cacheHit,
        cacheKey: r.cacheKey,
    };
}
const OUTPUT_NAMES = [
    'status',
    'state',
    'state-code',
    'job-id',
    'job-name',
    'exit-code',
    'main-node',
    'work-dir',
    'input-dir',
    'destination',
    'reason',
    'files-synced',
    'bytes-synced',
    'jobs',
    'cache-hit',
    'cache-key',
];
function computeOutputs(results, fallbackReason = '') {
    const first = results[0];
    const reason = results.find((r) => r.status === 'failed')?.reason ??
        results.find((r) => r.status === 'skipped')?.reason ??
        fallbackReason;
    return {
        status: overallStatus(results),
        state: first?.state ?? '',
        'state-code': stateCodeOf(first?.state ?? ''),
        'job-id': first?.id ?? '',
        'job-name': first?.name ?? '',
        'exit-code': first?.exitCode == null ? '' : String(first.exitCode),
        'main-node': first?.mainNode ?? '',
        'work-dir': first?.workDir ?? '',
        'input-dir': first?.inputDir ?? '',
        destination: first?.destination ?? '',
        reason: results.length === 0 ? fallbackReason : reason,
        'files-synced': String(results.reduce((n, r) => n + r.filesSynced, 0)),
        'bytes-synced': String(results.reduce((n, r) => n + r.bytesSynced, 0)),
        jobs: JSON.stringify(results.map(jobJson)),
        'cache-hit': results.some((r) => r.cacheHit) ? 'true' : 'false',
        'cache-key': first?.cacheKey ?? '',
    };
}
function setOutputs(outputs) {
    for (const name of OUTPUT_NAMES)
        core/* setOutput */.uH(name, outputs[name]);
}
const HTML_ESCAPES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
};
function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
function formatBytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}
function formatDuration(ms) {
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
/** The summary stays well under the runner's 1 MiB limit for a step. */
const SUMMARY_LIMIT = 900 * 1024;
/** A value from a job, cut to `max` characters before it is escaped (bounds every row). */
function cell(text, max) {
    return escapeHtml(text.length > max ? `${text.slice(0, max)}…` : text);
}
/**
 * The job summary as HTML/Markdown text; every value from a job is escaped. At the top the
 * counts per state and per outcome (and, with several jobs, a chart of them), then one row per
 * job — complete for campaigns of many hundred jobs, each cell bounded — then the reasons,
 * each once with the jobs it applies to, in what is left of the size limit.
 */
function renderSummary(results, headline, options = {}) {
    const title = options.heading ? `qq-sync: ${options.heading}` : 'qq-sync';
    const top = [
        `<h2>${escapeHtml(title)}</h2>\n<p><strong>${escapeHtml(headline)}</strong></p>\n`,
    ];
    if (options.detail)
        top.push(`<p>${escapeHtml(options.detail)}</p>\n`);
    if (results.length === 0)
        return top.join('');
    const byState = countBy(results, (r) => stateCodeOf(r.state) || 'not known');
    const byOutcome = countBy(results, (r) => r.status);
    top.push(`<p>By state: ${escapeHtml(countsLine(byState))}<br>By outcome: ${escapeHtml(countsLine(byOutcome))}</p>\n`);
    if (results.length > 1) {
        top.push(mermaidPie('Jobs by state', byState), mermaidPie('Jobs by outcome', byOutcome));
    }
    const header = '<tr><th>Job</th><th>Name</th><th>State</th><th>Done</th><th>Exit code</th><th>Files</th><th>Bytes</th><th>Time</th></tr>';
    let size = top.join('').length + header.length + 200;
    const rows = [];
    const reasons = new Map();
    let omitted = 0;
    for (const r of results) {
        const row = `<tr><td><code>${cell(r.id, 64)}</code></td><td>${cell(r.name, 64)}</td><td>${escapeHtml(r.state)}</td><td>${cell(r.action, 120)}</td><td>${r.exitCode ?? ''}</td><td>${r.filesSynced}</td><td>${escapeHtml(formatBytes(r.bytesSynced))}</td><td>${escapeHtml(formatDuration(r.durationMs))}</td></tr>`;
        if (size + row.length > SUMMARY_LIMIT) {
            omitted++;
            continue;
        }
        size += row.length;
        rows.push(row);
        if (r.reason)
            reasons.set(r.reason, [...(reasons.get(r.reason) ?? []), r.id]);
    }
    const parts = [...top, `<table>${header}${rows.join('')}</table>\n`];
    if (omitted > 0) {
        parts.push(`<p>${omitted} more job(s) not shown: see the <code>jobs</code> output.</p>\n`);
    }
    const items = [];
    let reasonsLeft = 0;
    for (const [reason, ids] of reasons) {
        const shown = ids.slice(0, 20).map((id) => `<code>${cell(id, 64)}</code>`);
        const more = ids.length > shown.length ? ` and ${ids.length - shown.length} more` : '';
        const item = `<li>${cell(reason, 2000)} (${ids.length === 1 ? 'job' : `${ids.length} jobs:`} ${shown.join(', ')}${more})</li>`;
        if (size + item.length > SUMMARY_LIMIT) {
            reasonsLeft++;
            continue;
        }
        size += item.length;
        items.push(item);
    }
    if (items.length > 0)
        parts.push(`<h3>Reasons</h3>\n<ul>${items.join('')}</ul>\n`);
    if (reasonsLeft > 0) {
        parts.push(`<p>${reasonsLeft} more reason(s) not shown: see the <code>jobs</code> output.</p>\n`);
    }
    return parts.join('');
}
/** The runner shows at most this many annotations of each kind per step. */
const ANNOTATION_LIMIT = 10;
/**
 * At most ANNOTATION_LIMIT of a kind: the first LIMIT-1 as they are, and one that aggregates
 * the rest, so nothing is silently dropped.
 */
function aggregateAnnotations(items, noun) {
    if (items.length <= ANNOTATION_LIMIT)
        return [...items];
    const shown = items.slice(0, ANNOTATION_LIMIT - 1);
    const rest = items.slice(ANNOTATION_LIMIT - 1);
    const names = rest.map((a) => a.title).join(', ');
    return [
        ...shown,
        {
            title: `${rest.length} more ${noun}`,
            message: `${rest.length} more ${noun}: ${names.length > 3000 ? `${names.slice(0, 3000)}…` : names}. See the job summary.`,
        },
    ];
}
/**
 * Reasons that mean the files are already where they belong: a notice, not a warning (a
 * scheduled sync would otherwise stay yellow forever once the job has ended).
 */
const ALREADY_IN_PLACE = new Set([
    SYNCHRONIZED_MESSAGE,
    IMPLICITLY_SYNCHRONIZED_MESSAGE,
]);
/** One annotation per job that was not fetched (notice or warning) or failed (error). */
function annotate(results) {
    const notices = results
        .filter((r) => r.status === 'skipped' && ALREADY_IN_PLACE.has(r.reason))
        .map((r) => ({ title: `qq-sync: ${r.id} already in place`, message: r.reason }));
    const warnings = results
        .filter((r) => r.status === 'skipped' && !ALREADY_IN_PLACE.has(r.reason))
        .map((r) => ({ title: `qq-sync: ${r.id} not fetched`, message: r.reason }));
    const errors = results
        .filter((r) => r.status === 'failed')
        .map((r) => ({ title: `qq-sync: ${r.id} failed`, message: r.reason }));
    for (const a of aggregateAnnotations(notices, 'jobs already in place')) {
        core/* notice */.lm(a.message, { title: a.title });
    }
    // One warning per `files` entry, with the jobs whose working directory lacks it.
    const unmatched = new Map();
    for (const r of results) {
        for (const f of r.unmatchedFiles ?? [])
            unmatched.set(f, [...(unmatched.get(f) ?? []), r]);
    }
    for (const [entry, jobs] of unmatched) {
        const first = jobs[0];
        warnings.push({
            title: `qq-sync: '${entry}' matched nothing`,
            message: jobs.length === 1
                ? `${unmatchedMessage(entry, first.workDir)} (job ${first.id})`
                : `'files' entry '${entry}' matched nothing in the working directories of ${jobs.length} jobs (${jobs
                    .slice(0, 10)
                    .map((j) => `${j.id}: '${j.workDir}'`)
                    .join(', ')}${jobs.length > 10 ? ', …' : ''}): nothing was fetched for it.`,
        });
    }
    for (const a of aggregateAnnotations(warnings, 'jobs not fetched or files matching nothing')) {
        core/* warning */.$e(a.message, { title: a.title });
    }
    for (const a of aggregateAnnotations(errors, 'jobs failed')) {
        core/* error */.z3(a.message, { title: a.title });
    }
}

;// CONCATENATED MODULE: ./src/action/unmatched-files.ts
/**
 * `files` entries that matched nothing. qq skips them silently (exit 0, nothing copied) and so
 * does the transfer; the action keeps that verdict but warns, so that a typo does not pass as
 * a green step with 0 files. Checked after the transfer, in the destination: whatever an entry
 * matched in the working directory is there now (nothing is ever deleted from it), locally and
 * over ssh alike, without another round trip to the node.
 */



const WILDCARD = /[*?[]/;
/** An rsync wildcard segment as a RegExp: `*` and `?` within a name, `[…]` as a class. */
function segmentPattern(segment) {
    let re = '';
    for (let i = 0; i < segment.length; i++) {
        const c = segment[i];
        if (c === '*')
            re += '[^/]*';
        else if (c === '?')
            re += '[^/]';
        else if (c === '[') {
            const end = segment.indexOf(']', i + 1);
            if (end < 0)
                re += '\\[';
            else {
                re += `[${segment
                    .slice(i + 1, end)
                    .replace(/^!/, '^')
                    .replaceAll('\\', '\\\\')}]`;
                i = end;
            }
        }
        else
            re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
}
/** Whether `segments` (relative to `dir`, wildcards allowed) name anything under `dir`. */
async function exists(dir, segments) {
    if (segments.length === 0)
        return true;
    const [first, ...rest] = segments;
    let names;
    try {
        names = await (0,promises_.readdir)(dir);
    }
    catch {
        return false;
    }
    const matches = WILDCARD.test(first)
        ? names.filter((n) => segmentPattern(first).test(n))
        : names.filter((n) => n === first);
    for (const name of matches) {
        if (await exists(external_node_path_.join(dir, name), rest))
            return true;
    }
    return false;
}
/** The entries of `files` (as the user wrote them) with nothing of theirs in `destination`. */
async function unmatchedFiles(files, workDir, destination) {
    const relative = validateFiles(files, workDir);
    const out = [];
    for (let i = 0; i < files.length; i++) {
        const rel = relative[i];
        if (rel === '.')
            continue;
        if (!(await exists(destination, rel.split('/'))))
            out.push(files[i]);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/action/sync-job.ts
/**
 * One job, as `qq sync` handles it: the state panel, the suitability check (qq's order and
 * words), the destination check, the transfer — and, beyond qq, the cache and the counts.
 */












/** The result of a job before anything is done: failed, with what its info file says. */
function newResult(job, state) {
    const info = job.info;
    return {
        id: info?.jobId ?? job.requestedId ?? job.label,
        name: info?.jobName ?? '',
        infoFile: job.infoFile ?? '',
        state: state ? realStateToString(state) : '',
        status: 'failed',
        reason: '',
        exitCode: info?.jobExitCode ?? null,
        filesSynced: 0,
        bytesSynced: 0,
        destination: '',
        cacheHit: false,
        cacheKey: '',
        mainNode: info?.mainNode ?? '',
        workDir: info?.workDir ?? '',
        inputDir: info?.inputDir ?? '',
        durationMs: 0,
        action: 'error',
    };
}
/** Nothing to fetch (qq's reason); a job already synchronized may come back from the cache. */
async function skip(result, reason, info, ctx, log) {
    log.info(reason);
    result.status = 'skipped';
    result.reason = reason;
    result.action = 'nothing to fetch';
    if (ctx.settings.cache &&
        !ctx.signal?.aborted &&
        (reason === SYNCHRONIZED_MESSAGE || reason === KILLED_NO_WORK_DIR_MESSAGE)) {
        await restoreFromCache(result, destinationOf(result.id, info.inputDir, ctx), log);
    }
}
/** qq's `Fetching … from job's working directory to …` line. */
function fetchingMessage(files, destination, info, ctx) {
    const where = destination === info.inputDir
        ? 'input directory'
        : `'${external_node_path_.relative(ctx.settings.workspace, destination) || '.'}'`;
    return files
        ? `Fetching file${files.length > 1 ? 's' : ''} '${files.join(' ')}' from job's working directory to ${where}.`
        : `Fetching all files from job's working directory to ${where}.`;
}
/** Transfer the job's working directory into its destination, then save it to the cache. */
async function fetch(job, info, result, ctx, log) {
    const { host, workDir } = ensureDestination(info);
    const destination = destinationOf(result.id, info.inputDir, ctx);
    result.destination = destination;
    const files = splitFiles(ctx.settings.files);
    log.info(fetchingMessage(files, destination, info, ctx));
    ctx.signal?.throwIfAborted();
    const local = await readsLocally(job, ctx);
    if (!local)
        ctx.ssh?.use(host);
    const dryRun = ctx.settings.dryRun;
    const transfer = await transferJob({
        workDir,
        mainNode: host,
        local,
        destination,
        files,
        dryRun,
        settings: transferSettings(ctx),
        onProgress: (line) => log.progress(line),
        onMessage: (text) => log.untrusted(text),
    });
    result.filesSynced = transfer.files;
    result.bytesSynced = transfer.bytes;
    result.status = 'synced';
    result.action = dryRun
        ? `dry run: would fetch (${transfer.method})`
        : `fetched (${transfer.method}${transfer.attempts > 1 ? `, ${transfer.attempts} attempts` : ''})`;
    log.info(`${dryRun ? 'Would fetch' : 'Fetched'} ${transfer.files} file(s), ${transfer.bytes} bytes (${transfer.method}).`);
    if (files && !dryRun) {
        result.unmatchedFiles = await unmatchedFiles(files, workDir, destination);
        for (const f of result.unmatchedFiles)
            log.info(unmatchedMessage(f, workDir));
    }
    if (ctx.settings.cache && !dryRun && !ctx.signal?.aborted) {
        await saveToCache(result, destination, log);
    }
}
/**
 * The job failed. When its working directory vanished (most often: the job ended and qq
 * synchronized and deleted it after the scheduler answered), with `cache: true`, the newest
 * cached copy instead.
 */
async function fail(result, e, ctx, log) {
    result.status = 'failed';
    result.reason = (0,errors/* errorMessage */.g)(e);
    result.action = 'error';
    log.untrusted(`ERROR    ${result.reason}`);
    if (ctx.settings.cache &&
        !ctx.settings.dryRun &&
        !ctx.signal?.aborted &&
        result.destination &&
        e instanceof WorkDirMissingError &&
        (await restoreFromCache(result, result.destination, log))) {
        result.status = 'skipped';
        result.reason = WORK_DIR_GONE_RESTORED;
    }
}
/** The job's state panel, suitability check and transfer; never throws. */
async function syncJob(job, ctx, live) {
    const started = Date.now();
    const state = realStateOf(job);
    const result = newResult(job, state);
    const log = new JobLog(`${result.id}${result.name ? ` (${result.name})` : ''}`, live);
    try {
        const info = job.info;
        if (job.error || !info || !state)
            throw new Error(job.error ?? 'The job could not be read.');
        log.info(`Job state: ${stateMessage(state)}`);
        const details = stateDetails(state, info, { batchMainNode: job.batch?.mainNode });
        if (details)
            log.info(`           ${details}`);
        const reason = checkSuitable(info, state);
        if (reason !== undefined)
            await skip(result, reason, info, ctx, log);
        else
            await fetch(job, info, result, ctx, log);
    }
    catch (e) {
        // What failed after a cancel failed because of it (a killed rsync): the cancel's words.
        await fail(result, ctx.signal?.aborted && !job.error ? ctx.signal.reason : e, ctx, log);
    }
    finally {
        result.durationMs = Date.now() - started;
        log.end();
    }
    return result;
}

;// CONCATENATED MODULE: ./src/action/cancel.ts
/**
 * A cancelled run, as the GitHub runner cancels a step (a cancelled workflow, or
 * `timeout-minutes`): SIGINT to the step's process, SIGTERM 7.5 s later, SIGKILL 2.5 s after
 * that — to the process only, not to the process groups of the programs it runs.
 *
 * At the first SIGINT or SIGTERM: the run's AbortSignal is aborted (no new job, transfer,
 * retry or poll starts; what waits returns), every program gets SIGTERM (rsync then removes
 * its temporary file) and SIGKILL a second later (src/exec/run.ts). The run then unwinds on
 * its own: the destination locks are released, the shared ssh connections closed, the
 * outputs and the summary written, and the process exits with 1. Whatever has not unwound
 * after FORCE_AFTER_MS (a copy in the thread pool, a cache upload) is cut short: programs are
 * killed, the copier's temporary files removed, the clean-up hooks get a moment, the report
 * is written from what is known, and the process exits — well before the runner's SIGTERM.
 * A second signal exits at once (programs killed, temporary files removed, report written
 * if it was not). Held destination locks are removed at exit by proper-lockfile's handler.
 */





/** The error of every job a cancel stopped; its message is the job's `reason`. */
class CancelledError extends Error {
    signalName;
    name = 'CancelledError';
    constructor(signalName) {
        super(`Cancelled (${signalName}) before the transfer finished.`);
        this.signalName = signalName;
    }
}
/** `SIGINT` for a cancel's reason (the run's AbortSignal's), `a cancel` for anything else. */
function signalNameOf(reason) {
    return reason instanceof CancelledError ? reason.signalName : 'a cancel';
}
/** After the first signal, the run is cut short by then at the latest (runner: 7.5 s). */
const FORCE_AFTER_MS = 4000;
/** How long the clean-up hooks (`ssh -O exit`) may take when the run is cut short. */
const CLEANUP_MS = 1500;
function installCancellation(options) {
    const controller = new AbortController();
    const hooks = new Set();
    let signalledAt = 0;
    let exiting = false;
    const exit = (how) => {
        exiting = true;
        (0,exec_run/* killAllCommandsNow */.Im)();
        removeTempFilesNow();
        core/* info */.pq(`Cancelled: ${how} ${Date.now() - signalledAt} ms after the signal.`);
        process.exit(1);
    };
    const forceExit = async () => {
        if (exiting)
            return;
        exiting = true;
        core/* warning */.$e(`The run did not unwind within ${Math.round((options.forceAfterMs ?? FORCE_AFTER_MS) / 1000)} s of the cancel: cutting it short (${(0,exec_run/* liveCommandCount */.JX)()} program(s) still running).`);
        (0,exec_run/* killAllCommandsNow */.Im)();
        removeTempFilesNow();
        await Promise.race([
            Promise.allSettled([...hooks].map((fn) => fn())),
            new Promise((r) => setTimeout(r, CLEANUP_MS)),
        ]);
        options.reportNow();
        exit('cut short and exited');
    };
    const onSignal = (name) => {
        if (signalledAt > 0) {
            core/* info */.pq(`Received ${name} again: exiting now.`);
            options.reportNow();
            exit('exited at the second signal');
        }
        signalledAt = Date.now();
        core/* info */.pq(`Received ${name}: cancelling — no new work, every program stopped, then the outputs and the summary.`);
        controller.abort(new CancelledError(name));
        (0,exec_run/* stopAllCommands */.mB)();
        setTimeout(() => void forceExit(), options.forceAfterMs ?? FORCE_AFTER_MS);
    };
    const onInt = () => onSignal('SIGINT');
    const onTerm = () => onSignal('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    return {
        signal: controller.signal,
        onForcedExit(fn) {
            hooks.add(fn);
            return () => hooks.delete(fn);
        },
        done() {
            if (controller.signal.aborted) {
                if (!exiting)
                    exit('stopped and exited');
                return;
            }
            process.off('SIGINT', onInt);
            process.off('SIGTERM', onTerm);
        },
    };
}
/** The result of a job the cancel stopped before it had one of its own. */
function unfinishedResult(job, reason) {
    return {
        ...newResult(job, realStateOf(job)),
        reason: job.error ?? (reason instanceof Error ? reason.message : String(reason)),
        action: 'cancelled',
    };
}

;// CONCATENATED MODULE: ./src/action/follow.ts
/**
 * `follow: true`: while waiting, the new lines of each job's stdout/stderr files (in its
 * working directory) are printed to the log — fenced, since they come from the cluster.
 */




class Follower {
    read;
    offsets = new Map();
    partial = new Map();
    constructor(read) {
        this.read = read;
    }
    files(job) {
        const info = job.info;
        if (!info?.workDir || !info.mainNode)
            return [];
        const dir = info.workDir.replace(/\/+$/, '');
        return [info.stdoutFile, info.stderrFile].filter(Boolean).map((f) => `${dir}/${f}`);
    }
    /** Print what was appended since the last poll. */
    async poll(jobs) {
        for (const job of jobs) {
            for (const file of this.files(job)) {
                const offset = this.offsets.get(file) ?? 0;
                let chunk;
                try {
                    chunk = await this.read(job, file, offset);
                }
                catch {
                    chunk = undefined;
                }
                if (!chunk || chunk.length === 0)
                    continue;
                const piece = chunk.subarray(0, FOLLOW_CHUNK_BYTES);
                this.offsets.set(file, offset + piece.length);
                const text = (this.partial.get(file) ?? '') + piece.toString('utf8');
                const cut = text.lastIndexOf('\n');
                this.partial.set(file, cut < 0 ? text : text.slice(cut + 1));
                if (cut < 0)
                    continue;
                const name = file.slice(file.lastIndexOf('/') + 1);
                printUntrusted(`── ${job.info?.jobId} ${name} ──\n${text.slice(0, cut)}`);
            }
        }
    }
}
/** The ChunkReader of a run: the file read here, or over ssh from the job's main node. */
async function readJobOutputChunk(job, file, offset, ctx) {
    if (await readsLocally(job, ctx)) {
        const handle = await (0,promises_.open)(file, 'r');
        try {
            const buf = Buffer.alloc(FOLLOW_CHUNK_BYTES);
            const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
            return buf.subarray(0, bytesRead);
        }
        finally {
            await handle.close();
        }
    }
    const host = job.info?.mainNode;
    if (!host)
        return undefined;
    ctx.ssh?.use(host);
    return readRemoteChunk(host, file, offset, transferSettings(ctx));
}

;// CONCATENATED MODULE: ./src/batch/types.ts
/**
 * What a scheduler adapter answers about one job. Filled from `qstat -fxw` (PBS) or
 * `scontrol show job -o` / `sacct` (Slurm); see docs/qq-behaviour.md §3.
 */


;// CONCATENATED MODULE: ./src/util/duration.ts
/**
 * Durations as users of other actions write them: a whole number of seconds (`600`), or whole
 * numbers with units (`90s`, `30m`, `3h`, `1d`, and sums such as `1h30m`). Pure.
 */
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 };
/** Seconds, or undefined when `text` is not a duration. */
function parseDurationSec(text) {
    const t = text.trim().toLowerCase();
    if (/^\d+$/.test(t))
        return Number(t);
    if (!/^(\d+[smhd])+$/.test(t))
        return undefined;
    let total = 0;
    for (const [, n, unit] of t.matchAll(/(\d+)([smhd])/g)) {
        total += Number(n) * UNIT_SECONDS[unit];
    }
    return total;
}

;// CONCATENATED MODULE: ./src/util/list.ts
/**
 * The one list syntax of the list inputs whose values cannot hold a separator (`job-id`,
 * `fail-on`, `wait-for`): items separated by commas, whitespace or newlines, in any mix.
 * (`files` keeps qq's own syntax, `path` and `ssh-options` are read one line at a time.)
 */
function listItems(text) {
    return text.split(/[\s,]+/).filter((s) => s.length > 0);
}

;// CONCATENATED MODULE: ./src/action/inputs.ts
/**
 * Every input of action.yml, read once and validated into a typed settings object. A bad value
 * is an InputError that names the input and, for enums, the allowed values.
 */









const fromCore = (name) => core/* getInput */.V4(name);
function lines(text) {
    return text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l.length > 0);
}
function choice(get, name, allowed) {
    const raw = get(name).trim();
    const found = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
    if (found === undefined) {
        throw new InputError(`Input '${name}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got '${raw}'.`);
    }
    return found;
}
function bool(get, name) {
    // The YAML 1.2 core schema booleans, as core.getBooleanInput accepts them.
    const raw = get(name).trim();
    if (['true', 'True', 'TRUE'].includes(raw))
        return true;
    if (['false', 'False', 'FALSE', ''].includes(raw))
        return false;
    throw new InputError(`Input '${name}' must be 'true' or 'false'; got '${raw}'.`);
}
function integer(get, name, min, max) {
    const raw = get(name).trim();
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
        throw new InputError(`Input '${name}' must be a whole number from ${min} to ${max}; got '${raw}'.`);
    }
    return Number(raw);
}
/** Seconds: a whole number, or a duration with units (`90s`, `30m`, `3h`, `1h30m`). */
function duration(get, name, min, max) {
    const raw = get(name).trim();
    const sec = parseDurationSec(raw);
    if (sec === undefined || sec < min || sec > max) {
        throw new InputError(`Input '${name}' must be a duration from ${min} to ${max} seconds: whole seconds ('600') or with units ('90s', '30m', '3h', '1h30m'); got '${raw}'.`);
    }
    return sec;
}
/** The `ssh-options` lines, refused here (before any scheduler call) if ssh or rsync could not take them. */
function sshOptions(get) {
    const optionLines = lines(get('ssh-options'));
    rsyncRsh({ sshOptions: optionLines, strictHostKeyChecking: 'yes' });
    return optionLines;
}
function states(get, name, extra) {
    const out = new Set();
    // qq's own form of the one state with spaces is accepted too: make it one item first.
    const text = get(name).replace(/in\s+an\s+inconsistent\s+state/gi, 'inconsistent');
    for (const word of listItems(text)) {
        if (extra.includes(word.toLowerCase())) {
            out.add(word.toLowerCase());
            continue;
        }
        const state = realStateFromName(word);
        if (!state) {
            throw new InputError(`Input '${name}' has an unknown condition '${word}'; allowed: ${[...REAL_STATE_NAMES, ...extra].join(', ')}.`);
        }
        out.add(state);
    }
    return out;
}
function readSettings(get = fromCore, env = process.env) {
    const workspace = external_node_path_.resolve(env.GITHUB_WORKSPACE || process.cwd());
    const jobIds = listItems(get('job-id'));
    let paths = lines(get('path'));
    // The runner fills in the default '.', so "set explicitly" can only mean "not the default".
    if (jobIds.length > 0 && paths.length === 1 && paths[0] === '.')
        paths = [];
    if (jobIds.length === 0 && paths.length === 0)
        paths = ['.'];
    const dest = get('destination').trim();
    const batch = get('batch-system').trim();
    const settings = {
        workspace,
        paths,
        jobIds,
        files: get('files'),
        destination: dest ? external_node_path_.resolve(workspace, dest) : undefined,
        failOn: states(get, 'fail-on', ['unsuitable']),
        waitFor: states(get, 'wait-for', []),
        waitTimeoutSec: duration(get, 'wait-timeout', 0, 31 * 24 * 3600),
        pollIntervalSec: duration(get, 'poll-interval', 1, 24 * 3600),
        follow: bool(get, 'follow'),
        batchSystem: batch ? choice(get, 'batch-system', BATCH_SYSTEMS) : undefined,
        sharedStorage: choice(get, 'shared-storage', ['auto', 'true', 'false']),
        sshOptions: sshOptions(get),
        strictHostKeyChecking: choice(get, 'strict-host-key-checking', [
            'accept-new',
            'yes',
            'no',
        ]),
        overwrite: choice(get, 'overwrite', ['newer', 'always']),
        transferTimeoutSec: duration(get, 'transfer-timeout', 1, 7 * 24 * 3600),
        schedulerTimeoutSec: duration(get, 'scheduler-timeout', 1, 3600),
        retries: integer(get, 'retries', 0, 20),
        parallel: integer(get, 'parallel', 1, 64),
        shard: parseShard(get('shard')),
        streams: ['', 'auto'].includes(get('streams').trim()) ? 'auto' : integer(get, 'streams', 1, 32),
        dryRun: bool(get, 'dry-run'),
        cache: bool(get, 'cache'),
    };
    if (core.isDebug())
        core.debug(`settings from the inputs: ${describeSettings(settings)}`);
    return settings;
}
/** The settings as one JSON line for the debug log (sets as arrays). */
function describeSettings(settings) {
    return JSON.stringify(settings, (_key, value) => (value instanceof Set ? [...value] : value));
}

;// CONCATENATED MODULE: ./src/action/not-found.ts
/**
 * qq's `No qq job info file found.`, followed by what a user needs to fix it: every path that
 * was searched (absolute, with what was found there), the workspace it was resolved in, and
 * the most likely cause.
 */


const not_found_GLOB_CHARS = /[*?[\]{}]/;
async function whatIsThere(absolute) {
    try {
        const s = await (0,promises_.stat)(absolute);
        if (!s.isDirectory())
            return 'not a directory or .qqinfo file';
        const names = await (0,promises_.readdir)(absolute);
        return `a directory with no *.qqinfo file${names.length === 0 ? ' (empty)' : ''}`;
    }
    catch {
        return 'does not exist';
    }
}
async function noInfoFileMessage(paths, workspace) {
    const searched = [];
    for (const line of paths) {
        const absolute = external_node_path_.resolve(workspace, line);
        searched.push(not_found_GLOB_CHARS.test(line)
            ? `'${absolute}' (a pattern that matched no .qqinfo file)`
            : `'${absolute}' (${await whatIsThere(absolute)})`);
    }
    const anyExists = searched.some((s) => !s.endsWith('(does not exist)'));
    const cause = anyExists
        ? "The most likely cause: 'path' does not name the directory the job was submitted from (where qq writes the job's .qqinfo file)."
        : "The most likely cause: the runner does not see the cluster's files — run this job on a self-hosted runner on the cluster (a login node, or a machine that mounts its storage) — or 'path' is wrong.";
    return `No qq job info file found. Searched in the workspace '${workspace}': ${searched.join(', ')}. ${cause}`;
}

;// CONCATENATED MODULE: ./src/action/runner-env.ts
/**
 * Where the action is started, and what to say when that is the wrong place: it works only on
 * a Linux self-hosted runner on the cluster (a login node that sees the jobs' files and the
 * scheduler).
 */
const NOT_HERE = 'qq-sync runs on a Linux self-hosted runner on the cluster: a login node (or a machine like it) that sees the jobs’ files and can run the scheduler’s commands.';
/** The message for a platform the action cannot run on (Windows, macOS), or undefined. */
function unsupportedPlatform(platform = process.platform) {
    const name = platform === 'win32' ? 'Windows' : platform === 'darwin' ? 'macOS' : undefined;
    return name ? `This runner is ${name}. ${NOT_HERE}` : undefined;
}
/** Throws at once on Windows or macOS. */
function assertSupportedPlatform(platform = process.platform) {
    const problem = unsupportedPlatform(platform);
    if (problem)
        throw new Error(problem);
}
/**
 * A fatal error explained for a GitHub-hosted runner (`RUNNER_ENVIRONMENT=github-hosted`),
 * where no job can be found: what the action needs, and the cache hand-off that brings the
 * results to such a runner.
 */
function explainOnHostedRunner(message, env) {
    if (env.RUNNER_ENVIRONMENT !== 'github-hosted')
        return message;
    return `${message} This is a GitHub-hosted runner, which cannot see the cluster: ${NOT_HERE} To use the results on a GitHub-hosted runner, fetch them on the cluster's runner with \`cache: true\` and restore them here with actions/cache (README: "Hand the results to a GitHub-hosted runner through the Actions cache").`;
}

;// CONCATENATED MODULE: ./src/action/ssh-pool.ts
/**
 * The run's shared ssh connections: one master per host (ControlMaster), opened once before
 * the host's first transfer so that parallel jobs do not each make a handshake, and closed at
 * the end of the run.
 */




class SshPool {
    controlDir;
    settings;
    debug;
    /** The hosts this run has used over ssh (each may hold a master to close). */
    hosts = new Set();
    masters = new Map();
    constructor(
    /** The private directory of the control sockets. */
    controlDir, settings, debug) {
        this.controlDir = controlDir;
        this.settings = settings;
        this.debug = debug;
    }
    /** A pool with a new private control directory. */
    static async open(settings, debug = () => { }) {
        const controlDir = await (0,promises_.mkdtemp)(external_node_path_.join((0,external_node_os_.tmpdir)(), 'qqs-'));
        return new SshPool(controlDir, { ...settings, controlDir }, debug);
    }
    /** Note that the run reads from `host` over ssh (its master, if any, is closed at the end). */
    use(host) {
        this.hosts.add(host);
    }
    /** The shared connection to `host`, opened once for the run (all its jobs wait for it). */
    connect(host, timeoutMs) {
        let opening = this.masters.get(host);
        if (!opening) {
            this.use(host);
            opening = openSharedConnection(host, this.settings, timeoutMs).then((r) => this.debug(r.open
                ? `ssh: shared connection to '${host}' open ${r.detail}`
                : `ssh: no shared connection to '${host}' (${r.detail}); each transfer connects by itself`));
            this.masters.set(host, opening);
        }
        return opening;
    }
    /** Close every master (one `ssh -O exit` per host) and remove the control directory. */
    async close() {
        await closeSharedConnections(this.hosts, this.settings).catch(() => { });
        await (0,promises_.rm)(this.controlDir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/action/wait.ts
/**
 * `wait-for`: poll every job (one scheduler call per batch system per poll) until its real
 * state is one of the wanted ones, at most `wait-timeout` seconds. With `follow`, new lines of
 * the jobs' stdout/stderr files are streamed into the log meanwhile. A cancel ends the wait at
 * once: the jobs still waiting get the cancel as their error.
 */





function stateName(s) {
    return s ? realStateToString(s) : 'not known';
}
/** Returns once every job is done waiting; jobs still waiting at the deadline get an error. */
async function waitForStates(jobs, settings, ctx, follower, now = Date.now) {
    const wanted = [...settings.waitFor].map(realStateToString).join(', ');
    const deadline = now() + settings.waitTimeoutSec * 1000;
    let polls = 0;
    for (;;) {
        const pending = jobs.filter((j) => {
            const s = realStateOf(j);
            return s !== undefined && !settings.waitFor.has(s);
        });
        if (ctx.signal?.aborted) {
            for (const j of pending) {
                j.error = `Cancelled (${signalNameOf(ctx.signal.reason)}) while waiting for the job to be ${wanted}; its last state was '${stateName(realStateOf(j))}'.`;
            }
            return;
        }
        if (follower)
            await follower.poll(jobs);
        if (pending.length === 0) {
            if (polls > 0)
                core/* info */.pq(`All jobs reached one of: ${wanted}.`);
            return;
        }
        const remaining = deadline - now();
        if (remaining <= 0) {
            for (const j of pending) {
                j.error = `Timed out after ${settings.waitTimeoutSec} s waiting for the job to be ${wanted}; its last state was '${stateName(realStateOf(j))}'.`;
            }
            return;
        }
        const sample = pending
            .slice(0, 5)
            .map((j) => `${j.info?.jobId ?? j.label} is ${stateName(realStateOf(j))}`)
            .join(', ');
        core/* info */.pq(`Waiting for ${pending.length} job(s) to be ${wanted} (${sample}${pending.length > 5 ? ', …' : ''}); next poll in ${Math.ceil(Math.min(settings.pollIntervalSec * 1000, remaining) / 1000)} s.`);
        await sleep(Math.min(settings.pollIntervalSec * 1000, remaining), ctx.signal);
        if (ctx.signal?.aborted)
            continue;
        polls++;
        await refreshStates(pending, settings, ctx, {
            reread: true,
            all: true,
            warn: (m) => core/* warning */.$e(m),
        });
    }
}

;// CONCATENATED MODULE: ./src/main.ts
/**
 * The action: read the inputs, find the jobs, ask the schedulers once, wait if asked to, fetch
 * each suitable job, report. Outputs are always set, also when the step fails or is cancelled
 * (src/action/cancel.ts).
 */



















function batchContext(settings, env, signal) {
    return {
        timeoutMs: settings.schedulerTimeoutSec * 1000,
        env,
        debug: (m) => core.debug(m),
        signal,
    };
}
function resultsSoFar(progress, reason) {
    return (progress.jobs ?? []).map((j) => progress.done.get(j) ?? unfinishedResult(j, reason));
}
/** Which `fail-on` conditions the results meet, as sentences. */
function failOnHits(settings, results) {
    const hits = [];
    for (const r of results) {
        if (settings.failOn.has('unsuitable') && r.status === 'skipped') {
            hits.push(`job ${r.id} had nothing to fetch (unsuitable)`);
        }
        const state = r.state ? realStateFromName(r.state) : undefined;
        if (state && settings.failOn.has(state))
            hits.push(`job ${r.id} is ${r.state}`);
    }
    return hits;
}
async function syncAll(settings, env, cancel, progress) {
    const ctx = batchContext(settings, env, cancel.signal);
    const before = { all: 0 };
    const jobs = await collectJobs(settings, ctx, env, before);
    progress.jobs = jobs;
    // A `path` line that cannot be read is carried as a failed target, not counted as a job.
    const found = jobs.filter((j) => j.infoFile || j.requestedId).length;
    if (settings.shard) {
        // An empty shard is no error: a matrix of n steps over fewer than n jobs has some.
        core/* info */.pq(`${describeShard(settings.shard)}: ${jobs.length} of ${before.all} target(s).`);
        if (jobs.length === 0 && before.all > 0)
            return [];
    }
    if (found === 0) {
        if (settings.jobIds.length > 0)
            throw new Error('No jobs found.');
        throw new Error(await noInfoFileMessage(settings.paths, settings.workspace));
    }
    core/* info */.pq(`Found ${found} job(s).`);
    if (settings.cache && !settings.dryRun)
        await warnIfNoCache();
    // Ask the local rsync its version while the scheduler answers, when there may be something
    // to fetch (a job that has started has a working directory).
    if (jobs.some((j) => j.info?.workDir))
        void detectRsync(env);
    await refreshStates(jobs, settings, ctx, {
        reread: false,
        all: false,
        warn: (m) => core/* warning */.$e(m),
    });
    const jobCtx = {
        settings,
        env,
        multiple: jobs.length > 1,
        debug: (m) => core.debug(m),
        signal: cancel.signal,
    };
    // One ssh connection per host pays off with several jobs, or with `follow` polling one job's
    // output; a single transfer would only add the master's spawn and its `ssh -O exit`.
    if (jobs.length > 1 || settings.follow) {
        jobCtx.ssh = await SshPool.open(sshSettingsOf(settings, env), (m) => core.debug(m));
    }
    const closeSsh = async () => jobCtx.ssh?.close();
    const unhook = cancel.onForcedExit(closeSsh);
    try {
        if (settings.waitFor.size > 0) {
            const follower = settings.follow
                ? new Follower((job, file, offset) => readJobOutputChunk(job, file, offset, jobCtx))
                : undefined;
            await waitForStates(jobs, settings, ctx, follower);
        }
        const live = jobs.length === 1 || settings.parallel === 1;
        return await mapLimit(jobs, settings.parallel, async (job) => {
            const result = await syncJob(job, jobCtx, live);
            progress.done.set(job, result);
            return result;
        });
    }
    finally {
        unhook();
        await closeSsh();
    }
}
/** `cache: true` where the runner has no cache service: one warning for the step. */
async function warnIfNoCache() {
    const { cacheAvailability } = await __webpack_require__.e(/* import() */ 884).then(__webpack_require__.bind(__webpack_require__, 8884));
    const availability = await cacheAvailability();
    if (!availability.available) {
        core/* warning */.$e(availability.notice, { title: 'qq-sync: cache not available' });
    }
}
/** What tells this step's summary apart from another qq-sync step of the job. */
function summaryHeading(settings, env) {
    const parts = [];
    // GITHUB_ACTION is the step's `id`, or `__owner_repo` (with a suffix) when it has none.
    const step = env.GITHUB_ACTION ?? '';
    if (step && !step.startsWith('__'))
        parts.push(`step ${step}`);
    if (settings) {
        const what = settings.jobIds.length > 0 ? settings.jobIds : settings.paths;
        const text = what.join(', ');
        parts.push(`${settings.jobIds.length > 0 ? 'job-id' : 'path'} ${text.length > 120 ? `${text.slice(0, 120)}…` : text}`);
    }
    return parts.join(', ');
}
async function run(env = process.env) {
    let results = [];
    let settings;
    let fatal = '';
    /** Why the step failed, for the summary's headline; '' if it passed. */
    let failure = '';
    let reported = false;
    const started = Date.now();
    const progress = { done: new Map() };
    /** The outputs and the summary, once; `now`: synchronously (the process exits next). */
    const report = async (now) => {
        if (reported)
            return;
        reported = true;
        setOutputs(computeOutputs(results, fatal));
        const status = overallStatus(results);
        const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
        const counts = `${results.length} job(s), status ${status}, in ${took}.`;
        const headline = fatal
            ? `The step failed: ${fatal}`
            : cancel.signal.aborted
                ? `Cancelled (${signalNameOf(cancel.signal.reason)}) after ${took}: ${results.length} job(s), status ${status}.`
                : failure
                    ? `The step failed: ${failure}`
                    : counts;
        try {
            if (env.GITHUB_STEP_SUMMARY) {
                const text = renderSummary(results, headline, {
                    heading: summaryHeading(settings, env),
                    detail: failure ? counts : undefined,
                });
                if (now)
                    (0,external_node_fs_.appendFileSync)(env.GITHUB_STEP_SUMMARY, text);
                else
                    await core/* summary */.z.addRaw(text).write();
            }
        }
        catch (e) {
            core/* warning */.$e(`Could not write the job summary: ${(0,errors/* errorMessage */.g)(e)}`);
        }
    };
    const cancel = installCancellation({
        reportNow: () => {
            if (reported)
                return;
            results = resultsSoFar(progress, cancel.signal.reason);
            if (results.length === 0)
                fatal = cancelMessage(cancel, results);
            core/* setFailed */.C1(cancelMessage(cancel, results));
            void report(true);
        },
    });
    try {
        assertSupportedPlatform();
        settings = readSettings(undefined, env);
        results = await syncAll(settings, env, cancel, progress);
        // One annotation per failed job: the step fails with them, without repeating them.
        annotate(results);
        if (cancel.signal.aborted) {
            core/* setFailed */.C1(cancelMessage(cancel, results));
        }
        else {
            failure = judge(settings, results);
        }
    }
    catch (e) {
        if (cancel.signal.aborted && progress.jobs) {
            results = resultsSoFar(progress, cancel.signal.reason);
            core/* setFailed */.C1(cancelMessage(cancel, results));
        }
        else {
            fatal = cancel.signal.aborted
                ? cancelMessage(cancel, [])
                : explainOnHostedRunner((0,errors/* errorMessage */.g)(e), env);
            core/* setFailed */.C1(fatal);
        }
    }
    finally {
        await report(cancel.signal.aborted);
        cancel.done();
    }
}
/**
 * Fail the step for failed jobs (their annotations say why, so only the exit code is set) and
 * for `fail-on` hits; what failed it, for the summary's headline ('' when it passed).
 */
function judge(settings, results) {
    let failure = '';
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length > 0) {
        process.exitCode = core/* ExitCode */.yU.Failure;
        failure =
            failed.length === 1
                ? `job ${failed[0]?.id} failed: ${failed[0]?.reason}`
                : `${failed.length} of ${results.length} jobs failed.`;
    }
    const hits = failOnHits(settings, results);
    if (hits.length > 0) {
        const message = `fail-on: ${hits.join('; ')}.`;
        core/* setFailed */.C1(message);
        failure = failure ? `${failure} ${message}` : message;
    }
    return failure;
}
/** The step's error message for a cancelled run. */
function cancelMessage(cancel, results) {
    const reason = cancel.signal.reason;
    const name = signalNameOf(reason);
    const unfinished = results.filter((r) => r.status === 'failed' && r.reason.startsWith(`Cancelled (${name})`)).length;
    if (results.length === 0) {
        return reason instanceof CancelledError
            ? `Cancelled (${name}) before any job was found.`
            : (0,errors/* errorMessage */.g)(reason);
    }
    return `Cancelled (${name}): ${unfinished} of ${results.length} job(s) not fetched.`;
}


/***/ }),

/***/ 17:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ errorMessage)
/* harmony export */ });
/** The message of anything thrown: an Error's message, else the value as text. */
function errorMessage(e) {
    return e instanceof Error ? e.message : String(e);
}


/***/ })

};
