/**
 * `parseInfoFile`: the text of a qq info file to an InfoFile, as qq's `Info._from_dict` builds
 * it, driven by one table of fields (key, property, reader, presence) in qq's order.
 */
import { QQError } from '../errors.js';
import { naiveStateFromString } from '../states.js';
import { MAX_INFO_FILE_BYTES } from './limits.js';
import { parsePlainInfoYaml } from './plain-yaml.js';
import { parseBatchSystem } from './properties/batch-system.js';
import { readInterpreter } from './properties/interpreter.js';
import { parseJobType } from './properties/job-type.js';
import { readLoopInfo } from './properties/loop-info.js';
import { readResources } from './properties/resources.js';
import { readTaskInfo } from './properties/task-info.js';
import { checkYamlText, type Path, pyType, Reader } from './reader.js';
import type { InfoFile } from './types.js';

/**
 * One field. `required`: the key must be in the file (qq writes it for every job; read only
 * when present, reported missing after all others are read); `always`: the reader gives a
 * value even for an absent or null key (a default); `optional`: absent or null stays absent.
 */
interface Field<K extends keyof InfoFile> {
  key: string;
  prop: K;
  presence: 'required' | 'always' | 'optional';
  read: (r: Reader, value: unknown, key: string) => InfoFile[K] | undefined;
}
type AnyField = { [K in keyof InfoFile]-?: Field<K> }[keyof InfoFile];

const field = <K extends keyof InfoFile>(
  key: string,
  prop: K,
  presence: Field<K>['presence'],
  read: Field<K>['read'],
): Field<K> => ({ key, prop, presence, read });

const absent = (v: unknown): v is null | undefined => v === null || v === undefined;
const str = (r: Reader, v: unknown, k: string) => r.str(v, [k], k);
const optStr = (r: Reader, v: unknown, k: string) => r.optStr(v, [k], k);
const list = (r: Reader, v: unknown, k: string) => r.strList(v, [k], k);
const optTime = (r: Reader, v: unknown, k: string) => r.optTime(v, [k], k);

/** qq's `int(...)` of `job_exit_code`: an int or a string of one. */
function exitCode(r: Reader, ec: unknown): number | undefined {
  if (absent(ec)) return undefined;
  if (typeof ec === 'number' && Number.isSafeInteger(ec)) return ec;
  if (typeof ec === 'string' && /^\s*-?\d+\s*$/.test(ec)) return Number.parseInt(ec, 10);
  throw r.invalid(`Field 'job_exit_code' must be an int, got ${pyType(ec)}`);
}

/** Every field, in qq's order: qq converts them in this order, so the first error is qq's. */
const FIELDS: readonly AnyField[] = [
  field('batch_system', 'batchSystem', 'required', (r, v, k) => parseBatchSystem(str(r, v, k))),
  field('qq_version', 'qqVersion', 'required', str),
  field('username', 'username', 'required', str),
  field('job_id', 'jobId', 'required', str),
  field('job_name', 'jobName', 'required', str),
  field('script_name', 'scriptName', 'required', str),
  field('queue', 'queue', 'required', str),
  field('job_type', 'jobType', 'required', (r, v, k) => parseJobType(str(r, v, k))),
  field('input_machine', 'inputMachine', 'required', str),
  field('input_dir', 'inputDir', 'required', str),
  // qq: case-insensitive; anything else, empty or not a string is unknown.
  field('job_state', 'jobState', 'required', (_r, v) => naiveStateFromString(v)),
  field('submission_time', 'submissionTime', 'required', (r, v, k) => r.time(v, [k], k)),
  field('stdout_file', 'stdoutFile', 'required', str),
  field('stderr_file', 'stderrFile', 'required', str),
  field('resources', 'resources', 'required', (r, v, k) => readResources(r, v, [k])),
  field('excluded_files', 'excludedFiles', 'always', list),
  field('included_files', 'includedFiles', 'always', list),
  field('transfer_mode', 'transferMode', 'always', (r, v, k) =>
    absent(v) ? ['success'] : r.transferModes(v, [k], k),
  ),
  field('depend', 'depend', 'always', list),
  field('loop_info', 'loopInfo', 'optional', (r, v, k) =>
    absent(v) ? undefined : readLoopInfo(r, v, [k]),
  ),
  field('task_info', 'taskInfo', 'optional', (r, v) =>
    absent(v) ? undefined : readTaskInfo(r, v),
  ),
  field('account', 'account', 'optional', optStr),
  field('server', 'server', 'optional', optStr),
  field('resubmit_from', 'resubmitFrom', 'always', list),
  field('interpreter', 'interpreter', 'optional', (r, v, k) =>
    absent(v) ? undefined : readInterpreter(r, v, [k]),
  ),
  field('start_time', 'startTime', 'optional', optTime),
  field('main_node', 'mainNode', 'optional', optStr),
  field('all_nodes', 'allNodes', 'optional', (r, v, k) => (absent(v) ? undefined : list(r, v, k))),
  field('work_dir', 'workDir', 'optional', optStr),
  field('completion_time', 'completionTime', 'optional', optTime),
  field('job_exit_code', 'jobExitCode', 'optional', (r, v) => exitCode(r, v)),
];

/** The keys qq writes for every job (docs/qq-behaviour.md §1.3). */
export const REQUIRED_INFO_KEYS: readonly string[] = FIELDS.filter(
  (f) => f.presence === 'required',
).map((f) => f.key);

/** Read one field of `data` into `out` (a required key only when present). */
function readField<K extends keyof InfoFile>(
  f: Field<K>,
  r: Reader,
  data: Map<unknown, unknown>,
  out: Partial<InfoFile>,
): void {
  if (f.presence === 'required' && !data.has(f.key)) return;
  const value = f.read(r, data.get(f.key), f.key);
  if (value !== undefined) out[f.prop] = value;
}

/** Every field that is not optional has its value: `out` is a whole InfoFile. */
function isComplete(out: Partial<InfoFile>): out is InfoFile {
  return FIELDS.every((f) => f.presence === 'optional' || out[f.prop] !== undefined);
}

/** The `yaml` library's reading of a text (yaml.ts `loadYaml`). */
export type YamlLoader = (
  text: string,
  path: string,
) => { data: unknown; sourceOf: (at: Path) => string | undefined };

/**
 * Parse the text of a qq info file. `path` is used in messages only. The text is read by
 * plain-yaml.ts where it can; else by `load`, and without one the answer is undefined: the
 * caller loads the `yaml` library (yaml.ts) and asks again.
 * Throws QQError with qq's messages (docs/qq-behaviour.md §1.6).
 */
export function parseInfoData(text: string, path: string, load?: YamlLoader): InfoFile | undefined {
  if (text.length > MAX_INFO_FILE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_INFO_FILE_BYTES) {
    throw new QQError(
      `qq info file '${path}' is too large (more than ${MAX_INFO_FILE_BYTES} bytes); not a qq info file.`,
    );
  }
  checkYamlText(text, path);
  let data: unknown = parsePlainInfoYaml(text);
  let r = new Reader(path);
  if (data === undefined) {
    if (!load) return undefined;
    const loaded = load(text, path);
    data = loaded.data;
    r = new Reader(path, loaded.sourceOf);
  }
  if (absent(data)) throw r.invalid('the file is empty');
  if (!(data instanceof Map)) {
    throw r.invalid(`expected a mapping of fields at the top level, got ${pyType(data)}`);
  }
  const out: Partial<InfoFile> = {};
  for (const f of FIELDS) readField(f, r, data, out);
  const missing = REQUIRED_INFO_KEYS.filter((k) => !data.has(k));
  if (missing.length > 0 || !isComplete(out)) {
    const names = missing.map((k) => `'${k}'`).join(', ');
    throw r.invalid(`missing required field${missing.length > 1 ? 's' : ''} ${names}`);
  }
  return out;
}

/**
 * Parse the text of a qq info file (see parseInfoData), loading the `yaml` library only for a
 * text plain-yaml.ts does not read: a step that reads only qq's usual files never loads it.
 */
export async function readInfoText(text: string, path: string): Promise<InfoFile> {
  return parseInfoData(text, path) ?? (await import('./yaml.js')).parseInfoFile(text, path);
}
