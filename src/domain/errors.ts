/** qq's error kinds. Messages are qq's, to the letter, where qq has one. */

/** Any error qq reports for a job (qq's QQError). */
export class QQError extends Error {
  override name = 'QQError';
}

/** The job has nothing worth fetching (qq's QQNotSuitableError). Not a failure by itself. */
export class NotSuitableError extends QQError {
  override name = 'NotSuitableError';
}

/** An input or a value from an info file that we refuse before anything runs. */
export class InputError extends QQError {
  override name = 'InputError';
}
