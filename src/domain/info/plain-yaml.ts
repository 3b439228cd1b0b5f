/**
 * A fast path for the info files qq writes (PyYAML's block style): nested block mappings,
 * block sequences of scalars, `[]`/`{}`, one-line single-quoted scalars, plain scalars that
 * can only be strings, and plain decimal ints. Anything else — any other character, quoting,
 * indentation, comment placement, a duplicate key, a word YAML reads as a boolean or null —
 * returns undefined, and the `yaml` library reads the text (yaml.ts): this path never decides
 * an error, and accepts only text the library reads to the same values.
 *
 * Why: the library allocates about 300 KB to parse a 600-byte info file (its lexer, CST and
 * document). A campaign of 4,000 jobs spent 1.3 GB of its 2 GB of allocations there, which
 * made V8 grow its young generation to the top (docs/performance-streams.md §(d)).
 */

/** A mapping key the library reads as this same string (not `true`, `null`, …). */
const KEY = /^([A-Za-z_][A-Za-z0-9_]{0,99}):(?: (.*))?$/;
/** A plain scalar of these characters is a string unless the schema reads it otherwise (below). */
const PLAIN = /^[A-Za-z0-9/_](?:[A-Za-z0-9_./@+=%,~-]|:(?=[A-Za-z0-9_./@+=%,~-]))*$/;
/** What the core schema reads as a number among PLAIN (the `yaml` library's tests, `0.10.1` is none). */
const NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)$/;
/** Words the core schema reads as booleans or null (whatever their case: kept off the fast path). */
const SPECIAL_WORD = /^(?:true|false|null)$/i;
/** A decimal int whose text is its own canonical form (so its source text is `String(n)`). */
const CANONICAL_INT = /^(?:0|[1-9][0-9]{0,14})$/;
const SINGLE_QUOTED = /^'((?:[^']|'')*)'$/;

type Value = string | number | null | Value[] | Map<string, Value>;

const NO = Symbol('not on the fast path');

function scalar(text: string): Value | typeof NO {
  if (text === '[]') return [];
  if (text === '{}') return new Map();
  const quoted = SINGLE_QUOTED.exec(text);
  if (quoted) return (quoted[1] as string).replaceAll("''", "'");
  if (CANONICAL_INT.test(text)) return Number(text);
  if (PLAIN.test(text) && !NUMBER.test(text) && !SPECIAL_WORD.test(text)) return text;
  return NO;
}

class Lines {
  private i = 0;
  constructor(private readonly lines: string[]) {}
  /** The next line that is not empty or a comment at column 0 (skipped); undefined at the end. */
  peek(): string | undefined {
    while (this.i < this.lines.length) {
      const line = this.lines[this.i] as string;
      if (line !== '' && line[0] !== '#') return line;
      this.i++;
    }
    return undefined;
  }
  take(): void {
    this.i++;
  }
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 0x20) n++;
  return n;
}

/** A block sequence of scalars at `indent`. */
function sequence(lines: Lines, indent: number): Value[] | typeof NO {
  const items: Value[] = [];
  for (let line = lines.peek(); line !== undefined; line = lines.peek()) {
    const at = indentOf(line);
    // A line at the same indent that is no item ends a sequence written under its key.
    if (at < indent || (at === indent && !line.startsWith('- ', at))) break;
    if (at > indent) return NO;
    const v = scalar(line.slice(at + 2));
    if (v === NO) return NO;
    items.push(v);
    lines.take();
  }
  return items;
}

/** A block mapping at `indent`. */
function mapping(lines: Lines, indent: number): Map<string, Value> | typeof NO {
  const map = new Map<string, Value>();
  for (let line = lines.peek(); line !== undefined; line = lines.peek()) {
    const at = indentOf(line);
    if (at < indent) break;
    if (at > indent) return NO;
    const m = KEY.exec(line.slice(at));
    if (!m) return NO;
    const key = m[1] as string;
    if (map.has(key) || SPECIAL_WORD.test(key)) return NO;
    lines.take();
    let value: Value | typeof NO;
    if (m[2] !== undefined) {
      value = scalar(m[2]);
    } else {
      const next = lines.peek();
      const nextAt = next === undefined ? -1 : indentOf(next);
      if (next !== undefined && nextAt === indent && next.startsWith('- ', at)) {
        value = sequence(lines, indent);
      } else if (next !== undefined && nextAt > indent) {
        value = next.startsWith('- ', nextAt) ? sequence(lines, nextAt) : mapping(lines, nextAt);
      } else value = null;
    }
    if (value === NO) return NO;
    map.set(key, value);
    // A line indented deeper after a value would continue it (a multi-line scalar).
    const after = lines.peek();
    if (after !== undefined && indentOf(after) > indent) return NO;
  }
  return map;
}

/** The values of `text` (mappings as Maps), or undefined when the library must read it. */
export function parsePlainInfoYaml(text: string): Map<string, Value> | undefined {
  if (text.includes('\r') || text.includes('\t') || text.charCodeAt(0) === 0xfeff) return undefined;
  const lines = new Lines(text.split('\n'));
  const first = lines.peek();
  if (first === undefined || indentOf(first) !== 0) return undefined;
  const map = mapping(lines, 0);
  if (map === NO || lines.peek() !== undefined) return undefined;
  return map;
}
