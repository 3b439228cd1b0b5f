/**
 * What a scheduler adapter answers about one job. Filled from `qstat -fxw` (PBS) or
 * `scontrol show job -o` / `sacct` (Slurm); see docs/qq-behaviour.md §3.
 */

import type { BatchSystemName } from '../domain/info/index.js';
import type { BatchState } from '../domain/states.js';

export { BATCH_SYSTEMS as BATCH_SYSTEM_NAMES, type BatchSystemName } from '../domain/info/index.js';

export interface BatchJobInfo {
  /** The id the job was asked for. */
  id: string;
  /** False if the scheduler does not know the job (qq's `is_empty()`): state is UNKNOWN. */
  found: boolean;
  state: BatchState;
  /** Main execution node (PBS exec_host2's first node; Slurm BatchHost or first of NodeList). */
  mainNode?: string;
  nodes: string[];
  exitCode?: number;
  /** PBS `Reason`-like comment (Slurm: `Reason: <Reason>`). */
  comment?: string;
  /** Info-file path from the scheduler (PBS QQ_INFO; Slurm WorkDir/JobName.qqinfo when readable). */
  infoFile?: string;
  /** Input dir from the scheduler (PBS PBS_O_WORKDIR/QQ_INPUT_DIR/INF_INPUT_DIR; Slurm WorkDir). */
  inputDir?: string;
  jobName?: string;
  /**
   * Why the scheduler could not answer for this job although it was asked (PBS: the job's
   * server did not answer, or refused the id); `found` is false. The user gets it as a warning.
   */
  queryError?: string;
  /** The scheduler's own account of time and memory, where it gives one (usage.ts). */
  usage?: JobUsage;
  /** The parsed key/value pairs, for debugging and display. */
  raw: Record<string, string>;
}

/**
 * What the scheduler says the job used of what it asked for, in its own notation (`01:02:03`,
 * `1024kb`): a few short strings, kept for every job of a campaign.
 */
export interface JobUsage {
  walltime?: string;
  walltimeLimit?: string;
  mem?: string;
  memLimit?: string;
  /** The scheduler ended the job at a limit, and its words for it (`Exit_status -29`, `TIMEOUT`). */
  limitKill?: { limit: 'walltime' | 'memory'; said: string };
}

/** Context every adapter call gets: timeouts, env (PATH, SLURM_CONF, …), a debug logger. */
export interface BatchContext {
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  debug: (message: string) => void;
  /** Aborted when the run is cancelled: `wait-for` stops polling (its reason is the error). */
  signal?: AbortSignal;
}

export interface BatchSystem {
  readonly name: BatchSystemName;
  /**
   * Ask the scheduler about many jobs at once (one call per command kind, not per job).
   * Jobs the scheduler does not know come back with `found: false`. Throws QQError only
   * when the scheduler cannot be asked at all (missing command, timeout) — then every job
   * of this call shares the error.
   */
  queryJobs(ids: readonly string[], ctx: BatchContext): Promise<Map<string, BatchJobInfo>>;
  /** IT4I and LUMI: work dirs are on shared storage, always copy locally (docs/qq-behaviour.md §6.4). */
  readonly alwaysShared: boolean;
}
