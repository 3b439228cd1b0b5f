/**
 * The info file's values to typed fields with qq-style messages (Reader), and the checks on
 * its text that come before any YAML is read. No YAML library here: the usual info file is
 * read by plain-yaml.ts, and the `yaml` library (yaml.ts) is loaded only for the others.
 */
import { QQError } from '../errors.js';
import { MAX_YAML_NESTING } from './limits.js';
import { parseSizeString, type Size, sizeFrom } from './properties/size.js';
import { normalizeTimestamp } from './properties/timestamp.js';
import { parseTransferMode, type TransferMode } from './properties/transfer-mode.js';

/** Where a value sits in the document: keys and list indices from the top. */
export type Path = readonly (string | number)[];

/** Python's type name of a parsed YAML value, for qq-style messages. */
export function pyType(v: unknown): string {
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

/**
 * What PyYAML's SafeLoader refuses before parsing: collections nested too deep (a guard against
 * parser recursion) and characters outside YAML's printable set. Throws QQError
 * `Failed to parse YAML in <path>: …`.
 */
export function checkYamlText(text: string, path: string): void {
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
}

/** Typed values from the document, with `Invalid qq info file '<path>': …` messages. */
export class Reader {
  /**
   * `sourceOf`: the source text of the plain scalar at a path, where the `yaml` library read
   * the text (yaml.ts); none for text read by plain-yaml.ts, whose numbers are `String(n)`.
   */
  constructor(
    private readonly path: string,
    private readonly sourceOf?: (path: Path) => string | undefined,
  ) {}

  invalid(detail: string): QQError {
    return new QQError(`Invalid qq info file '${this.path}': ${detail}.`);
  }

  /** A scalar as text: strings as they are, plain numbers/booleans as their source text. */
  scalarText(v: unknown, path: Path): string | undefined {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
      return this.sourceOf?.(path) ?? String(v);
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
}
