import { QQError } from '../../errors.js';

/**
 * qq's job types, written lower case with spaces. The array variants are written only by the
 * unreleased array-job versions of qq (dev); they are accepted as qq dev accepts them.
 */
export const JOB_TYPES = [
  'standard',
  'loop',
  'continuous',
  'array',
  'loop array',
  'continuous array',
] as const;
export type JobType = (typeof JOB_TYPES)[number];

/** Parse a qq job type as qq's `JobType.from_str` does (case-insensitive, `-`/`_`/space). */
export function parseJobType(s: string): JobType {
  const norm = s.toLowerCase().replaceAll('-', ' ').replaceAll('_', ' ');
  const found = JOB_TYPES.find((t) => t === norm);
  if (found === undefined) throw new QQError(`Could not recognize a job type '${s}'.`);
  return found;
}
