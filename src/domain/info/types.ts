import type { NaiveState } from '../states.js';
import type { BatchSystemName } from './properties/batch-system.js';
import type { Interpreter } from './properties/interpreter.js';
import type { JobType } from './properties/job-type.js';
import type { LoopInfo } from './properties/loop-info.js';
import type { Resources } from './properties/resources.js';
import type { TaskInfo } from './properties/task-info.js';
import type { TransferMode } from './properties/transfer-mode.js';

/** A qq info file (docs/qq-behaviour.md §1.3), fields in qq's order. */
export interface InfoFile {
  batchSystem: BatchSystemName;
  qqVersion: string;
  username: string;
  /** Always a string, even when the file has an unquoted number. */
  jobId: string;
  jobName: string;
  scriptName: string;
  queue: string;
  jobType: JobType;
  inputMachine: string;
  inputDir: string;
  jobState: NaiveState;
  /** `YYYY-MM-DD HH:MM:SS`, local time of the submitting machine, no zone. */
  submissionTime: string;
  stdoutFile: string;
  stderrFile: string;
  resources: Resources;
  excludedFiles: string[];
  includedFiles: string[];
  /** `['success']` when the file has none. */
  transferMode: TransferMode[];
  depend: string[];
  loopInfo?: LoopInfo;
  taskInfo?: TaskInfo;
  account?: string;
  server?: string;
  resubmitFrom: string[];
  interpreter?: Interpreter;
  startTime?: string;
  mainNode?: string;
  allNodes?: string[];
  workDir?: string;
  completionTime?: string;
  /** Absent for killed jobs (deliberately, in qq). */
  jobExitCode?: number;
}
