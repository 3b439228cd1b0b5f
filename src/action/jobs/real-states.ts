/**
 * The real state of every job: the info file's naive state combined with the scheduler's
 * answer, asked with one call per batch system for all jobs (docs/qq-behaviour.md §2.5, §3).
 */
import { validateJobId } from '../../batch/index.js';
import type { BatchContext } from '../../batch/types.js';
import {
  BatchState,
  NaiveState,
  type RealState,
  RealState as RS,
  realStateFrom,
} from '../../domain/states.js';
import { errorMessage } from '../../util/errors.js';
import type { Settings } from '../inputs.js';
import { type Job, keptAnswer, loadInfos } from './targets.js';

export function realStateOf(job: Job): RealState | undefined {
  if (!job.info) return undefined;
  // qq does not ask the scheduler about a job whose file says `unknown`.
  if (job.info.jobState === NaiveState.UNKNOWN) return RS.UNKNOWN;
  return realStateFrom(job.info.jobState, job.batch?.state ?? BatchState.UNKNOWN);
}

/**
 * Ask the schedulers about `jobs`. A scheduler that cannot be asked at all (missing command,
 * timeout) is what qq calls an empty answer: the jobs' batch state is UNKNOWN, with a warning.
 * @param reread read the info files again first (while waiting: `qq run` updates them)
 * @param all also ask about jobs that already have an answer (polling)
 */
export async function refreshStates(
  jobs: readonly Job[],
  settings: Settings,
  ctx: BatchContext,
  options: { reread: boolean; all: boolean; warn: (m: string) => void },
): Promise<void> {
  if (options.reread) {
    await loadInfos(
      jobs.filter((j) => j.infoFile),
      settings.batchSystem,
    );
  }
  const groups = new Map<string, Job[]>();
  for (const job of jobs) {
    if (!job.info || !job.system || job.error) continue;
    if (job.info.jobState === NaiveState.UNKNOWN) continue;
    if (job.batch && !options.all) continue;
    try {
      validateJobId(job.info.jobId);
    } catch (e) {
      job.error = errorMessage(e);
      continue;
    }
    const group = groups.get(job.system.name) ?? [];
    group.push(job);
    groups.set(job.system.name, group);
  }
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const system = group[0]?.system;
      if (!system) return;
      const ids = [...new Set(group.map((j) => j.info?.jobId as string))];
      try {
        const answers = await system.queryJobs(ids, ctx);
        for (const job of group) job.batch = keptAnswer(answers.get(job.info?.jobId as string));
        // Asked, but not answered for some jobs (PBS: their server did not answer).
        const unanswered = new Map<string, number>();
        for (const job of group) {
          const why = job.batch?.queryError;
          if (why) unanswered.set(why, (unanswered.get(why) ?? 0) + 1);
        }
        for (const [why, n] of unanswered) {
          options.warn(
            `${system.name} scheduler could not be asked about ${n} job(s) (${why}); their state is taken from their info files alone.`,
          );
        }
      } catch (e) {
        options.warn(
          `${system.name} scheduler could not be asked (${errorMessage(e)}); the state of ${group.length} job(s) is taken from their info files alone.`,
        );
        for (const job of group) job.batch = undefined;
      }
    }),
  );
}
