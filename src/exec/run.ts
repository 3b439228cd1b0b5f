/**
 * The one way this action runs an external program: an argv array (never a shell), a
 * timeout that kills the whole process, bounded captured output. Every live program is in a
 * registry of process groups, so that a cancelled run can end them all (`stopAllCommands`)
 * and start no new one.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { formatBytes } from '../util/bytes.js';
import { signalGroup } from './process-group.js';

export interface RunOptions {
  /** Milliseconds before the process is killed (SIGTERM, then SIGKILL 2 s later). */
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called for every complete line of stdout / stderr as it arrives. */
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Keep at most this many bytes of each stream (the end is kept). Default 4 MiB. */
  maxBuffer?: number;
  /**
   * Read at most this many bytes of stdout: a program that prints more is killed (its answer is
   * not usable cut short) and `outputExceeded` says so. Bounds memory where the whole answer is
   * needed (a scheduler's), unlike `maxBuffer`, which keeps the end of a log.
   */
  maxStdout?: number;
  /** stdout goes only to `onStdoutLine`, nothing of it is kept (`stdout` is ''). */
  discardStdout?: boolean;
  /** An abort signal that kills the process like a timeout does. */
  signal?: AbortSignal;
  /** Written to stdin, which is then closed; stdin is otherwise /dev/null. */
  input?: string;
  /**
   * stdout goes to this open file descriptor instead of a pipe (`stdout` is then ''): for a
   * program that writes many small records that the caller only samples (rsync's progress),
   * where a pipe would wake the reader for each of them.
   */
  stdoutFd?: number;
  /**
   * Runs even after `stopAllCommands()`: the clean-up of a cancelled run (`ssh -O exit`).
   * Anything else is refused then.
   */
  cleanup?: boolean;
}

export interface RunResult {
  /** Exit code, or null if killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The program could not be started (ENOENT: not installed). */
  spawnError?: NodeJS.ErrnoException;
  durationMs: number;
  /** Not started, or ended, because the run was cancelled (`stopAllCommands`). */
  cancelled?: boolean;
  /** Killed because stdout went past `maxStdout` (or a line past MAX_LINE_BYTES): what was exceeded. */
  outputExceeded?: string;
}

/** The programs running now, each the leader of its process group; true for a `cleanup` one. */
const live = new Map<ChildProcess, boolean>();
let stopping = false;

/** Grace between SIGTERM and SIGKILL for the programs of a cancelled run. */
export const STOP_GRACE_MS = 1000;

/**
 * The run is cancelled: start no program from now on (but `cleanup` ones), send SIGTERM to
 * every live process group (rsync removes its temporary file on it) and SIGKILL to those
 * still there STOP_GRACE_MS later.
 */
export function stopAllCommands(): void {
  stopping = true;
  const groups = [...live].filter(([, cleanup]) => !cleanup).map(([child]) => child);
  for (const child of groups) signalGroup(child, 'SIGTERM');
  if (groups.length > 0) {
    setTimeout(() => {
      for (const child of groups) if (live.has(child)) signalGroup(child, 'SIGKILL');
    }, STOP_GRACE_MS);
  }
}

/** SIGKILL to every live process group at once: the last thing before the process exits. */
export function killAllCommandsNow(): void {
  stopping = true;
  for (const child of live.keys()) signalGroup(child, 'SIGKILL');
}

/** How many programs run now (for tests and the cancel log). */
export function liveCommandCount(): number {
  return live.size;
}

const DEFAULT_MAX = 4 * 1024 * 1024;
/** The longest line handed to an `on…Line` callback; a longer one ends the program as `maxStdout` does. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

let debugLog: ((message: string) => void) | undefined;

/**
 * With step debug logging on, every command line run (and how it ended) goes to `log`: the one
 * place that sees all of them (scheduler, rsync, ssh, hostname). Only argv is logged, never
 * `input` or the environment.
 */
export function logCommandsTo(log: ((message: string) => void) | undefined): void {
  debugLog = log;
}

/** A debug message, when commands are logged (`logCommandsTo`). */
export function debugMessage(message: string): void {
  debugLog?.(message);
}

/** argv as one line: a word with spaces, quotes or control characters is JSON-quoted. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./~-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

class Capture {
  private chunks: Buffer[] = [];
  private size = 0;
  private total = 0;
  private partial = '';
  /** What was exceeded, once `limit` or MAX_LINE_BYTES was: nothing more is taken. */
  exceeded: string | undefined;
  constructor(
    private readonly max: number,
    private readonly onLine?: (line: string) => void,
    private readonly limit?: { bytes?: number; keep: boolean; onExceeded: () => void },
  ) {}
  private stop(what: string): void {
    this.exceeded = what;
    this.chunks = [];
    this.size = 0;
    this.partial = '';
    this.limit?.onExceeded();
  }
  push(chunk: Buffer): void {
    if (this.exceeded) return;
    this.total += chunk.length;
    const bytes = this.limit?.bytes;
    if (bytes !== undefined && this.total > bytes) {
      this.stop(`the output exceeded ${formatBytes(bytes, 'exact')}`);
      return;
    }
    if (this.limit?.keep !== false) {
      this.chunks.push(chunk);
      this.size += chunk.length;
      while (this.size > this.max && this.chunks.length > 1) {
        this.size -= (this.chunks.shift() as Buffer).length;
      }
    }
    if (this.onLine) {
      const text = this.partial + chunk.toString('utf8');
      const lines = text.split(/\r\n|\n|\r/);
      this.partial = lines.pop() ?? '';
      if (this.limit && this.partial.length > MAX_LINE_BYTES) {
        this.stop(`a line of the output exceeded ${formatBytes(MAX_LINE_BYTES, 'exact')}`);
        return;
      }
      for (const line of lines) this.onLine(line);
    }
  }
  finish(): string {
    if (this.onLine && this.partial) this.onLine(this.partial);
    this.partial = '';
    const buf = Buffer.concat(this.chunks);
    this.chunks = [];
    return (buf.length > this.max ? buf.subarray(buf.length - this.max) : buf).toString('utf8');
  }
}

/** Run `argv[0]` with `argv.slice(1)`; never rejects: failures are in the result. */
export function runCommand(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('runCommand: empty argv');
  const started = Date.now();
  if (stopping && !options.cleanup) return Promise.resolve(notStarted(file));
  const line = debugLog && commandLine(argv);
  if (line) debugLog?.(`run: ${line}${options.cwd ? ` (in ${options.cwd})` : ''}`);
  return new Promise((resolve) => supervise(file, args, options, { started, line }, resolve));
}

/** The answer for a program a cancelled run does not start. */
function notStarted(file: string): RunResult {
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
function supervise(
  file: string,
  args: readonly string[],
  options: RunOptions,
  how: { started: number; line: string | undefined },
  resolve: (result: RunResult) => void,
): void {
  const child = spawnInGroup(file, args, options);
  if (child.pid) live.set(child, options.cleanup === true);
  const stopper = new GroupStopper(child);
  const kill = () => stopper.kill();
  const { out, err } = captures(options, kill);
  let timedOut = false;
  let spawnError: NodeJS.ErrnoException | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs);
  options.signal?.addEventListener('abort', kill, { once: true });
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  if (options.input !== undefined && child.stdin) {
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
  }
  child.on('error', (e: NodeJS.ErrnoException) => {
    spawnError = e;
  });
  child.on('close', (code, signal) => {
    live.delete(child);
    clearTimeout(timer);
    stopper.clear();
    options.signal?.removeEventListener('abort', kill);
    if (how.line) logEnd(how.line, how.started, { code, signal, timedOut, spawnError });
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
function spawnInGroup(file: string, args: readonly string[], options: RunOptions): ChildProcess {
  return spawn(file, args, {
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
  private killTimer: NodeJS.Timeout | undefined;
  constructor(private readonly child: ChildProcess) {}
  kill(): void {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child, 'SIGTERM');
    this.killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), 2000);
    this.killTimer.unref();
  }
  /** The program ended: no SIGKILL to a group that may be another's by then. */
  clear(): void {
    if (this.killTimer) clearTimeout(this.killTimer);
  }
}

/** stdout and stderr as kept; stdout with its limit, which kills the program when passed. */
function captures(options: RunOptions, kill: () => void): { out: Capture; err: Capture } {
  const limited = options.maxStdout !== undefined || options.discardStdout === true;
  const out = new Capture(
    options.maxBuffer ?? DEFAULT_MAX,
    options.onStdoutLine,
    limited
      ? { bytes: options.maxStdout, keep: !options.discardStdout, onExceeded: kill }
      : undefined,
  );
  return { out, err: new Capture(options.maxBuffer ?? DEFAULT_MAX, options.onStderrLine) };
}

/** The debug line of how a program ended (`exit 0 in 12 ms: rsync …`). */
function logEnd(
  line: string,
  started: number,
  end: Pick<RunResult, 'code' | 'signal' | 'timedOut' | 'spawnError'>,
): void {
  const { code, signal, timedOut, spawnError } = end;
  const how = spawnError
    ? `could not start (${spawnError.code ?? spawnError.message})`
    : `${code === null ? `killed by ${signal}` : `exit ${code}`}${timedOut ? ' (timed out)' : ''}`;
  debugLog?.(`${how} in ${Date.now() - started} ms: ${line}`);
}

/** True if `name` is an executable on PATH (no shell, no `which`). */
export async function onPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const { access, constants } = await import('node:fs/promises');
  const { delimiter, join } = await import('node:path');
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, name), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}
