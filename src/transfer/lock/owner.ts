/**
 * Who holds a destination lock, and whether that run is gone. The lock directory holds an
 * `owner` file from its first instant (it is written into a private directory that is then
 * renamed into place), so a waiting run can tell a live holder from a killed one: a holder
 * on this host whose process no longer exists is gone at once (a SIGKILL leaves no chance to
 * clean up); any holder whose heartbeat (the owner file's mtime, touched every HEARTBEAT_MS)
 * is older than STALE_MS is gone too (another host, or a reused pid).
 */
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';

export const OWNER_FILE = 'owner';
export const HEARTBEAT_MS = 5_000;
export const STALE_MS = 30_000;

export interface LockOwner {
  pid: number;
  host: string;
  /** Tells this lock from any other, also one of the same pid. */
  token: string;
  /** When the run started taking the lock (ms since the epoch). */
  started: number;
}

export function newOwner(): LockOwner {
  const token = process.getBuiltinModule('node:crypto').randomBytes(8).toString('hex');
  return { pid: process.pid, host: hostname(), token, started: Date.now() };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (
      Number.isSafeInteger(o.pid) &&
      typeof o.host === 'string' &&
      typeof o.token === 'string' &&
      typeof o.started === 'number'
    ) {
      return o as LockOwner;
    }
  } catch {}
  return undefined;
}

/** The owner recorded in `lockDir` and its heartbeat; undefined if there is none (yet). */
export async function readOwner(
  lockDir: string,
): Promise<{ owner: LockOwner; beatMs: number } | undefined> {
  const file = path.join(lockDir, OWNER_FILE);
  try {
    const [text, st] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    const owner = parseOwner(text);
    return owner ? { owner, beatMs: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** The token of the owner recorded in `lockDir` (no heartbeat: one read, no stat); undefined if none. */
export async function readOwnerToken(lockDir: string): Promise<string | undefined> {
  try {
    return parseOwner(await readFile(path.join(lockDir, OWNER_FILE), 'utf8'))?.token;
  } catch {
    return undefined;
  }
}

/** True if `pid` names no process here (EPERM: it exists, someone else's). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Why the holder is gone ('' if it may be alive). */
export function goneReason(owner: LockOwner, beatMs: number, now = Date.now()): string {
  if (owner.host === hostname() && owner.pid !== process.pid && processGone(owner.pid)) {
    return `its process ${owner.pid} on this host no longer exists`;
  }
  if (now - beatMs > STALE_MS) {
    return `it has given no sign of life for ${Math.round((now - beatMs) / 1000)} s (process ${owner.pid} on ${owner.host})`;
  }
  return '';
}
