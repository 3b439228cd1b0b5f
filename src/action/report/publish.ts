/**
 * A run's report written out, once: the outputs (and the files under RUNNER_TEMP some of them
 * name), the annotations and the job summary. `now`: synchronously — a cancelled run writes it
 * just before the process exits.
 */
import { appendFileSync } from 'node:fs';
import * as core from '@actions/core';
import { errorMessage } from '../../util/errors.js';
import { annotate } from './annotations.js';
import { writeChangeOutputs } from './changes-output.js';
import { setOutputs } from './outputs.js';
import type { RunReport } from './report.js';
import { renderSummary } from './summary/summary.js';

/** The outputs, the annotations and the summary of `run`. */
export async function publishReport(
  run: RunReport,
  env: NodeJS.ProcessEnv,
  now: boolean,
): Promise<void> {
  setOutputs(run, changeOutputs(run, env));
  // A fatal error was already set as the step's error by setFailed, with nothing to add.
  if (!run.fatal) annotate(run);
  await writeSummary(renderSummary(run), env, now);
}

/** The outputs that are files under RUNNER_TEMP (changed-files-file, manifest); none on error. */
function changeOutputs(run: RunReport, env: NodeJS.ProcessEnv) {
  if (!run.settings) return undefined;
  try {
    return writeChangeOutputs(run.results, { ...run.settings, env, info: (m) => core.info(m) });
  } catch (e) {
    core.warning(`Could not write the changed-files list or the manifest: ${errorMessage(e)}`);
    return undefined;
  }
}

async function writeSummary(text: string, env: NodeJS.ProcessEnv, now: boolean): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) return;
  try {
    if (now) appendFileSync(env.GITHUB_STEP_SUMMARY, text);
    else await core.summary.addRaw(text).write();
  } catch (e) {
    core.warning(`Could not write the job summary: ${errorMessage(e)}`);
  }
}
