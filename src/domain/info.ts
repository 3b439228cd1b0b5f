/**
 * The qq info file (spec §1): a typed model of every field and a parser that reads it as qq
 * does (PyYAML SafeLoader + `Info._from_dict`), with qq's messages (§1.6).
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

import { type Document, isAlias, isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import { errorMessage } from '../util/errors.js';
import { QQError } from './errors.js';
import { type NaiveState, naiveStateFromString } from './states.js';

/** Largest info file we read (bytes). qq writes about 1 KiB. */
export const MAX_INFO_FILE_BYTES = 1024 * 1024;
/** Most alias expansions allowed while building values (the yaml package's own default). */
export const MAX_YAML_ALIAS_COUNT = 100;
/** Deepest flow nesting (`[`/`{`) accepted before the YAML parser sees the text. */
export const MAX_YAML_NESTING = 64;

/** Batch-system names qq registers (spec §1.3), matched exactly. */
export const BATCH_SYSTEMS = ['PBS', 'Slurm', 'SlurmIT4I', 'SlurmLumi'] as const;
export type BatchSystemName = (typeof BATCH_SYSTEMS)[number];

/**
 * qq's job types, written lower case with spaces. The array variants are written only by the
 * unreleased array-job versions of qq (dev); they are accepted as qq dev accepts them.
 */
export const JOB_TYPES = [
  'standard',
  'loop',
  'continuous',
  'array',
  'loop array',
  'continuous array',
] as const;
export type JobType = (typeof JOB_TYPES)[number];

/** One transfer mode (spec §1.3 #18): a named mode or an exit code. */
export type TransferMode = 'success' | 'failure' | 'always' | 'never' | number;

/** A size, in kilobytes (powers of 1024), as qq stores it: `{value: <kB>}`. */
export interface Size {
  value: number;
}

/** The `resources` mapping (spec §1.4). Every key is optional. */
export interface Resources {
  nnodes?: number;
  ncpus?: number;
  ncpusPerNode?: number;
  mem?: Size;
  memPerNode?: Size;
  memPerCpu?: Size;
  ngpus?: number;
  ngpusPerNode?: number;
  /** `H:MM:SS` (a `1w2d3h` form is converted on load, as qq does). */
  walltime?: string;
  /** The work-dir *type* (`scratch_local`, `input_dir`, …), not a path. */
  workDir?: string;
  workSize?: Size;
  workSizePerNode?: Size;
  workSizePerCpu?: Size;
  props?: Record<string, string>;
}

/** The `loop_info` mapping (spec §1.5). */
export interface LoopInfo {
  start: number;
  end: number;
  archive: string;
  archiveFormat: string;
  current: number;
  archiveMode: TransferMode[];
}

/** The `task_info` mapping of array tasks (qq dev). */
export interface TaskInfo {
  arrayFile: string;
  taskNumber: number;
  totalTasks: number;
}

/** The interpreter of the script (v0.10: a string; newer: a mapping). */
export interface Interpreter {
  executable: string;
  arguments: string[];
}

/** A qq info file (spec §1.3), fields in qq's order. */
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

/** The 15 keys qq writes for every job (spec §1.3). */
export const REQUIRED_INFO_KEYS = [
  'batch_system',
  'qq_version',
  'username',
  'job_id',
  'job_name',
  'script_name',
  'queue',
  'job_type',
  'input_machine',
  'input_dir',
  'job_state',
  'submission_time',
  'stdout_file',
  'stderr_file',
  'resources',
] as const;

// ---------------------------------------------------------------------------------------------
// Helpers shared with other modules

/** qq's `equals_normalized`: case-insensitive, ignoring `-` and `_`. */
export function equalsNormalized(a: string, b: string): boolean {
  const n = (s: string) => s.toLowerCase().replaceAll('-', '').replaceAll('_', '');
  return n(a) === n(b);
}

/**
 * qq's `uses_scratch` (spec §1.4): true unless the work-dir type is `job_dir` or `input_dir`
 * (case-insensitive, ignoring `-`/`_`). A missing type counts as scratch.
 */
export function usesScratch(info: { resources: Pick<Resources, 'workDir'> }): boolean {
  const type = String(info.resources.workDir ?? 'None');
  return !equalsNormalized(type, 'job_dir') && !equalsNormalized(type, 'input_dir');
}

/**
 * qq's `Informer.matches_job`: two job ids name the same job when the parts before the first
 * `.` are equal (`12345` matches `12345.pbs-m1.metacentrum.cz`).
 */
export function jobIdMatches(a: string, b: string): boolean {
  const head = (s: string) => {
    const i = s.indexOf('.');
    return i < 0 ? s : s.slice(0, i);
  };
  return head(a) === head(b);
}

/** qq's `TransferMode.from_str`: case-insensitive names or an integer exit code. */
export function parseTransferMode(value: string | number): TransferMode {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new QQError(`Could not recognize a transfer mode variant '${value}'.`);
    }
    return value;
  }
  const s = value.toLowerCase().trim();
  if (s === 'success' || s === 'failure' || s === 'always' || s === 'never') return s;
  if (/^-?\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10);
  throw new QQError(`Could not recognize a transfer mode variant '${value}'.`);
}

/** qq's `TransferMode.should_transfer` for one mode. */
export function transferModeMatches(mode: TransferMode, exitCode: number): boolean {
  switch (mode) {
    case 'success':
      return exitCode === 0;
    case 'failure':
      return exitCode !== 0;
    case 'always':
      return true;
    case 'never':
      return false;
    default:
      return exitCode === mode;
  }
}

const UNIT_KB: Readonly<Record<string, number>> = {
  kb: 1,
  mb: 1024,
  gb: 1024 ** 2,
  tb: 1024 ** 3,
  pb: 1024 ** 4,
};

function sizeFrom(value: number, unitIn: string): Size {
  const unit = unitIn.toLowerCase();
  const factor = UNIT_KB[unit];
  if (factor === undefined) {
    if (unit === 'b') return { value: value === 0 ? 0 : 1 };
    throw new QQError(`Unsupported unit for size '${unit}'.`);
  }
  return { value: value * factor };
}

/** qq's `Size.from_string`: `8gb`, `8 GB`, `8g` (kb/mb/gb/tb/pb, powers of 1024). */
export function parseSizeString(s: string): Size {
  const m = /^\s*(\d+)\s*([a-zA-Z]+)\s*$/.exec(s);
  if (!m) throw new QQError(`Invalid size string: '${s}'.`);
  let unit = m[2] as string;
  if (unit.length === 1 && unit !== 'b') unit = `${unit.toLowerCase()}b`;
  return sizeFrom(Number.parseInt(m[1] as string, 10), unit);
}

/** qq's `wdhms_to_hhmmss`: `1w2d3h4m5s` → `195:04:05`; empty → `0:00:00`. */
export function wdhmsToHhmmss(timestr: string): string {
  if (timestr.trim() === '') return '0:00:00';
  if (!/^\s*(?:\d+\s*[wdhms]\s*)+$/i.test(timestr)) {
    throw new QQError(`Invalid time string '${timestr}'.`);
  }
  const mult: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
  let total = 0;
  for (const m of timestr.matchAll(/(\d+)\s*([wdhms])/gi)) {
    total += Number.parseInt(m[1] as string, 10) * (mult[(m[2] as string).toLowerCase()] ?? 0);
  }
  const h = Math.floor(total / 3600);
  const mm = Math.floor((total % 3600) / 60);
  const ss = total % 60;
  return `${h}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?$/;

/**
 * A qq timestamp to `YYYY-MM-DD HH:MM:SS`. qq writes exactly that form (strptime
 * `%Y-%m-%d %H:%M:%S`); the YAML 1.1 timestamp forms that PyYAML turns into a datetime are
 * accepted too (fraction and zone dropped, as qq's strftime drops them). Undefined if invalid.
 */
export function normalizeTimestamp(s: string): string | undefined {
  const m = TIMESTAMP.exec(s.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map((x) => Number.parseInt(x as string, 10)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > dim || h > 23 || mi > 59 || se > 59) return undefined;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}:${p(se)}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

type Path = readonly (string | number)[];

/** Python's type name of a parsed YAML value, for qq-style messages. */
function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') {
    return Number.isInteger(v) ? 'int' : 'float';
  }
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'dict';
  if (v instanceof Uint8Array) return 'bytes';
  return typeof v;
}

/** Count of flow-collection nesting, a cheap guard against parser recursion on crafted text. */
function maxFlowNesting(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    }
  }
  return max;
}

/** First line of a yaml package message, without the trailing `:` and the source excerpt. */
function yamlMessage(e: unknown): string {
  const raw = errorMessage(e);
  let first = raw.split('\n', 1)[0] ?? raw;
  first = first.replace(/:\s*$/, '').replace(/\.$/, '');
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

class Reader {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly path: string,
  ) {}

  invalid(detail: string): QQError {
    return new QQError(`Invalid qq info file '${this.path}': ${detail}.`);
  }

  /** The AST node at a path, following aliases; the last of duplicate keys, like toJS. */
  private node(path: Path): Node | undefined {
    let node: unknown = this.resolveAlias(this.doc.contents);
    for (const key of path) {
      if (isMap(node)) {
        let index = this.keyIndex.get(node);
        if (!index) {
          // Built once per mapping, so looking up many keys stays linear.
          index = new Map();
          for (const pair of node.items) {
            const k = isScalar(pair.key) ? pair.key.value : undefined;
            if (k !== null && k !== undefined && typeof k !== 'object')
              index.set(String(k), pair.value);
          }
          this.keyIndex.set(node, index);
        }
        node = this.resolveAlias(index.get(String(key)));
      } else if (isSeq(node) && typeof key === 'number') {
        node = this.resolveAlias(node.items[key]);
      } else {
        return undefined;
      }
    }
    return node as Node | undefined;
  }

  private readonly keyIndex = new WeakMap<object, Map<string, unknown>>();
  private readonly aliases = new WeakMap<object, unknown>();

  private resolveAlias(node: unknown): unknown {
    if (!isAlias(node)) return node;
    if (!this.aliases.has(node)) this.aliases.set(node, node.resolve(this.doc));
    return this.aliases.get(node);
  }

  /** A scalar as text: strings as they are, plain numbers/booleans as their source text. */
  scalarText(v: unknown, path: Path): string | undefined {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
      const n = this.node(path);
      if (isScalar(n) && n.type === 'PLAIN' && typeof n.source === 'string' && n.source !== '') {
        return n.source;
      }
      return String(v);
    }
    return undefined;
  }

  str(v: unknown, path: Path, field: string): string {
    const s = this.scalarText(v, path);
    if (s === undefined) throw this.invalid(`Field '${field}' must be a str, got ${pyType(v)}`);
    return s;
  }

  optStr(v: unknown, path: Path, field: string): string | undefined {
    return v === null || v === undefined ? undefined : this.str(v, path, field);
  }

  strList(v: unknown, path: Path, field: string): string[] {
    if (v === null || v === undefined) return [];
    if (!Array.isArray(v)) throw this.invalid(`Field '${field}' must be a list, got ${pyType(v)}`);
    return v.map((item, i) => {
      const s = this.scalarText(item, [...path, i]);
      if (s === undefined) {
        throw this.invalid(
          `Field '${field}' must be a list of str, got an item of ${pyType(item)}`,
        );
      }
      return s;
    });
  }

  /** An int as qq's Resources accepts it: an int or a string of one. */
  intLike(v: unknown, field: string): number | undefined {
    if (v === null || v === undefined) return undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) {
      const n = Number.parseInt(v.trim(), 10);
      if (Number.isSafeInteger(n)) return n;
    }
    const shown = typeof v === 'string' || typeof v === 'number' ? ` '${String(v)}'` : '';
    throw this.invalid(`Field '${field}' must be an int, got ${pyType(v)}${shown}`);
  }

  time(v: unknown, path: Path, field: string): string {
    const s = this.str(v, path, field);
    const t = normalizeTimestamp(s);
    if (t === undefined) {
      throw this.invalid(
        `Field '${field}': time data '${s}' does not match format '%Y-%m-%d %H:%M:%S'`,
      );
    }
    return t;
  }

  optTime(v: unknown, path: Path, field: string): string | undefined {
    return v === null || v === undefined ? undefined : this.time(v, path, field);
  }

  transferModes(v: unknown, path: Path, field: string): TransferMode[] {
    if (!Array.isArray(v)) throw this.invalid(`Field '${field}' must be a list, got ${pyType(v)}`);
    return v.map((item, i) => {
      if (typeof item === 'number') return parseTransferMode(item);
      const s = this.scalarText(item, [...path, i]);
      if (s === undefined) {
        throw this.invalid(
          `Field '${field}' must be a list of str, got an item of ${pyType(item)}`,
        );
      }
      return parseTransferMode(s);
    });
  }

  size(v: unknown, field: string): Size | undefined {
    if (typeof v === 'string') return parseSizeString(v);
    if (v instanceof Map) {
      for (const k of v.keys()) {
        if (k !== 'value' && k !== 'unit') {
          throw this.invalid(`Field '${field}' has an unexpected key '${String(k)}'`);
        }
      }
      const value = v.get('value');
      const unit = v.has('unit') ? v.get('unit') : 'kb';
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw this.invalid(`Field '${field}.value' must be an int, got ${pyType(value)}`);
      }
      if (typeof unit !== 'string') {
        throw this.invalid(`Field '${field}.unit' must be a str, got ${pyType(unit)}`);
      }
      return sizeFrom(value, unit);
    }
    // qq's Resources._parseSize drops anything else (a bare number, null) silently.
    return undefined;
  }

  resources(v: unknown, path: Path): Resources {
    if (!(v instanceof Map)) {
      throw this.invalid(`Field 'resources' must be a dict, got ${pyType(v)}`);
    }
    const r: Resources = {};
    const ints: [string, 'nnodes' | 'ncpus' | 'ncpusPerNode' | 'ngpus' | 'ngpusPerNode'][] = [
      ['nnodes', 'nnodes'],
      ['ncpus', 'ncpus'],
      ['ncpus_per_node', 'ncpusPerNode'],
      ['ngpus', 'ngpus'],
      ['ngpus_per_node', 'ngpusPerNode'],
    ];
    for (const [key, prop] of ints) {
      const n = this.intLike(v.get(key), `resources.${key}`);
      if (n !== undefined) r[prop] = n;
    }
    const sizes: [
      string,
      'mem' | 'memPerNode' | 'memPerCpu' | 'workSize' | 'workSizePerNode' | 'workSizePerCpu',
    ][] = [
      ['mem', 'mem'],
      ['mem_per_node', 'memPerNode'],
      ['mem_per_cpu', 'memPerCpu'],
      ['work_size', 'workSize'],
      ['work_size_per_node', 'workSizePerNode'],
      ['work_size_per_cpu', 'workSizePerCpu'],
    ];
    for (const [key, prop] of sizes) {
      const s = this.size(v.get(key), `resources.${key}`);
      if (s !== undefined) r[prop] = s;
    }
    const walltime = this.optStr(v.get('walltime'), [...path, 'walltime'], 'resources.walltime');
    if (walltime !== undefined) {
      r.walltime =
        typeof v.get('walltime') === 'string' && !walltime.includes(':')
          ? wdhmsToHhmmss(walltime)
          : walltime;
    }
    const workDir = this.optStr(v.get('work_dir'), [...path, 'work_dir'], 'resources.work_dir');
    if (workDir !== undefined) r.workDir = workDir;
    const props = v.get('props');
    if (props instanceof Map) {
      const out: Record<string, string> = {};
      for (const [k, pv] of props) {
        const key = String(k);
        setOwn(out, key, this.scalarText(pv, [...path, 'props', key]) ?? String(pv));
      }
      r.props = out;
    } else if (typeof props === 'string') {
      r.props = parseProps(props);
    } else if (props !== null && props !== undefined) {
      throw this.invalid(`Field 'resources.props' must be a dict, got ${pyType(props)}`);
    }
    return r;
  }

  loopInfo(v: unknown, path: Path): LoopInfo {
    if (!(v instanceof Map)) {
      throw this.invalid(`Field 'loop_info' must be a dict, got ${pyType(v)}`);
    }
    const int = (k: string): number => {
      const x = v.get(k);
      if (typeof x !== 'number' || !Number.isSafeInteger(x)) {
        throw new QQError(`Field '${k}' must be an int, got ${pyType(x)}.`);
      }
      return x;
    };
    const str = (k: string): string => {
      const x = v.get(k);
      if (typeof x !== 'string') throw new QQError(`Field '${k}' must be a str, got ${pyType(x)}.`);
      return x;
    };
    const start = int('start');
    const end = int('end');
    const archive = str('archive');
    const archiveFormat = str('archive_format');
    const current = int('current');
    const am = v.get('archive_mode');
    let archiveMode: TransferMode[];
    if (am === null || am === undefined) {
      archiveMode = ['success'];
    } else if (
      !Array.isArray(am) ||
      !am.every((m) => typeof m === 'string' || typeof m === 'number')
    ) {
      throw new QQError("Field 'archive_mode' must be a list of strings.");
    } else {
      archiveMode = this.transferModes(am, [...path, 'archive_mode'], 'loop_info.archive_mode');
      if (archiveMode.length === 0) archiveMode = ['success'];
    }
    if (!end) throw new QQError("Attribute 'loop-end' is undefined.");
    if (start < 0) throw new QQError(`Attribute 'loop-start' (${start}) cannot be negative.`);
    if (start > end) {
      throw new QQError(
        `Attribute 'loop-start' (${start}) cannot be higher than 'loop-end' (${end}).`,
      );
    }
    if (current > end) {
      throw new QQError(
        `Current cycle number (${current}) cannot be higher than 'loop-end' (${end}).`,
      );
    }
    return { start, end, archive, archiveFormat, current, archiveMode };
  }

  taskInfo(v: unknown): TaskInfo {
    if (!(v instanceof Map)) {
      throw this.invalid(`Field 'task_info' must be a dict, got ${pyType(v)}`);
    }
    const arrayFile = v.get('array_file');
    const taskNumber = v.get('task_number');
    const totalTasks = v.get('total_tasks');
    if (typeof arrayFile !== 'string') {
      throw new QQError(`Field 'array_file' must be a str or Path, got ${pyType(arrayFile)}.`);
    }
    if (typeof taskNumber !== 'number' || !Number.isSafeInteger(taskNumber)) {
      throw new QQError(`Field 'task_number' must be an int, got ${pyType(taskNumber)}.`);
    }
    if (typeof totalTasks !== 'number' || !Number.isSafeInteger(totalTasks)) {
      throw new QQError(`Field 'total_tasks' must be an int, got ${pyType(totalTasks)}.`);
    }
    return { arrayFile, taskNumber, totalTasks };
  }

  interpreter(v: unknown, path: Path): Interpreter {
    if (typeof v === 'string') {
      const parts = v.split(/\s+/).filter((p) => p !== '');
      const [executable, ...args] = parts;
      if (executable === undefined) throw this.invalid("Field 'interpreter' is empty");
      return { executable, arguments: args };
    }
    if (v instanceof Map) {
      for (const k of v.keys()) {
        if (k !== 'executable' && k !== 'arguments') {
          throw this.invalid(`Field 'interpreter' has an unexpected key '${String(k)}'`);
        }
      }
      const exe = v.get('executable');
      const args = v.get('arguments');
      if (exe === null || exe === undefined) {
        // qq's Interpreter() without an executable is its default interpreter, `bash`.
        return { executable: 'bash', arguments: [] };
      }
      return {
        executable: this.str(exe, [...path, 'executable'], 'interpreter.executable'),
        arguments: this.strList(args, [...path, 'arguments'], 'interpreter.arguments'),
      };
    }
    throw this.invalid(`Field 'interpreter' must be a str or a dict, got ${pyType(v)}`);
  }
}

/** Set an own property, even one named `__proto__`, without touching the prototype. */
function setOwn(obj: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** qq's `Resources._parseProps` for a props string (`a,^b,c=d`). */
function parseProps(props: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of props.split(/[,\s:]+/).filter((p) => p !== '')) {
    let key: string;
    let value: string;
    const eq = part.indexOf('=');
    if (eq >= 0) {
      key = part.slice(0, eq);
      value = part.slice(eq + 1);
    } else if (part.startsWith('^')) {
      key = part.replace(/^\^+/, '');
      value = 'false';
    } else {
      key = part;
      value = 'true';
    }
    if (Object.hasOwn(out, key)) throw new QQError(`Property '${key}' is defined multiple times.`);
    setOwn(out, key, value);
  }
  return out;
}

/** Parse a qq job type as qq's `JobType.from_str` does (case-insensitive, `-`/`_`/space). */
export function parseJobType(s: string): JobType {
  const norm = s.toLowerCase().replaceAll('-', ' ').replaceAll('_', ' ');
  const found = (JOB_TYPES as readonly string[]).find((t) => t === norm);
  if (found === undefined) throw new QQError(`Could not recognize a job type '${s}'.`);
  return found as JobType;
}

/** qq's `BatchInterface.from_str`: exact, case-sensitive names. */
export function parseBatchSystem(name: string): BatchSystemName {
  if ((BATCH_SYSTEMS as readonly string[]).includes(name)) return name as BatchSystemName;
  throw new QQError(`No batch system registered as '${name}'.`);
}

/**
 * Parse the text of a qq info file. `path` is used in messages only.
 * Throws QQError with qq's messages (spec §1.6).
 */
export function parseInfoFile(text: string, path: string): InfoFile {
  if (text.length > MAX_INFO_FILE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_INFO_FILE_BYTES) {
    throw new QQError(
      `qq info file '${path}' is too large (more than ${MAX_INFO_FILE_BYTES} bytes); not a qq info file.`,
    );
  }
  const fail = (detail: string) => new QQError(`Failed to parse YAML in ${path}: ${detail}.`);
  if (maxFlowNesting(text) > MAX_YAML_NESTING) {
    throw fail(`collections nested deeper than ${MAX_YAML_NESTING} levels`);
  }
  // YAML's printable set, as PyYAML enforces it (qq's reader): NUL and other controls are refused.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the allowed set names controls on purpose
  const bad = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.exec(
    text,
  );
  if (bad) {
    const code = (bad[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0');
    throw fail(`unacceptable character #x${code}: special characters are not allowed`);
  }

  let doc: Document.Parsed;
  let data: unknown;
  try {
    doc = parseDocument(text, {
      version: '1.2',
      schema: 'core',
      resolveKnownTags: false,
      merge: true,
      uniqueKeys: false,
      strict: true,
      prettyErrors: true,
    });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw fail(yamlMessage(problem));
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT, mapAsMap: true });
  } catch (e) {
    if (e instanceof QQError) throw e;
    throw fail(yamlMessage(e));
  }

  const r = new Reader(doc, path);
  if (data === null || data === undefined) throw r.invalid('the file is empty');
  if (!(data instanceof Map)) {
    throw r.invalid(`expected a mapping of fields at the top level, got ${pyType(data)}`);
  }
  const d = data as Map<unknown, unknown>;
  const has = (k: string) => d.has(k);
  const get = (k: string) => d.get(k);

  // Fields in qq's order; qq converts them in this order and reports missing ones last.
  const batchSystem = has('batch_system')
    ? parseBatchSystem(r.str(get('batch_system'), ['batch_system'], 'batch_system'))
    : undefined;
  const s = (k: string) => (has(k) ? r.str(get(k), [k], k) : undefined);
  const qqVersion = s('qq_version');
  const username = s('username');
  const jobId = s('job_id');
  const jobName = s('job_name');
  const scriptName = s('script_name');
  const queue = s('queue');
  const jobType = has('job_type')
    ? parseJobType(r.str(get('job_type'), ['job_type'], 'job_type'))
    : undefined;
  const inputMachine = s('input_machine');
  const inputDir = s('input_dir');
  // qq: case-insensitive; anything else, empty or not a string is unknown.
  const jobState = has('job_state') ? naiveStateFromString(get('job_state')) : undefined;
  const submissionTime = has('submission_time')
    ? r.time(get('submission_time'), ['submission_time'], 'submission_time')
    : undefined;
  const stdoutFile = s('stdout_file');
  const stderrFile = s('stderr_file');
  const resources = has('resources') ? r.resources(get('resources'), ['resources']) : undefined;

  const excludedFiles = r.strList(get('excluded_files'), ['excluded_files'], 'excluded_files');
  const includedFiles = r.strList(get('included_files'), ['included_files'], 'included_files');
  const tm = get('transfer_mode');
  const transferMode: TransferMode[] =
    tm === null || tm === undefined
      ? ['success']
      : r.transferModes(tm, ['transfer_mode'], 'transfer_mode');
  const depend = r.strList(get('depend'), ['depend'], 'depend');
  const li = get('loop_info');
  const loopInfo = li === null || li === undefined ? undefined : r.loopInfo(li, ['loop_info']);
  const ti = get('task_info');
  const taskInfo = ti === null || ti === undefined ? undefined : r.taskInfo(ti);
  const account = r.optStr(get('account'), ['account'], 'account');
  const server = r.optStr(get('server'), ['server'], 'server');
  const resubmitFrom = r.strList(get('resubmit_from'), ['resubmit_from'], 'resubmit_from');
  const ip = get('interpreter');
  const interpreter =
    ip === null || ip === undefined ? undefined : r.interpreter(ip, ['interpreter']);
  const startTime = r.optTime(get('start_time'), ['start_time'], 'start_time');
  const mainNode = r.optStr(get('main_node'), ['main_node'], 'main_node');
  const an = get('all_nodes');
  const allNodes =
    an === null || an === undefined ? undefined : r.strList(an, ['all_nodes'], 'all_nodes');
  const workDir = r.optStr(get('work_dir'), ['work_dir'], 'work_dir');
  const completionTime = r.optTime(get('completion_time'), ['completion_time'], 'completion_time');
  const ec = get('job_exit_code');
  let jobExitCode: number | undefined;
  if (ec !== null && ec !== undefined) {
    if (typeof ec === 'number' && Number.isSafeInteger(ec)) jobExitCode = ec;
    else if (typeof ec === 'string' && /^\s*-?\d+\s*$/.test(ec))
      jobExitCode = Number.parseInt(ec, 10);
    else throw r.invalid(`Field 'job_exit_code' must be an int, got ${pyType(ec)}`);
  }

  const missing = REQUIRED_INFO_KEYS.filter((k) => !has(k));
  if (missing.length > 0) {
    const names = missing.map((k) => `'${k}'`).join(', ');
    throw r.invalid(`missing required field${missing.length > 1 ? 's' : ''} ${names}`);
  }

  const info: InfoFile = {
    batchSystem: batchSystem as BatchSystemName,
    qqVersion: qqVersion as string,
    username: username as string,
    jobId: jobId as string,
    jobName: jobName as string,
    scriptName: scriptName as string,
    queue: queue as string,
    jobType: jobType as JobType,
    inputMachine: inputMachine as string,
    inputDir: inputDir as string,
    jobState: jobState as NaiveState,
    submissionTime: submissionTime as string,
    stdoutFile: stdoutFile as string,
    stderrFile: stderrFile as string,
    resources: resources as Resources,
    excludedFiles,
    includedFiles,
    transferMode,
    depend,
    resubmitFrom,
  };
  if (loopInfo !== undefined) info.loopInfo = loopInfo;
  if (taskInfo !== undefined) info.taskInfo = taskInfo;
  if (account !== undefined) info.account = account;
  if (server !== undefined) info.server = server;
  if (interpreter !== undefined) info.interpreter = interpreter;
  if (startTime !== undefined) info.startTime = startTime;
  if (mainNode !== undefined) info.mainNode = mainNode;
  if (allNodes !== undefined) info.allNodes = allNodes;
  if (workDir !== undefined) info.workDir = workDir;
  if (completionTime !== undefined) info.completionTime = completionTime;
  if (jobExitCode !== undefined) info.jobExitCode = jobExitCode;
  return info;
}
