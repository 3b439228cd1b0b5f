/** The message of a failed assertion on a run of the bundle: all that the run left behind. */
import type { ActionRun } from '../../scripts/run-action.mjs';

export function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}\n--- outputs\n${JSON.stringify(run.outputs, null, 1)}`;
}

/**
 * The step's error as the runner shows it (`core.setFailed`'s `::error::` line, unescaped):
 * qq's words and what the action adds beside them, where `reason` holds qq's words alone.
 */
export function stepError(run: ActionRun): string {
  const line = run.stdout.split('\n').find((l) => l.startsWith('::error::'));
  return (line ?? '')
    .slice('::error::'.length)
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%25/g, '%');
}
