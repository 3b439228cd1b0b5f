/**
 * The one reader of a job's own stdout/stderr files (`follow`, and the summary's "why it
 * failed"). Their names come from the info file and their content from the job: both are
 * untrusted. So a file is read only when it is a REGULAR file INSIDE the given directory (the
 * job's working or input directory, or the fetched copy): never through a symlink (no component
 * below the directory may be one, and the last is opened with O_NOFOLLOW), never a FIFO or a
 * device (opened with O_NONBLOCK, then checked with fstat before a byte is read), and never
 * more than the caller's cap. Over ssh the node runs the same checks (readJobFileOver).
 */
import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { runCommand } from '../exec/run.js';
import { CONNECT_TIMEOUT_SEC, type SshSettings, sshArgs } from '../transfer/ssh/index.js';
import { errorMessage } from '../util/errors.js';
import { relativeInside } from '../util/paths.js';

/** Most bytes `follow` reads of a file per poll. */
export const FOLLOW_CHUNK_BYTES = 256 * 1024;

/** From `offset` on, at most `max` bytes; or (tail) the last `max` bytes. */
export interface ReadRange {
  offset?: number;
  max: number;
  tail?: boolean;
}

export type JobFileRead =
  | { ok: true; bytes: Buffer; size: number; start: number }
  /** `missing`: not there (yet), or ssh failed: ask again later; else refused, said in `why`. */
  | { ok: false; missing: boolean; why: string };

const refused = (why: string): JobFileRead => ({ ok: false, missing: false, why });
const MISSING: JobFileRead = { ok: false, missing: true, why: 'not found' };

/**
 * The components of a relative name below the directory, or a refusal: no absolute name, no
 * `.`/`..`/empty component, no control character (a name qq writes is `<script>.err`).
 */
export function nameParts(name: string): string[] | string {
  if (name === '') return 'the name is empty';
  if (name.startsWith('/')) return 'the name is absolute';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the name holds a control character';
  const parts = name.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) {
    return "the name has an empty, '.' or '..' component";
  }
  return parts;
}

/** The range's start and length for a file of `size` bytes. */
function span(size: number, range: ReadRange): { start: number; length: number } {
  const start = range.tail ? Math.max(0, size - range.max) : Math.min(range.offset ?? 0, size);
  return { start, length: Math.max(0, Math.min(range.max, size - start)) };
}

/** Read `name` below `dir` on this machine, by the rules above. */
export async function readJobFileHere(
  dir: string,
  name: string,
  range: ReadRange,
): Promise<JobFileRead> {
  const parts = nameParts(name);
  if (typeof parts === 'string') return refused(parts);
  let top: string;
  try {
    top = await realpath(dir);
  } catch {
    return MISSING;
  }
  let current = top;
  try {
    for (const part of parts.slice(0, -1)) {
      current = path.join(current, part);
      const st = await lstat(current);
      if (st.isSymbolicLink()) return refused(`'${part}' on its path is a symlink`);
      if (!st.isDirectory()) return refused(`'${part}' on its path is not a directory`);
    }
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? MISSING : refused(errorMessage(e));
  }
  const file = path.join(current, parts.at(-1) as string);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK: opening a FIFO does not wait for a writer; fstat refuses it below.
    handle = await open(
      file,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY,
    );
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return MISSING;
    if (code === 'ELOOP') return refused('it is a symlink');
    return refused(errorMessage(e));
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return refused('it is not a regular file');
    // What was opened, whatever happened to the path meanwhile (a directory swapped for a link).
    const opened = await realpath(`/proc/self/fd/${handle.fd}`).catch(() => realpath(file));
    if (relativeInside(opened, top) === undefined) {
      return refused('it is not inside the directory');
    }
    const { start, length } = span(st.size, range);
    const bytes = Buffer.alloc(length);
    const { bytesRead } = await handle.read(bytes, 0, length, start);
    return { ok: true, bytes: bytes.subarray(0, bytesRead), size: st.size, start };
  } catch (e) {
    return refused(errorMessage(e));
  } finally {
    await handle.close();
  }
}

/** One word for the node's POSIX shell (ssh hands it the command line). */
function q(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/**
 * The command the node runs: the same rules with its own tools. `cd -P` into the directory and
 * down each component that is a directory and not a symlink, checked to stay inside; the last
 * must be a regular file and not a symlink; GNU dd opens it with `nofollow,nonblock` (a file
 * swapped for a link or a FIFO after the check is still refused, and nothing blocks) and reads
 * at most `max` bytes. Prints `<size> <start>`, then the bytes as base64 (exact for non-UTF-8).
 */
export function remoteReadScript(dir: string, parts: readonly string[], range: ReadRange): string {
  const last = q(parts.at(-1) as string);
  const steps = parts
    .slice(0, -1)
    .map(
      (p) => `if [ -h ${q(p)} ] || [ ! -d ${q(p)} ]; then exit 4; fi; cd -P -- ${q(p)} || exit 4`,
    );
  const max = Math.max(0, Math.floor(range.max));
  const start = range.tail
    ? `$(( n > ${max} ? n - ${max} : 0 ))`
    : String(Math.max(0, Math.floor(range.offset ?? 0)));
  return [
    `cd -P -- ${q(dir)} 2>/dev/null || exit 3`,
    'top=$(pwd -P)',
    ...steps,
    'case "$(pwd -P)/" in "$top"/*) ;; *) exit 4;; esac',
    `if [ ! -e ${last} ] && [ ! -h ${last} ]; then exit 3; fi`,
    `if [ -h ${last} ] || [ ! -f ${last} ]; then exit 5; fi`,
    `n=$(stat -c %s -- ${last}) || exit 6`,
    `s=${start}`,
    'echo "$n $s"',
    `{ dd if=${last} iflag=nofollow,nonblock,skip_bytes,count_bytes skip="$s" count=${max} bs=65536 2>/dev/null || echo qq-sync-dd-failed >&2; } | base64`,
  ].join('; ');
}

const REMOTE_WHY: Record<number, string> = {
  4: 'a component on its path is a symlink or not a directory',
  5: 'it is a symlink or not a regular file',
  6: 'its size cannot be read',
};

/** Read `name` below `dir` on `host` over ssh, by the same rules (see remoteReadScript). */
export async function readJobFileOver(
  host: string,
  dir: string,
  name: string,
  range: ReadRange,
  settings: SshSettings,
): Promise<JobFileRead> {
  const parts = nameParts(name);
  if (typeof parts === 'string') return refused(parts);
  const r = await runCommand(
    ['ssh', ...sshArgs(settings), '--', host, remoteReadScript(dir, parts, range)],
    {
      timeoutMs: ((settings.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC) + 30) * 1000,
      env: settings.env,
    },
  );
  if (r.code === 3) return MISSING;
  const why = r.code === null ? undefined : REMOTE_WHY[r.code];
  if (why) return refused(why);
  // ssh itself failed (255, a timeout): nothing was refused; `follow` asks again next poll.
  if (r.code === 255 || r.code === null) {
    return {
      ok: false,
      missing: true,
      why: `ssh to ${host} failed (${r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`})`,
    };
  }
  if (r.code !== 0 || r.stderr.includes('qq-sync-dd-failed')) {
    return refused(`it could not be read on ${host} (exit ${r.code ?? r.signal ?? '?'})`);
  }
  const nl = r.stdout.indexOf('\n');
  const head = /^(\d+) (\d+)$/.exec(r.stdout.slice(0, nl < 0 ? undefined : nl).trim());
  if (!head) return refused(`${host} answered something else than the file`);
  const bytes = Buffer.from(r.stdout.slice(nl + 1).replace(/\s+/g, ''), 'base64');
  return {
    ok: true,
    bytes: bytes.subarray(0, range.max),
    size: Number(head[1]),
    start: Number(head[2]),
  };
}
