import { BatchState } from '../domain/states.js';
import type { BatchJobInfo } from './types.js';

/** The answer for a job the scheduler does not know (qq's empty info). */
export function unknownJob(id: string): BatchJobInfo {
  return { id, found: false, state: BatchState.UNKNOWN, nodes: [], raw: {} };
}
