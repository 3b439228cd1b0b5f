import { QQError } from '../../errors.js';

/** Batch-system names qq registers (docs/qq-behaviour.md §1.3), matched exactly. */
export const BATCH_SYSTEMS = ['PBS', 'Slurm', 'SlurmIT4I', 'SlurmLumi'] as const;
export type BatchSystemName = (typeof BATCH_SYSTEMS)[number];

/** qq's `BatchInterface.from_str`: exact, case-sensitive names. */
export function parseBatchSystem(name: string): BatchSystemName {
  const found = BATCH_SYSTEMS.find((s) => s === name);
  if (found !== undefined) return found;
  throw new QQError(`No batch system registered as '${name}'.`);
}
