/** A failed rsync run in qq's words: the message, the hint beside it, and whether to retry. */
import type { RunResult } from '../../exec/run.js';
import {
  RSYNC_WORK_DIR_MISSING,
  rsyncFailure,
  TransferError,
  WorkDirMissingError,
} from '../errors.js';
import { describeSsh, knownHostsFile, withoutSshNotices } from '../ssh/index.js';
import { type RsyncJob, source } from './job.js';

/** rsync's exit codes (rsync(1), EXIT VALUES) and the shell's for a missing command. */
export const RSYNC_EXIT = {
  SOCKET_IO: 10,
  PROTOCOL_STREAM: 12,
  TIMEOUT_IN_DATA: 30,
  TIMEOUT_CONNECTING: 35,
  /** `command not found` from the remote shell. */
  COMMAND_NOT_FOUND: 127,
  /** ssh itself failed (rsync passes its 255 on). */
  REMOTE_SHELL_FAILED: 255,
} as const;

/** Exit codes and messages of a failure worth another attempt. */
export function isTransient(code: number | null, stderr: string): boolean {
  if (
    /Host key verification failed|Permission denied|No such file or directory|command not found|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(
      stderr,
    )
  ) {
    return false;
  }
  if (
    code === RSYNC_EXIT.SOCKET_IO ||
    code === RSYNC_EXIT.PROTOCOL_STREAM ||
    code === RSYNC_EXIT.TIMEOUT_IN_DATA ||
    code === RSYNC_EXIT.TIMEOUT_CONNECTING
  ) {
    return true;
  }
  if (code === RSYNC_EXIT.REMOTE_SHELL_FAILED) {
    return /Connection (refused|reset|closed|timed out)|timed out|kex_exchange_identification|No route to host|Network is unreachable|Broken pipe/i.test(
      stderr,
    );
  }
  return false;
}

/** qq's message, and beside it what ssh/rsync users miss most (TransferError's hint). */
export function failureMessage(
  job: RsyncJob,
  stderr: string,
  code: number | null,
): { message: string; hint?: string } {
  const detail = withoutSshNotices(stderr)
    .split('\n')
    .filter(
      (l) => l.trim() && !/^rsync error: .* at (io|main|rsync)\.c/.test(l) && !/^\s*$/.test(l),
    )
    .join('\n')
    .trim();
  const message = rsyncFailure(
    source(job),
    job.destination,
    detail || `rsync exited with code ${code}`,
  );
  if (!job.host) return { message };
  const hints: string[] = [];
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
    hints.push(
      `The host key of '${job.host}' is missing from or differs from ${knownHostsFile(job.ssh)} (strict-host-key-checking: ${job.ssh.strictHostKeyChecking}).`,
    );
  } else if (
    code === RSYNC_EXIT.COMMAND_NOT_FOUND ||
    /rsync: (command )?not found|rsync: No such file or directory/.test(stderr)
  ) {
    hints.push(`rsync is not installed on '${job.host}' (or not on its PATH).`);
  }
  hints.push(`(${describeSsh(job.host, job.ssh)})`);
  return { message, hint: hints.join(' ') };
}

/** The error for a run that did not succeed (qq's message; `transient` when worth retrying). */
export function runFailure(job: RsyncJob, r: RunResult, timeoutSec: number): TransferError {
  if (r.spawnError) {
    return new TransferError(
      rsyncFailure(source(job), job.destination, 'rsync is not installed here'),
      false,
    );
  }
  if (r.timedOut) {
    return new TransferError(
      rsyncFailure(
        source(job),
        job.destination,
        `Connection timed out after ${timeoutSec} seconds`,
      ),
      true,
    );
  }
  if (r.code === null) {
    // Killed by a signal from outside (not our timeout): say so rather than "code null".
    const f = failureMessage(
      job,
      `${r.stderr}\nrsync was killed by ${r.signal ?? 'a signal'}`,
      null,
    );
    return new TransferError(f.message, false, undefined, f.hint);
  }
  const { message, hint } = failureMessage(job, r.stderr, r.code);
  if (RSYNC_WORK_DIR_MISSING.test(r.stderr)) return new WorkDirMissingError(message, hint);
  return new TransferError(message, isTransient(r.code, r.stderr), r.code, hint);
}
