import { QQError } from '../../errors.js';
import { type Path, pyType, type Reader } from '../reader.js';
import type { Size } from './size.js';
import { wdhmsToHhmmss } from './walltime.js';

/** The `resources` mapping (docs/qq-behaviour.md §1.4). Every key is optional. */
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

/** qq's `equals_normalized`: case-insensitive, ignoring `-` and `_`. */
export function equalsNormalized(a: string, b: string): boolean {
  const n = (s: string) => s.toLowerCase().replaceAll('-', '').replaceAll('_', '');
  return n(a) === n(b);
}

/**
 * qq's `uses_scratch` (docs/qq-behaviour.md §1.4): true unless the work-dir type is `job_dir` or `input_dir`
 * (case-insensitive, ignoring `-`/`_`). A missing type counts as scratch.
 */
export function usesScratch(info: { resources: Pick<Resources, 'workDir'> }): boolean {
  const type = String(info.resources.workDir ?? 'None');
  return !equalsNormalized(type, 'job_dir') && !equalsNormalized(type, 'input_dir');
}

const INTS = [
  ['nnodes', 'nnodes'],
  ['ncpus', 'ncpus'],
  ['ncpus_per_node', 'ncpusPerNode'],
  ['ngpus', 'ngpus'],
  ['ngpus_per_node', 'ngpusPerNode'],
] as const;

const SIZES = [
  ['mem', 'mem'],
  ['mem_per_node', 'memPerNode'],
  ['mem_per_cpu', 'memPerCpu'],
  ['work_size', 'workSize'],
  ['work_size_per_node', 'workSizePerNode'],
  ['work_size_per_cpu', 'workSizePerCpu'],
] as const;

/** The `resources` mapping as qq's `Resources(**data)` builds it. */
export function readResources(r: Reader, v: unknown, path: Path): Resources {
  if (!(v instanceof Map)) {
    throw r.invalid(`Field 'resources' must be a dict, got ${pyType(v)}`);
  }
  const out: Resources = {};
  for (const [key, prop] of INTS) {
    const n = r.intLike(v.get(key), `resources.${key}`);
    if (n !== undefined) out[prop] = n;
  }
  for (const [key, prop] of SIZES) {
    const s = r.size(v.get(key), `resources.${key}`);
    if (s !== undefined) out[prop] = s;
  }
  const walltime = r.optStr(v.get('walltime'), [...path, 'walltime'], 'resources.walltime');
  if (walltime !== undefined) {
    out.walltime =
      typeof v.get('walltime') === 'string' && !walltime.includes(':')
        ? wdhmsToHhmmss(walltime)
        : walltime;
  }
  const workDir = r.optStr(v.get('work_dir'), [...path, 'work_dir'], 'resources.work_dir');
  if (workDir !== undefined) out.workDir = workDir;
  const props = readProps(r, v.get('props'), [...path, 'props']);
  if (props !== undefined) out.props = props;
  return out;
}

/** `props` as a mapping or as qq's props string; undefined when absent. */
function readProps(r: Reader, props: unknown, path: Path): Record<string, string> | undefined {
  if (props instanceof Map) {
    const out: Record<string, string> = {};
    for (const [k, pv] of props) {
      const key = String(k);
      setOwn(out, key, r.scalarText(pv, [...path, key]) ?? String(pv));
    }
    return out;
  }
  if (typeof props === 'string') return parseProps(props);
  if (props !== null && props !== undefined) {
    throw r.invalid(`Field 'resources.props' must be a dict, got ${pyType(props)}`);
  }
  return undefined;
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
