/**
 * FIFOs, recreated as rsync -D recreates them. Node has no mkfifo: the `mkfifo` program makes
 * one under a plain ASCII temporary name in the destination's root (argv is text: a name
 * that is not UTF-8 could not be passed), which is then renamed onto the target (bytes).
 * Devices and sockets are not recreated (rsync makes devices only as root): they are
 * counted and named in a note.
 */

import type { Stats } from 'node:fs';
import { rename, rm, utimes } from 'node:fs/promises';
import * as path from 'node:path';
import { runCommand } from '../../exec/run.js';
import { fsTime } from '../../util/times.js';
import type { FsPath } from './paths.js';

/** Seconds for one mkfifo. */
const MKFIFO_TIMEOUT_MS = 10_000;

export type FifoResult = 'made' | 'no-mkfifo' | { error: string };

/** Make a FIFO at `target` with permission bits `mode` and `st`'s times. */
export async function makeFifo(
  destRoot: string,
  target: FsPath,
  st: Stats,
  mode: number,
): Promise<FifoResult> {
  const hex = process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex');
  const tmp = path.join(destRoot, `.qq-sync-fifo.${hex}.qqsync`);
  const r = await runCommand(['mkfifo', '-m', mode.toString(8), '--', tmp], {
    timeoutMs: MKFIFO_TIMEOUT_MS,
  });
  if (r.spawnError) return 'no-mkfifo';
  if (r.code !== 0) return { error: r.stderr.trim() || `mkfifo exited with code ${r.code}` };
  try {
    await utimes(tmp, fsTime(st.atimeMs), fsTime(st.mtimeMs));
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return 'made';
}
