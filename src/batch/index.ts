/**
 * The four batch systems of qq (docs/qq-behaviour.md §3.3), how one is chosen, and job-id resolution
 * (docs/qq-behaviour.md §3.4) with one scheduler call for all ids.
 */
import { QQError } from '../domain/errors.js';
import { parseBatchSystem } from '../domain/info/index.js';
import { onPath } from '../exec/run.js';
import { errorMessage } from '../util/errors.js';
import { PbsSystem } from './pbs.js';
import { validateJobId } from './scheduler.js';
import { SlurmSystem } from './slurm/index.js';
import type { BatchContext, BatchJobInfo, BatchSystem, BatchSystemName } from './types.js';

export { PbsSystem } from './pbs.js';
export { formatSeconds, validateJobId } from './scheduler.js';
export { SlurmSystem } from './slurm/index.js';

const SYSTEMS: Readonly<Record<BatchSystemName, BatchSystem>> = {
  PBS: new PbsSystem(),
  Slurm: new SlurmSystem('Slurm', false),
  // IT4I (Karolina) and LUMI: plain Slurm queries, work dirs on shared storage (docs/qq-behaviour.md §6.4).
  SlurmIT4I: new SlurmSystem('SlurmIT4I', true),
  SlurmLumi: new SlurmSystem('SlurmLumi', true),
};

/** The batch system registered as `name` (exact, case-sensitive, as qq). */
export function getBatchSystem(name: string): BatchSystem {
  return SYSTEMS[parseBatchSystem(name)];
}

/**
 * qq's guess (docs/qq-behaviour.md §3.3), in registration order PBS → Slurm → SlurmIT4I → SlurmLumi: the
 * first whose marker command is on PATH.
 */
export async function guessBatchSystem(
  env: NodeJS.ProcessEnv = process.env,
): Promise<BatchSystemName> {
  const [qsub, sbatch, it4ifree, lumi] = await Promise.all(
    ['qsub', 'sbatch', 'it4ifree', 'lumi-allocations'].map((c) => onPath(c, env)),
  );
  if (qsub) return 'PBS';
  if (sbatch && !it4ifree && !lumi) return 'Slurm';
  if (it4ifree) return 'SlurmIT4I';
  if (lumi) return 'SlurmLumi';
  throw new QQError(
    'Could not guess a batch system. No registered batch system available.',
    notGuessedHelp(env),
  );
}

/**
 * After qq's message: what was looked for and where, and the two ways out (the input, or the
 * runner service's PATH, which a runner started as a service reads from its `.path` file).
 */
function notGuessedHelp(env: NodeJS.ProcessEnv, execPath = process.execPath): string {
  // Under the runner, node is `<runner>/externals/node24/bin/node`.
  const runner = /^(.*)\/externals\/node\d+\/bin\/node$/.exec(execPath)?.[1];
  const files = runner
    ? `${runner}/.path and ${runner}/.env`
    : 'the runner directory’s .path and .env';
  return [
    `Looked for qsub (PBS), sbatch (Slurm), it4ifree (SlurmIT4I) and lumi-allocations (SlurmLumi) on PATH=${env.PATH ?? ''} (neither the \`batch-system\` input nor QQ_BATCH_SYSTEM was set).`,
    'Set the `batch-system` input (PBS, Slurm, SlurmIT4I or SlurmLumi), or put the scheduler’s directory on the runner’s PATH:',
    `a runner installed as a service takes its PATH from ${files}, read when the service starts (restart it after a change).`,
  ].join(' ');
}

/**
 * The batch system for job-id mode: the explicit choice (the `batch-system` input), else
 * `QQ_BATCH_SYSTEM` (an unknown name is `No batch system registered as '<n>'.`), else the guess.
 */
export async function resolveBatchSystemName(
  override: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BatchSystemName> {
  if (override) return parseBatchSystem(override);
  const fromEnv = env.QQ_BATCH_SYSTEM;
  if (fromEnv) return parseBatchSystem(fromEnv);
  return guessBatchSystem(env);
}

/** qq's messages of docs/qq-behaviour.md §3.4. */
export const jobDoesNotExist = (id: string) => `Job '${id}' does not exist.`;
export const notAQqJob = (id: string) => `Job '${id}' is not a valid qq job.`;
export const infoFileNotReachable = (id: string) =>
  `Info file for job '${id}' does not exist or is not reachable.`;

export type JobIdResolution =
  | { id: string; ok: true; info: BatchJobInfo; infoFile: string }
  | { id: string; ok: false; error: string; info?: BatchJobInfo };

/**
 * docs/qq-behaviour.md §3.4 steps 1–2 for many ids with one scheduler call: each id gets either the
 * scheduler's answer with the info-file path (PBS `QQ_INFO`; Slurm `WorkDir/JobName.qqinfo`
 * when that file exists and is readable), or qq's error. Steps 3–5 (read the file, check
 * that its job id matches — else `infoFileNotReachable(id)` — and reuse `info` for the
 * state) are the caller's. An invalid id gets its InputError message; a scheduler that
 * cannot be asked gives its QQError message to every id of the call.
 */
export async function resolveJobIds(
  ids: readonly string[],
  system: BatchSystem,
  ctx: BatchContext,
): Promise<Map<string, JobIdResolution>> {
  const out = new Map<string, JobIdResolution>();
  const valid: string[] = [];
  for (const id of ids) {
    if (out.has(id) || valid.includes(id)) continue;
    try {
      valid.push(validateJobId(id));
    } catch (e) {
      out.set(id, { id, ok: false, error: errorMessage(e) });
    }
  }
  if (valid.length === 0) return out;
  let answers: Map<string, BatchJobInfo>;
  try {
    answers = await system.queryJobs(valid, ctx);
  } catch (e) {
    const error = errorMessage(e);
    for (const id of valid) out.set(id, { id, ok: false, error });
    return out;
  }
  for (const id of valid) {
    const info = answers.get(id);
    if (!info?.found) {
      out.set(id, { id, ok: false, error: info?.queryError ?? jobDoesNotExist(id), info });
    } else if (!info.infoFile) out.set(id, { id, ok: false, error: notAQqJob(id), info });
    else out.set(id, { id, ok: true, info, infoFile: info.infoFile });
  }
  return out;
}
