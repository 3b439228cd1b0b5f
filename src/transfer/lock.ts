/**
 * Two runs fetching into the same destination at once are serialized: a lock directory inside
 * the destination (`.qq-sync.lock`, removed when the transfer ends), via proper-lockfile, with
 * stale-lock detection for a run that died. A run that exits while it holds the lock (a
 * cancel) has it removed by proper-lockfile's exit handler.
 */
import { mkdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { QQError } from '../domain/errors.js';
import { errorMessage } from '../util/errors.js';
import { sleep } from '../util/sleep.js';

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

export async function withDestinationLock<T>(
  destination: string,
  fn: () => Promise<T>,
  options: {
    timeoutMs: number;
    onWait?: () => void;
    onLost?: (reason: string) => void;
    /** A cancelled run stops waiting for the lock (throws the signal's reason). */
    signal?: AbortSignal;
  },
): Promise<T> {
  await makeDestination(destination);
  // Loaded here, not at start: proper-lockfile brings graceful-fs, assert and constants, which
  // a run that transfers nothing (a queued job) would load for nothing.
  const { default: lockfile } = await import('proper-lockfile');
  const deadline = Date.now() + options.timeoutMs;
  let release: (() => Promise<void>) | undefined;
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      release = await lockfile.lock(destination, {
        lockfilePath: path.join(destination, LOCK_NAME),
        realpath: false,
        stale: 30_000,
        update: 5_000,
        // proper-lockfile's default throws from a timer, which would end the whole action.
        onCompromised: (e) =>
          options.onLost?.(`The lock on '${destination}' was lost: ${e.message}`),
      });
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOCKED' && Date.now() > deadline) {
        throw new QQError(
          `Another sync into '${destination}' still held its lock (${path.join(destination, LOCK_NAME)}) after ${Math.round(options.timeoutMs / 1000)} seconds.`,
        );
      }
      if (code !== 'ELOCKED') {
        throw new QQError(
          `Cannot write to the destination '${destination}' (taking its lock): ${errorMessage(e)}.`,
        );
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
  } finally {
    await release().catch(() => {});
  }
}
