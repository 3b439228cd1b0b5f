/**
 * The qq info file (docs/qq-behaviour.md §1): a typed model of every field and a parser that reads it as qq
 * does (PyYAML SafeLoader + `Info._from_dict`), with qq's messages (§1.6). One file per value
 * type in properties/, as qq keeps them (`qq_lib/properties/`); the YAML reader in yaml.ts;
 * the table of fields in parse.ts; the size limits in limits.ts.
 *
 * Pure: no I/O. The reader (src/jobs/infofiles.ts) enforces MAX_INFO_FILE_BYTES before it
 * reads a file; parseInfoFile checks it again on the text.
 *
 * Untrusted input: the YAML is parsed with the YAML 1.2 core schema and no custom tags
 * (any tag the schema does not know, such as `!!python/object` or `!foo`, is an error, as
 * it is for PyYAML's SafeLoader), alias expansion is bounded (MAX_YAML_ALIAS_COUNT), flow
 * nesting is bounded (MAX_YAML_NESTING) and nothing the parser throws escapes as anything
 * but a QQError.
 *
 * Where qq itself raises a QQError while building the Info (unknown batch system, job type,
 * transfer mode, bad size string, loop_info checks) the message is qq's, verbatim, without
 * the path. Where qq fails with a Python TypeError (missing field, wrong type), the message
 * is `Invalid qq info file '<path>': <detail>.` with our own detail. Where qq would crash or
 * silently keep a wrongly typed value, we give the same `Invalid qq info file` error.
 *
 * Deliberate choices (documented for the README):
 * - Timestamps stay strings (the core schema has no timestamp type): quoted or unquoted,
 *   `YYYY-MM-DD HH:MM:SS` (also the YAML 1.1 forms `…T…`, fractions, zones, which PyYAML
 *   would read as datetime) is normalised to `YYYY-MM-DD HH:MM:SS`.
 * - A plain scalar that YAML reads as a number or boolean in a string field (unquoted job id
 *   `3123456`, prop value `false`) becomes its source text, so `0123` stays `0123`.
 * - Duplicate keys are accepted and the last one wins (PyYAML's behaviour); merge keys
 *   (`<<`) are honoured as PyYAML does.
 * - Unknown keys are ignored at every level (qq rejects unknown keys inside `resources`).
 */

export { MAX_INFO_FILE_BYTES, MAX_YAML_ALIAS_COUNT, MAX_YAML_NESTING } from './limits.js';
export { parseInfoData, REQUIRED_INFO_KEYS, readInfoText } from './parse.js';
export {
  BATCH_SYSTEMS,
  type BatchSystemName,
  parseBatchSystem,
} from './properties/batch-system.js';
export type { Interpreter } from './properties/interpreter.js';
export { jobIdMatches } from './properties/job-id.js';
export { JOB_TYPES, type JobType, parseJobType } from './properties/job-type.js';
export type { LoopInfo } from './properties/loop-info.js';
export { equalsNormalized, type Resources, usesScratch } from './properties/resources.js';
export { parseSizeString, type Size } from './properties/size.js';
export type { TaskInfo } from './properties/task-info.js';
export { normalizeTimestamp } from './properties/timestamp.js';
export {
  parseTransferMode,
  type TransferMode,
  transferModeMatches,
} from './properties/transfer-mode.js';
export { wdhmsToHhmmss } from './properties/walltime.js';
export type { InfoFile } from './types.js';
