/**
 * Two runs fetching into the same destination at once are serialized: a lock directory inside
 * the destination (`.qq-sync.lock`, removed when the transfer ends) that names its holder
 * (lock-owner.ts). A lock whose holder is gone — its process no longer exists on this host, or
 * its heartbeat stopped — is taken over at once, and the temporary files the killed run left
 * are removed (leftovers.ts). A run that exits while it holds a lock (a cancel) removes it in
 * its exit handler; after a SIGKILL the next run takes it over.
 *
 * Taking the lock: a private directory `.qq-sync.lock.<token>` with the owner file is renamed
 * to `.qq-sync.lock`, which fails while a (never empty) lock directory is there. Taking over:
 * the dead lock is renamed away to a private name first and its owner read again there, so
 * two runs that both found it dead cannot both remove it: the second's rename fails, or
 * moves a lock whose token differs, which it puts back.
 */

import { renameSync, rmSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { QQError } from '../domain/errors.js';
import { errorMessage } from '../util/errors.js';
import { sleep } from '../util/sleep.js';
import { removeLeftovers } from './leftovers.js';
import {
  goneReason,
  HEARTBEAT_MS,
  type LockOwner,
  newOwner,
  OWNER_FILE,
  readOwner,
  STALE_MS,
} from './lock-owner.js';

export const LOCK_NAME = '.qq-sync.lock';

/**
 * `mkdir -p`, with the real reason when it fails: Node's recursive mkdir reports ENOENT when a
 * parent is read-only, so the first missing level is made on its own to get EROFS/EACCES.
 */
export async function makeDestination(destination: string): Promise<void> {
  try {
    await mkdir(destination, { recursive: true });
    return;
  } catch (e) {
    let reason = e as Error;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      let missing = destination;
      for (let up = path.dirname(missing); up !== missing; up = path.dirname(up)) {
        try {
          await stat(up);
          break;
        } catch {
          missing = up;
        }
      }
      await mkdir(missing).catch((e2: Error) => {
        reason = e2;
      });
    }
    throw new QQError(`Cannot create the destination '${destination}': ${reason.message}.`);
  }
}

/** Locks this process holds: removed at exit (a cancelled run exits with process.exit). */
const held = new Map<string, string>();
process.on('exit', () => {
  for (const [dir, token] of held) {
    // Moved away first, as in release(): never a moment where the lock directory is empty.
    const moved = `${dir}.done-${token}`;
    try {
      renameSync(dir, moved);
      rmSync(moved, { recursive: true, force: true });
    } catch {}
  }
});

/** One attempt: true if the lock is ours now. */
async function tryLock(lockDir: string, owner: LockOwner): Promise<boolean> {
  const staging = `${lockDir}.${owner.token}`;
  await mkdir(staging);
  try {
    await writeFile(path.join(staging, OWNER_FILE), JSON.stringify(owner));
    await rename(staging, lockDir);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw e;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * The lock in `lockDir` is held by a run that is gone: move it away and remove it. Returns the
 * dead owner when this run did so, undefined when another run did, or it was not dead after all.
 */
async function takeOver(
  lockDir: string,
  mine: LockOwner,
): Promise<{ owner?: LockOwner; why: string; at: number } | undefined> {
  const found = await readOwner(lockDir);
  let why: string;
  if (found) {
    why = goneReason(found.owner, found.beatMs);
  } else {
    // No owner file: a lock of an older qq-sync (proper-lockfile's empty directory, its mtime
    // touched while held), or one of ours a moment before its rename: judged by its mtime.
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
  await rm(moved, { recursive: true, force: true });
  return { owner: found?.owner, why, at };
}

export async function withDestinationLock<T>(
  destination: string,
  fn: () => Promise<T>,
  options: {
    timeoutMs: number;
    onWait?: () => void;
    onLost?: (reason: string) => void;
    /** What a run taking over a dead lock did (removed its lock and leftovers). */
    onMessage?: (text: string) => void;
    /** A cancelled run stops waiting for the lock (throws the signal's reason). */
    signal?: AbortSignal;
  },
): Promise<T> {
  await makeDestination(destination);
  const lockDir = path.join(destination, LOCK_NAME);
  const owner = newOwner();
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      if (await tryLock(lockDir, owner)) break;
      const dead = await takeOver(lockDir, owner);
      if (dead) {
        const who = dead.owner ? `process ${dead.owner.pid} on ${dead.owner.host}` : 'a run';
        options.onMessage?.(`Took over the lock of ${who} on '${destination}': ${dead.why}.`);
        if (dead.owner) {
          const window = { since: dead.owner.started, until: dead.at };
          await removeLeftovers(destination, window, options.onMessage);
        }
        continue;
      }
    } catch (e) {
      throw new QQError(
        `Cannot write to the destination '${destination}' (taking its lock): ${errorMessage(e)}.`,
      );
    }
    if (Date.now() > deadline) {
      throw new QQError(
        `Another sync into '${destination}' still held its lock (${lockDir}) after ${Math.round(options.timeoutMs / 1000)} seconds.`,
      );
    }
    if (!told) {
      options.onWait?.();
      told = true;
    }
    await sleep(250);
  }
  held.set(lockDir, owner.token);
  const heartbeat = setInterval(() => void beat(lockDir, owner, options.onLost), HEARTBEAT_MS);
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    held.delete(lockDir);
    await release(lockDir, owner);
  }
}

/** Touch the owner file: the lock is alive. Tell once if it is no longer ours. */
async function beat(
  lockDir: string,
  owner: LockOwner,
  onLost?: (reason: string) => void,
): Promise<void> {
  const now = new Date();
  const found = await readOwner(lockDir);
  if (found?.owner.token !== owner.token) {
    if (held.delete(lockDir)) {
      onLost?.(`The lock on '${path.dirname(lockDir)}' was lost: another run took it over.`);
    }
    return;
  }
  await utimes(path.join(lockDir, OWNER_FILE), now, now).catch(() => {});
}

/** Remove the lock if it is still ours (moved away first, so that nobody else's is removed). */
async function release(lockDir: string, owner: LockOwner): Promise<void> {
  const found = await readOwner(lockDir);
  if (found?.owner.token !== owner.token) return;
  const moved = `${lockDir}.done-${owner.token}`;
  try {
    await rename(lockDir, moved);
  } catch {
    return;
  }
  await rm(moved, { recursive: true, force: true });
}
