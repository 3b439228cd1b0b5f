/**
 * The YAML side of the info-file reader: the text to a document as PyYAML's SafeLoader reads
 * it (YAML 1.2 core schema, no custom tags, bounded alias expansion and nesting), and a Reader
 * that turns its values into typed fields with qq-style messages.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { errorMessage } from '../../util/errors.js';
import { QQError } from '../errors.js';
import { MAX_YAML_ALIAS_COUNT, MAX_YAML_NESTING } from './limits.js';
import { parsePlainInfoYaml } from './plain-yaml.js';
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

/** First line of a yaml package message, without the trailing `:` and the source excerpt. */
function yamlMessage(e: unknown): string {
  const raw = errorMessage(e);
  let first = raw.split('\n', 1)[0] ?? raw;
  first = first.replace(/:\s*$/, '').replace(/\.$/, '');
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

/**
 * The text's values (mappings as Maps), with its YAML document where the `yaml` library read
 * it (plain-yaml.ts reads the usual info file without it). Throws QQError
 * `Failed to parse YAML in <path>: …` for text PyYAML's SafeLoader would refuse.
 */
export function loadYaml(text: string, path: string): { doc?: Document.Parsed; data: unknown } {
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
  const plain = parsePlainInfoYaml(text);
  if (plain) return { data: plain };
  try {
    const doc = parseDocument(text, {
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
    return { doc, data: doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT, mapAsMap: true }) };
  } catch (e) {
    if (e instanceof QQError) throw e;
    throw fail(yamlMessage(e));
  }
}

/** Typed values from the document, with `Invalid qq info file '<path>': …` messages. */
export class Reader {
  private readonly keyIndex = new WeakMap<object, Map<string, unknown>>();
  private readonly aliases = new WeakMap<object, unknown>();

  /** `doc`: none for text read by plain-yaml.ts, whose numbers are written as `String(n)`. */
  constructor(
    private readonly doc: Document.Parsed | undefined,
    private readonly path: string,
  ) {}

  invalid(detail: string): QQError {
    return new QQError(`Invalid qq info file '${this.path}': ${detail}.`);
  }

  /** The AST node at a path, following aliases; the last of duplicate keys, like toJS. */
  private node(path: Path): unknown {
    if (!this.doc) return undefined;
    let node: unknown = this.resolveAlias(this.doc.contents);
    for (const key of path) {
      if (isMap(node)) {
        node = this.resolveAlias(this.indexOf(node).get(String(key)));
      } else if (isSeq(node) && typeof key === 'number') {
        node = this.resolveAlias(node.items[key]);
      } else {
        return undefined;
      }
    }
    return node;
  }

  /** A mapping's values by key, built once per mapping so that many lookups stay linear. */
  private indexOf(map: { items: { key: unknown; value: unknown }[] }): Map<string, unknown> {
    let index = this.keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        const k = isScalar(pair.key) ? pair.key.value : undefined;
        if (k !== null && k !== undefined && typeof k !== 'object')
          index.set(String(k), pair.value);
      }
      this.keyIndex.set(map, index);
    }
    return index;
  }

  private resolveAlias(node: unknown): unknown {
    if (!isAlias(node) || !this.doc) return node;
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
}
