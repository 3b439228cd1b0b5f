export const id = 857;
export const ids = [857];
export const modules = {

/***/ 3857:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Nz: () => (/* binding */ debugMessage),
  Im: () => (/* binding */ killAllCommandsNow),
  JX: () => (/* binding */ liveCommandCount),
  logCommandsTo: () => (/* binding */ logCommandsTo),
  L: () => (/* binding */ onPath),
  d1: () => (/* binding */ runCommand),
  mB: () => (/* binding */ stopAllCommands)
});

// UNUSED EXPORTS: MAX_LINE_BYTES, STOP_GRACE_MS, commandLine

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./src/util/bytes.ts
var util_bytes = __webpack_require__(1671);
;// CONCATENATED MODULE: ./src/exec/process-group.ts
/**
 * Signalling a program together with everything it started. run.ts spawns each program as the
 * leader of its own process group (`detached`), so a signal to the group also reaches what the
 * program started (rsync's ssh, its receiver): the one place that sends it, for a timeout, an
 * abort, and a cancelled run alike.
 */
/**
 * `signal` to the process group `child` leads. If the group cannot be signalled (gone
 * already), the program itself gets it, when it still runs.
 */
function signalGroup(child, signal) {
    try {
        if (child.pid)
            process.kill(-child.pid, signal);
    }
    catch {
        if (child.exitCode === null && child.signalCode === null)
            child.kill(signal);
    }
}

;// CONCATENATED MODULE: ./src/exec/run.ts



/** The programs running now, each the leader of its process group; true for a `cleanup` one. */
const live = new Map();
let stopping = false;
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
            this.stop(`the output exceeded ${(0,util_bytes/* formatBytes */.z)(bytes, 'exact')}`);
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
                this.stop(`a line of the output exceeded ${(0,util_bytes/* formatBytes */.z)(MAX_LINE_BYTES, 'exact')}`);
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
/** Run `argv[0]` with `argv.slice(1)`; never rejects: failures are in the result. */
function runCommand(argv, options) {
    const [file, ...args] = argv;
    if (!file)
        throw new Error('runCommand: empty argv');
    const started = Date.now();
    if (stopping && !options.cleanup)
        return Promise.resolve(notStarted(file));
    const line = debugLog && commandLine(argv);
    if (line)
        debugLog?.(`run: ${line}${options.cwd ? ` (in ${options.cwd})` : ''}`);
    return new Promise((resolve) => supervise(file, args, options, { started, line }, resolve));
}
/** The answer for a program a cancelled run does not start. */
function notStarted(file) {
    return {
        code: null,
        signal: null,
        stdout: '',
        stderr: `${file} was not started: the run was cancelled.`,
        timedOut: false,
        durationMs: 0,
        cancelled: true,
    };
}
/**
 * One program from its spawn to its end: its output captured, killed at its timeout, at an
 * abort or when its output is too long, and its result handed to `resolve` once it closed.
 */
function supervise(file, args, options, how, resolve) {
    const child = spawnInGroup(file, args, options);
    if (child.pid)
        live.set(child, options.cleanup === true);
    const stopper = new GroupStopper(child);
    const kill = () => stopper.kill();
    const { out, err } = captures(options, kill);
    let timedOut = false;
    let spawnError;
    const timer = setTimeout(() => {
        timedOut = true;
        kill();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', kill, { once: true });
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
        stopper.clear();
        options.signal?.removeEventListener('abort', kill);
        if (how.line)
            logEnd(how.line, how.started, { code, signal, timedOut, spawnError });
        resolve({
            code,
            signal,
            stdout: out.finish(),
            stderr: err.finish(),
            timedOut,
            spawnError,
            durationMs: Date.now() - how.started,
            ...(stopping && !options.cleanup && code !== 0 ? { cancelled: true } : {}),
            ...(out.exceeded ? { outputExceeded: out.exceeded } : {}),
        });
    });
}
/** The program started as the leader of its own process group, with argv and no shell. */
function spawnInGroup(file, args, options) {
    return (0,external_node_child_process_.spawn)(file, args, {
        shell: false,
        env: options.env ?? process.env,
        cwd: options.cwd,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', options.stdoutFd ?? 'pipe', 'pipe'],
        // Own process group, so that a timeout also ends grandchildren (rsync's ssh).
        detached: true,
        windowsHide: true,
    });
}
/** SIGTERM to the program's process group, SIGKILL 2 s later if it is still there. */
class GroupStopper {
    child;
    killTimer;
    constructor(child) {
        this.child = child;
    }
    kill() {
        const child = this.child;
        if (child.exitCode !== null || child.signalCode !== null)
            return;
        signalGroup(child, 'SIGTERM');
        this.killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), 2000);
        this.killTimer.unref();
    }
    /** The program ended: no SIGKILL to a group that may be another's by then. */
    clear() {
        if (this.killTimer)
            clearTimeout(this.killTimer);
    }
}
/** stdout and stderr as kept; stdout with its limit, which kills the program when passed. */
function captures(options, kill) {
    const limited = options.maxStdout !== undefined || options.discardStdout === true;
    const out = new Capture(options.maxBuffer ?? DEFAULT_MAX, options.onStdoutLine, limited
        ? { bytes: options.maxStdout, keep: !options.discardStdout, onExceeded: kill }
        : undefined);
    return { out, err: new Capture(options.maxBuffer ?? DEFAULT_MAX, options.onStderrLine) };
}
/** The debug line of how a program ended (`exit 0 in 12 ms: rsync …`). */
function logEnd(line, started, end) {
    const { code, signal, timedOut, spawnError } = end;
    const how = spawnError
        ? `could not start (${spawnError.code ?? spawnError.message})`
        : `${code === null ? `killed by ${signal}` : `exit ${code}`}${timedOut ? ' (timed out)' : ''}`;
    debugLog?.(`${how} in ${Date.now() - started} ms: ${line}`);
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

/***/ 1671:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   z: () => (/* binding */ formatBytes)
/* harmony export */ });
/**
 * The one way a byte count is written for people, in two styles that both stay as they were
 * (messages must not change):
 * - `rounded` (summaries, logs): `100 B`, `1.5 MiB`: one decimal from KiB up.
 * - `exact` (a limit named in a message, where a rounded number would misstate it): a whole
 *   number of MiB or KiB when it is one (`64 MiB`, `512 KiB`), else `100 bytes`.
 */
function formatBytes(n, style = 'rounded') {
    return style === 'exact' ? exactBytes(n) : roundedBytes(n);
}
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
function roundedBytes(n) {
    let v = n;
    let i = 0;
    while (v >= 1024 && i < UNITS.length - 1) {
        v /= 1024;
        i++;
    }
    return i === 0 ? `${n} B` : `${v.toFixed(1)} ${UNITS[i]}`;
}
function exactBytes(n) {
    const MiB = 1024 * 1024;
    if (n >= MiB && n % MiB === 0)
        return `${n / MiB} MiB`;
    if (n >= 1024 && n % 1024 === 0)
        return `${n / 1024} KiB`;
    return `${n} bytes`;
}


/***/ })

};
