/**
 * The `lock/` room: the lock on a destination (this file), who holds it (owner.ts), taking over
 * the lock of a run that is gone (take-over.ts) and removing what such a run left (leftovers.ts).
 *
 * Two runs fetching into the same destination at once are serialized: a lock directory that
 * names its holder (owner.ts), removed when the transfer ends. It lives beside the
 * destination, not in it — `<parent>/.<name>.qq-sync.lock`, on the same file system — because
 * every name inside the destination belongs to the job's tree and the user (issue 26): a job
 * file called `.qq-sync.lock` is fetched like any other. The destination's real path names it,
 * so two spellings of one destination share one lock.
 *
 * A lock whose holder is gone — its process no longer exists on this host, or its heartbeat
 * stopped — is taken over at once: the killed run's backup directory (named by the token in
 * its owner file, type-change.ts) is settled, and the temporary files it left are removed
 * (leftovers.ts). A run that exits while it holds a lock (a cancel) removes it in its exit
 * handler; after a SIGKILL the next run takes it over.
 *
 * Taking the lock: a private directory `<lock>.<token>` with the owner file is renamed to
 * `<lock>`, which fails while a (never empty) lock directory is there. Taking over: the dead
 * lock is renamed away to a private name first and its owner read again there, so two runs
 * that both found it dead cannot both remove it: the second's rename fails, or moves a lock
 * whose token differs, which it puts back.
 */

import { lstatSync, renameSync, rmSync } from 'node:fs';
import {
  mkdir,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import * as path from 'node:path';
import { QQError } from '../../domain/errors.js';
import { errorMessage } from '../../util/errors.js';
import { sleep } from '../../util/sleep.js';
import { displacedName } from '../type-change.js';
import {
  HEARTBEAT_MS,
  type LockOwner,
  newOwner,
  OWNER_FILE,
  readOwner,
  readOwnerToken,
} from './owner.js';
import { cleanUpAfter, type DeadLock, DISPLACED_FILE, takeOver } from './take-over.js';

/** The lock's name ends so; `.<destination's name>` before it. */
export const LOCK_SUFFIX = '.qq-sync.lock';
/** The longest staging name is the lock's plus `.gone-<16 hex>`; a name holds 255 bytes. */
const NAME_MAX = 255;
const STAGING_EXTRA = '.gone-0123456789abcdef'.length;

/**
 * The lock directory of the destination whose real path is `realDest`: in its parent. A name
 * too long to take the suffixes is replaced by its hash.
 */
export function lockPathOf(realDest: string): string {
  let name = path.basename(realDest) || 'root';
  if (Buffer.byteLength(`.${name}${LOCK_SUFFIX}`) + STAGING_EXTRA > NAME_MAX) {
    // node:crypto on first use: some 50 internal modules that a short name does not need.
    const { createHash } = process.getBuiltinModule('node:crypto');
    name = createHash('sha256').update(name).digest('hex').slice(0, 32);
  }
  return path.join(path.dirname(realDest), `.${name}${LOCK_SUFFIX}`);
}

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

/**
 * Locks this process holds: removed at exit (a cancelled run exits with process.exit) — unless
 * the run's backup directory is still there (the exit cut its settling short): the lock then
 * stays, so that the next run takes it over at once (this process is gone) and settles it.
 */
const held = new Map<string, { token: string; displaced?: string }>();
process.on('exit', () => {
  for (const [dir, { token, displaced }] of held) {
    if (displaced && lstatSync(displaced, { throwIfNoEntry: false })) continue;
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
    // Renamed: the private directory is the lock now, nothing is left to remove.
    return true;
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw e;
  }
}

/** What the function run under the lock is told. */
export interface HeldLock {
  /** This run's token (16 hex digits): it names the run's backup directory. */
  token: string;
  /** Note the backup directory this run made, so that a run taking over after a kill trusts it. */
  recordDisplaced(dir: { dev: bigint; ino: bigint }): Promise<void>;
}

export async function withDestinationLock<T>(
  destination: string,
  fn: (lock: HeldLock) => Promise<T>,
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
  const lockDir = lockPathOf(await realpath(destination));
  const parent = path.dirname(lockDir);
  const owner = newOwner();
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    let dead: DeadLock | undefined;
    try {
      if (await tryLock(lockDir, owner)) break;
      dead = await takeOver(lockDir, owner);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new QQError(
          `Cannot take the lock of the destination '${destination}': qq-sync keeps it beside the destination, in '${parent}', which cannot be written (${errorMessage(e)}).`,
        );
      }
      throw new QQError(
        `Cannot take the lock of the destination '${destination}' (in '${parent}'): ${errorMessage(e)}.`,
      );
    }
    if (dead) {
      const who = dead.owner ? `process ${dead.owner.pid} on ${dead.owner.host}` : 'a run';
      options.onMessage?.(`Took over the lock of ${who} on '${destination}': ${dead.why}.`);
      await cleanUpAfter(destination, lockDir, dead, options.onMessage);
      continue;
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
  const holding: { token: string; displaced?: string } = { token: owner.token };
  held.set(lockDir, holding);
  const heartbeat = setInterval(
    () => void beat(destination, lockDir, owner, options.onLost),
    HEARTBEAT_MS,
  );
  heartbeat.unref();
  const lock: HeldLock = {
    token: owner.token,
    async recordDisplaced(dir) {
      holding.displaced = path.join(destination, displacedName(owner.token));
      // Written whole under a private name, then renamed: a reader sees it whole or not at all.
      const tmp = path.join(lockDir, `${DISPLACED_FILE}.tmp`);
      await writeFile(tmp, JSON.stringify({ dev: String(dir.dev), ino: String(dir.ino) }));
      await rename(tmp, path.join(lockDir, DISPLACED_FILE));
    },
  };
  try {
    return await fn(lock);
  } finally {
    clearInterval(heartbeat);
    held.delete(lockDir);
    await release(lockDir, owner);
  }
}
/** Touch the owner file: the lock is alive. Tell once if it is no longer ours. */
async function beat(
  destination: string,
  lockDir: string,
  owner: LockOwner,
  onLost?: (reason: string) => void,
): Promise<void> {
  const now = new Date();
  const found = await readOwner(lockDir);
  if (found?.owner.token !== owner.token) {
    if (held.delete(lockDir)) {
      onLost?.(`The lock on '${destination}' was lost: another run took it over.`);
    }
    return;
  }
  await utimes(path.join(lockDir, OWNER_FILE), now, now).catch(() => {});
}

/** Remove the lock if it is still ours (moved away first, so that nobody else's is removed). */
async function release(lockDir: string, owner: LockOwner): Promise<void> {
  if ((await readOwnerToken(lockDir)) !== owner.token) return;
  const moved = `${lockDir}.done-${owner.token}`;
  try {
    await rename(lockDir, moved);
  } catch {
    return;
  }
  // Usually the owner file alone is in it: two calls, not a recursive removal's walk; anything
  // more (the backup note, recordDisplaced) makes rmdir fail and the walk removes it all.
  await unlink(path.join(moved, OWNER_FILE)).catch(() => {});
  await rmdir(moved).catch(() => rm(moved, { recursive: true, force: true }));
}
