/**
 * The scheduler's own account of a job, from the answer already fetched (no extra call): the
 * walltime used of the walltime asked for, memory where the scheduler says it, and whether it
 * ended the job at a limit. Shown beside a failed job's stderr in the summary; the job's state
 * stays qq's word (a walltime kill is `failed` or `killed` to qq).
 */
import type { JobUsage } from './types.js';

/** Short values only: a scheduler's field is a few characters; anything else is not kept. */
function short(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && v.length <= 32 && v !== 'None' && v !== 'UNLIMITED' && v !== 'Partition_Limit'
    ? v
    : undefined;
}

function compact(usage: JobUsage): JobUsage | undefined {
  const kept = Object.fromEntries(Object.entries(usage).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length > 0 ? (kept as JobUsage) : undefined;
}

/**
 * OpenPBS/PBS Pro `qstat -f`: `resources_used.walltime`, `Resource_List.walltime`,
 * `resources_used.mem`, `Resource_List.mem`; `Exit_status` -29 is JOB_EXEC_KILL_WALLTIME and
 * -27 JOB_EXEC_KILL_MEM (src/include/job.h).
 */
export function pbsUsage(fields: Record<string, string>): JobUsage | undefined {
  const exit = fields.Exit_status?.trim();
  return compact({
    walltime: short(fields['resources_used.walltime']),
    walltimeLimit: short(fields['Resource_List.walltime']),
    mem: short(fields['resources_used.mem']),
    memLimit: short(fields['Resource_List.mem']),
    limitKill:
      exit === '-29'
        ? { limit: 'walltime', said: 'Exit_status -29' }
        : exit === '-27'
          ? { limit: 'memory', said: 'Exit_status -27' }
          : undefined,
  });
}

/**
 * Slurm (`scontrol show job`): `RunTime` of `TimeLimit`; the state `TIMEOUT` is a walltime
 * kill, `OUT_OF_MEMORY` a memory one. Slurm's answer has no memory used (that is sacct's
 * accounting, which qq does not ask for).
 */
export function slurmUsage(fields: Record<string, string>): JobUsage | undefined {
  const state = fields.JobState;
  return compact({
    walltime: short(fields.RunTime),
    walltimeLimit: short(fields.TimeLimit),
    limitKill:
      state === 'TIMEOUT'
        ? { limit: 'walltime', said: 'TIMEOUT' }
        : state === 'OUT_OF_MEMORY'
          ? { limit: 'memory', said: 'OUT_OF_MEMORY' }
          : undefined,
  });
}
