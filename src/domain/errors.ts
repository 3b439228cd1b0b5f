/** qq's error kinds. Messages are qq's, to the letter, where qq has one. */

/** Any error qq reports for a job (qq's QQError). */
export class QQError extends Error {
  override name = 'QQError';
}

/** An input or a value from an info file that we refuse before anything runs. */
export class InputError extends QQError {
  override name = 'InputError';
}
