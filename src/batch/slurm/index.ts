/**
 * Slurm (docs/qq-behaviour.md §3.2, states as in §2.4): the names Slurm prints (keys.ts), their parsers
 * (parse.ts), hostlist expansion (hostlist.ts), the answer with its info file (job-info.ts)
 * and the adapter that asks scontrol and sacct (query.ts).
 */
export { expandHostlist, expandNodeLists } from './hostlist.js';
export { infoFileCandidate, slurmJobInfo } from './job-info.js';
export { SACCT_FIELDS, SACCT_KEYS, SCONTROL_JOB_KEYS } from './keys.js';
export {
  arrayTaskIdsContain,
  parseSacctLine,
  parseScontrolLine,
  parseScontrolOutput,
  pickSacctRecord,
  sacctArgv,
  slurmComment,
  slurmExitCode,
  slurmState,
} from './parse.js';
export { SACCT_IDS_PER_CALL, SlurmSystem } from './query.js';
