/**
 * Two runs fetching into the same destination at once are serialized: a lock directory inside
 * the destination (`.qq-sync.lock`, removed when the transfer ends), via proper-lockfile, with
 * stale-lock detection for a run that died.
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import lockfile from 'proper-lockfile';

export const LOCK_NAME = '.qq-sync.lock';

export async function withDestinationLock<T>(
  destination: string,
  fn: () => Promise<T>,
  options: { timeoutMs: number; onWait?: () => void },
): Promise<T> {
  await mkdir(destination, { recursive: true });
  const deadline = Date.now() + options.timeoutMs;
  let release: (() => Promise<void>) | undefined;
  let told = false;
  for (;;) {
    try {
      release = await lockfile.lock(destination, {
        lockfilePath: path.join(destination, LOCK_NAME),
        realpath: false,
        stale: 30_000,
        update: 5_000,
      });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED' || Date.now() > deadline) throw e;
      if (!told) {
        options.onWait?.();
        told = true;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}
