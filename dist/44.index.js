export const id = 44;
export const ids = [44];
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
/* unused harmony exports STOP_GRACE_MS, MAX_LINE_BYTES, formatBytes, commandLine */
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
/** The longest line handed to an `on…Line` callback; a longer one ends the program as `maxStdout` does. */
const MAX_LINE_BYTES = 4 * 1024 * 1024;
/** `64 MiB`, `512 KiB`, `100 bytes`. */
function formatBytes(n) {
    if (n >= 1024 * 1024 && n % (1024 * 1024) === 0)
        return `${n / (1024 * 1024)} MiB`;
    if (n >= 1024 && n % 1024 === 0)
        return `${n / 1024} KiB`;
    return `${n} bytes`;
}
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
    limit;
    chunks = [];
    size = 0;
    total = 0;
    partial = '';
    /** What was exceeded, once `limit` or MAX_LINE_BYTES was: nothing more is taken. */
    exceeded;
    constructor(max, onLine, limit) {
        this.max = max;
        this.onLine = onLine;
        this.limit = limit;
    }
    stop(what) {
        this.exceeded = what;
        this.chunks = [];
        this.size = 0;
        this.partial = '';
        this.limit?.onExceeded();
    }
    push(chunk) {
        if (this.exceeded)
            return;
        this.total += chunk.length;
        const bytes = this.limit?.bytes;
        if (bytes !== undefined && this.total > bytes) {
            this.stop(`the output exceeded ${formatBytes(bytes)}`);
            return;
        }
        if (this.limit?.keep !== false) {
            this.chunks.push(chunk);
            this.size += chunk.length;
            while (this.size > this.max && this.chunks.length > 1) {
                this.size -= this.chunks.shift().length;
            }
        }
        if (this.onLine) {
            const text = this.partial + chunk.toString('utf8');
            const lines = text.split(/\r\n|\n|\r/);
            this.partial = lines.pop() ?? '';
            if (this.limit && this.partial.length > MAX_LINE_BYTES) {
                this.stop(`a line of the output exceeded ${formatBytes(MAX_LINE_BYTES)}`);
                return;
            }
            for (const line of lines)
                this.onLine(line);
        }
    }
    finish() {
        if (this.onLine && this.partial)
            this.onLine(this.partial);
        this.partial = '';
        const buf = Buffer.concat(this.chunks);
        this.chunks = [];
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
        const limited = options.maxStdout !== undefined || options.discardStdout === true;
        const out = new Capture(options.maxBuffer ?? DEFAULT_MAX, options.onStdoutLine, limited
            ? { bytes: options.maxStdout, keep: !options.discardStdout, onExceeded: () => kill() }
            : undefined);
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
                ...(out.exceeded ? { outputExceeded: out.exceeded } : {}),
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


/***/ })

};
