/**
 * Fetch one job's working directory into its destination: locally or over ssh from the main
 * node, with rsync or (locally, without rsync) the built-in copier; under a lock on the
 * destination, within the transfer timeout, retrying transient failures with backoff.
 */
import * as path from 'node:path';
import { QQError } from '../domain/errors.js';
import { copyTree } from './copier.js';
import { validateFiles } from './files.js';
import { validateDirectory, validateHost } from './locality.js';
import { makeDestination, withDestinationLock } from './lock.js';
import { detectRsync, runRsync, TransferError } from './rsync.js';
import { CONNECT_TIMEOUT_SEC, type SshSettings } from './ssh.js';

export { splitFiles } from './files.js';
export { isLocal } from './locality.js';
export { TransferError, workDirMissing } from './rsync.js';

export interface TransferSettings extends SshSettings {
  overwrite: 'newer' | 'always';
  /** Seconds for the whole transfer of one job, retries included. */
  timeoutSec: number;
  retries: number;
  env: NodeJS.ProcessEnv;
  /** Use the built-in copier for local copies even where rsync is installed. */
  forceBuiltin?: boolean;
  /** At most one progress line per this many ms (default 5000). */
  progressEveryMs?: number;
  /** First backoff in ms (doubles each attempt, at most 30 s). */
  backoffMs?: number;
  /**
   * Called with the (validated) main node before the first ssh to it: the run opens its shared
   * connection there. Whatever it answers, the transfer goes on and connects by itself.
   */
  connect?: (host: string, timeoutMs: number) => Promise<void>;
  /**
   * The run was cancelled: no new attempt, no retry, no wait for the lock; the transfer
   * throws the signal's reason (the programs themselves are ended by `stopAllCommands`).
   */
  signal?: AbortSignal;
}

export interface TransferRequest {
  workDir: string;
  mainNode: string;
  /** Read the working directory here (shared storage / this host) rather than over ssh. */
  local: boolean;
  destination: string;
  files?: readonly string[];
  dryRun: boolean;
  settings: TransferSettings;
  onProgress?: (line: string) => void;
  /** Messages about the transfer (waiting for a lock, a retry). */
  onMessage?: (text: string) => void;
}

export interface TransferResult {
  files: number;
  bytes: number;
  method: 'rsync' | 'rsync over ssh' | 'built-in copier';
  attempts: number;
  durationMs: number;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.posix.relative(path.posix.normalize(parent), path.posix.normalize(child));
  return rel !== '' && rel !== '..' && !rel.startsWith('../') && !path.posix.isAbsolute(rel);
}

export async function transferJob(req: TransferRequest): Promise<TransferResult> {
  const started = Date.now();
  const s = req.settings;
  const workDir = validateDirectory(req.workDir, 'working directory');
  const destination = validateDirectory(req.destination, 'destination');
  const host = req.local ? undefined : validateHost(req.mainNode);
  const files = req.files ? validateFiles(req.files, workDir) : undefined;
  if (req.local && isInside(destination, workDir)) {
    // A copy into itself would nest deeper on every run (and the copier would recurse).
    throw new QQError(
      `Refusing destination '${destination}': it lies inside the job's working directory '${workDir}'.`,
    );
  }
  const capabilities = req.local && s.forceBuiltin ? undefined : await detectRsync(s.env);
  const builtin = req.local && (s.forceBuiltin || !capabilities);
  const method: TransferResult['method'] = builtin
    ? 'built-in copier'
    : host
      ? 'rsync over ssh'
      : 'rsync';
  const deadline = started + s.timeoutSec * 1000;
  if (host && s.connect) {
    const connectSec = s.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC;
    await s.connect(host, Math.max(Math.min((connectSec + 5) * 1000, deadline - Date.now()), 1000));
  }
  const run = async (): Promise<{ files: number; bytes: number; attempts: number }> => {
    for (let attempt = 1; ; attempt++) {
      s.signal?.throwIfAborted();
      const remaining = deadline - Date.now();
      try {
        if (builtin) {
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), Math.max(remaining, 1));
          try {
            const out = await copyTree(workDir, destination, {
              files,
              overwrite: s.overwrite,
              dryRun: req.dryRun,
              signal: s.signal ? AbortSignal.any([controller.signal, s.signal]) : controller.signal,
              onProgress: req.onProgress,
              progressEveryMs: s.progressEveryMs,
            });
            if (out.skippedSpecial > 0) {
              const shown = out.skippedNames.map((n) => path.relative(workDir, n)).join("', '");
              req.onMessage?.(
                `Skipped ${out.skippedSpecial} device, FIFO or socket file(s) ('${shown}'${out.skippedSpecial > out.skippedNames.length ? ', …' : ''}): the built-in copier does not recreate special files.`,
              );
            }
            return { files: out.files, bytes: out.bytes, attempts: attempt };
          } catch (e) {
            s.signal?.throwIfAborted();
            if (controller.signal.aborted) {
              throw new TransferError(
                `Could not rsync files between '${workDir}' and '${destination}': Connection timed out after ${s.timeoutSec} seconds.`,
                false,
              );
            }
            if (e instanceof QQError) throw e;
            // A file-system error (no space, permission denied, read-only): qq's form, not retried.
            throw new TransferError(
              `Could not rsync files between '${workDir}' and '${destination}': ${(e as Error).message} (built-in copier).`,
              false,
            );
          } finally {
            clearTimeout(timer);
          }
        }
        if (!req.dryRun) await makeDestination(destination);
        const out = await runRsync(
          { host, workDir, destination, files, overwrite: s.overwrite, dryRun: req.dryRun, ssh: s },
          {
            timeoutMs: Math.max(remaining, 1000),
            timeoutSec: s.timeoutSec,
            onProgress: req.onProgress,
            progressEveryMs: s.progressEveryMs,
            capabilities,
          },
        );
        return { ...out, attempts: attempt };
      } catch (e) {
        // A program ended by the cancel failed because of it: say so, and do not retry.
        s.signal?.throwIfAborted();
        const transient = e instanceof TransferError && e.transient;
        const backoff = Math.min((s.backoffMs ?? 2000) * 2 ** (attempt - 1), 30_000);
        if (!transient || attempt > s.retries || Date.now() + backoff >= deadline) throw e;
        req.onMessage?.(
          `Attempt ${attempt} failed (${(e as Error).message}); retrying in ${Math.round(backoff / 1000)} s.`,
        );
        await new Promise<void>((r) => {
          const timer = setTimeout(r, backoff);
          s.signal?.addEventListener('abort', () => r(clearTimeout(timer)), { once: true });
        });
      }
    }
  };
  const out = req.dryRun
    ? await run()
    : await withDestinationLock(destination, run, {
        timeoutMs: s.timeoutSec * 1000,
        onWait: () => req.onMessage?.(`Waiting for another sync into '${destination}' to finish.`),
        onLost: (reason) => req.onMessage?.(reason),
        signal: s.signal,
      });
  return {
    files: out.files,
    bytes: out.bytes,
    method,
    attempts: out.attempts,
    durationMs: Date.now() - started,
  };
}
