/**
 * A lock whose holder is gone (owner.ts), taken over: moved away to a private name and removed,
 * then what its run left behind is dealt with — its backup directory settled (type-change.ts),
 * its temporary files removed (leftovers.ts), the private directories of gone runs removed.
 */
import { lstat, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { QQError } from '../../domain/errors.js';
import {
  type DisplacedDir,
  displacedName,
  type Settled,
  settleDisplaced,
  settledProblems,
} from '../type-change.js';
import { removeLeftovers } from './leftovers.js';
import { goneReason, type LockOwner, readOwner, STALE_MS } from './owner.js';

/** In the lock directory: the backup directory its run made (type-change.ts), once made. */
export const DISPLACED_FILE = 'displaced';

/** The backup directory a lock's run recorded (its identity as made), if any. */
async function readDisplaced(lockDir: string): Promise<{ dev: string; ino: string } | undefined> {
  try {
    const o = JSON.parse(await readFile(path.join(lockDir, DISPLACED_FILE), 'utf8'));
    if (typeof o.dev === 'string' && typeof o.ino === 'string') return { dev: o.dev, ino: o.ino };
  } catch {}
  return undefined;
}

export interface DeadLock {
  owner?: LockOwner;
  why: string;
  at: number;
  /** The killed run's backup directory, as it recorded it (see DISPLACED_FILE). */
  displaced?: { dev: string; ino: string };
}

/**
 * The lock in `lockDir` is held by a run that is gone: move it away and remove it. Returns the
 * dead lock when this run did so, undefined when another run did, or it was not dead after all.
 */
export async function takeOver(lockDir: string, mine: LockOwner): Promise<DeadLock | undefined> {
  const found = await readOwner(lockDir);
  let why: string;
  if (found) {
    why = goneReason(found.owner, found.beatMs);
  } else {
    // No owner file: one of ours a moment before its rename, or left by an older qq-sync:
    // judged by its mtime.
    const st = await stat(lockDir).catch(() => undefined);
    if (!st) return undefined;
    const empty = (await readdir(lockDir).catch(() => ['?'])).length === 0;
    why = empty && Date.now() - st.mtimeMs > STALE_MS ? 'it is older than 30 s' : '';
  }
  if (!why) return undefined;
  const moved = `${lockDir}.gone-${mine.token}`;
  // Before the move: whatever changes in the destination after it is another run's.
  const at = Date.now();
  try {
    await rename(lockDir, moved);
  } catch {
    return undefined; // another run moved it first
  }
  const again = await readOwner(moved);
  if (found && again?.owner.token !== found.owner.token) {
    // Between reading and moving, the dead lock was replaced by a live one: put it back.
    await rename(moved, lockDir).catch(() => {});
    return undefined;
  }
  const displaced = await readDisplaced(moved);
  await rm(moved, { recursive: true, force: true });
  return { owner: found?.owner, why, at, ...(displaced ? { displaced } : {}) };
}

/** A lock staging directory whose run is gone (or that is older than STALE_MS without owner). */
async function staleStaging(dir: string): Promise<boolean> {
  const found = await readOwner(dir);
  if (found) return goneReason(found.owner, found.beatMs) !== '';
  const st = await lstat(dir).catch(() => undefined);
  return st?.isDirectory() === true && Date.now() - st.mtimeMs > STALE_MS;
}

/** The private directories (`<lock>.<token>`, `.gone-`, `.done-`) of runs that are gone. */
async function removeStaleStaging(lockDir: string): Promise<void> {
  const base = path.basename(lockDir);
  const names = await readdir(path.dirname(lockDir)).catch(() => [] as string[]);
  for (const name of names) {
    const rest = name.startsWith(`${base}.`) ? name.slice(base.length + 1) : '';
    if (!/^(?:gone-|done-)?[0-9a-f]{16}$/.test(rest)) continue;
    const dir = path.join(path.dirname(lockDir), name);
    if (await staleStaging(dir)) await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * What a run taking over a dead lock does before its own transfer: the dead run's backup
 * directory settled (its name from the lock's token, which no tree can set), as a run that did
 * not finish (every moved entry put back), then its temporary files removed.
 */
export async function cleanUpAfter(
  destination: string,
  lockDir: string,
  dead: DeadLock,
  onMessage?: (text: string) => void,
): Promise<void> {
  await removeStaleStaging(lockDir);
  if (!dead.owner) return;
  let kept: string | undefined;
  if (/^[0-9a-f]{16}$/.test(dead.owner.token)) {
    const dir: DisplacedDir = { name: displacedName(dead.owner.token), ...dead.displaced };
    const settled: Settled = await settleDisplaced(destination, dir, {
      runFailed: true,
      refuse: true,
    });
    kept = settled.kept;
    const problems = settledProblems(settled);
    if (problems) {
      onMessage?.(problems);
      throw new QQError(problems);
    }
  }
  const window = { since: dead.owner.started, until: dead.at };
  await removeLeftovers(destination, window, onMessage, kept);
}
