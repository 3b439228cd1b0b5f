/** The message of a failed assertion on a run of the bundle: all that the run left behind. */
import type { ActionRun } from '../../scripts/run-action.mjs';

export function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}\n--- outputs\n${JSON.stringify(run.outputs, null, 1)}`;
}
