/** The transfer layer's errors: what failed, whether another attempt may help, and why. */
import { QQError } from '../domain/errors.js';

/** qq's message for a failed transfer: `Could not rsync files between '<from>' and '<to>': <detail>.` */
export function rsyncFailure(from: string, to: string, detail: string): string {
  return `Could not rsync files between '${from}' and '${to}': ${detail}.`;
}

/**
 * A transfer that failed; `transient` when another attempt may succeed. The message is qq's
 * sentence exactly; `hint` is what ssh/rsync users miss most (which host, port and keys, a
 * missing remote rsync), said beside it in the log, annotation and summary, never inside it.
 */
export class TransferError extends QQError {
  override name = 'TransferError';
  constructor(
    message: string,
    readonly transient: boolean,
    /** rsync's exit code, where rsync ran to its end (23, 24: it did all it could). */
    readonly rsyncExit?: number,
    hint?: string,
  ) {
    super(message, hint);
  }
}

/**
 * The job's working directory is not there (rsync's `change_dir "…" failed: No such file or
 * directory`, or the built-in copier finding no directory): the job's files are gone, not
 * unreachable. Never transient.
 */
export class WorkDirMissingError extends TransferError {
  override name = 'WorkDirMissingError';
  constructor(message: string, hint?: string) {
    super(message, false, undefined, hint);
  }
}

/** rsync's words for a source directory that does not exist. */
export const RSYNC_WORK_DIR_MISSING = /change_dir "[^\n]*" failed: No such file or directory/;
