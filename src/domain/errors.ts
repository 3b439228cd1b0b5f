/** qq's error kinds. Messages are qq's, to the letter, where qq has one. */

/**
 * Any error qq reports for a job (qq's QQError). `message` is qq's sentence to the letter where
 * qq has one (it becomes the `reason` output); `hint` is ours beside it (which input to fix,
 * what was searched, which host and keys were tried): for the log, the annotation and the
 * summary, never appended to qq's words.
 */
export class QQError extends Error {
  override name = 'QQError';
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    if (hint) this.hint = hint;
  }
}

/** An input or a value from an info file that we refuse before anything runs. */
export class InputError extends QQError {
  override name = 'InputError';
}
