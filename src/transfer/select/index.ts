/**
 * The `select/` room: what a transfer fetches — the `files` input (files.ts), rsync's filter
 * rules (filter-rules.ts) and its wildcards (wildcard.ts), all as one Selection (this file);
 * the PathFilter contract it builds lives beside the copier that also reads it (../path-filter.ts).
 *
 * What a transfer selects, as one value: `files` (qq's -f, split and kept inside the working
 * directory by files.ts), `exclude` (rsync patterns) and `max-size`. From it come rsync's
 * arguments and the `PathFilter` the copier and the planner apply — both from the same rule
 * list, so they agree by construction. Pure: no I/O.
 */
import { InputError } from '../../domain/errors.js';
import type { PathFilter } from '../path-filter.js';
import {
  type CompiledRules,
  compileRule,
  type FilterRule,
  firstMatch,
  ruleArgs,
} from './filter-rules.js';
import { hasWildcard } from './wildcard.js';

/**
 * The rules that select `files` (relative, validated). When every entry is top-level: qq's
 * form (`--include X --include X/*** … --exclude *`), so that qq's argv is kept where qq's
 * behaviour is wanted. When an entry is nested (which qq silently skips): every pattern
 * anchored at the root, with the parent directories included (`--include /sub/ --include
 * /sub/a.txt --include /sub/a.txt/*** …`); anchoring matters there, since an unanchored
 * `a.txt` would also pick `sub/a.txt` once `sub/` is traversed. `.` means everything: no rule.
 */
export function includeRules(relative: readonly string[]): FilterRule[] {
  if (relative.includes('.')) return [];
  const nested = relative.some((rel) => rel.includes('/'));
  const rules: FilterRule[] = [];
  const include = (pattern: string) => rules.push({ include: true, pattern });
  const parents = new Set<string>();
  for (const rel of relative) {
    if (!nested) {
      include(rel);
      include(`${rel}/***`);
      continue;
    }
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = `/${parts.slice(0, i).join('/')}/`;
      if (!parents.has(parent)) {
        parents.add(parent);
        include(parent);
      }
    }
    include(`/${rel}`);
    include(`/${rel}/***`);
  }
  rules.push({ include: false, pattern: '*' });
  return rules;
}

/** rsync's filter arguments for `files` alone (qq's argv for top-level entries). */
export function includeFilters(relative: readonly string[]): string[] {
  return ruleArgs(includeRules(relative));
}

/**
 * The `exclude` lines, refused (naming the input) where rsync would read one as something
 * else than a pattern: an option (`-…`), a rule with its own prefix (`+ x` includes, `- x`),
 * the list-clearing `!`; or where it holds a control character.
 */
export function checkExclude(patterns: readonly string[], input = 'exclude'): string[] {
  for (const p of patterns) {
    if ([...p].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
      throw new InputError(`Input '${input}' has a pattern with a control character.`);
    }
    if (p.startsWith('-')) {
      throw new InputError(
        `Input '${input}' has '${p}', which looks like an option; write '[-]${p.slice(1)}' for a name that starts with '-'.`,
      );
    }
    if (p.startsWith('+ ') || p === '!') {
      throw new InputError(
        `Input '${input}' has '${p}', which rsync would read as a filter rule, not a pattern.`,
      );
    }
  }
  return [...patterns];
}

const UNIT_POWER: Record<string, number> = { b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

/**
 * A size as rsync's `--max-size` reads it (options.c, parse_size_arg): a number with an
 * optional fraction, then `K`/`M`/`G`/`T`/`P` (or `KiB`…) for powers of 1024, `KB`/`MB`… for
 * powers of 1000, `B` or nothing for bytes, any case; `+1`/`-1` at the end adds or takes one
 * byte. Returns whole bytes; undefined for anything else.
 */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d*)?|\.\d+)(?:([bkmgtp])(b|ib)?)?([+-]1)?$/i.exec(text);
  if (!m) return undefined;
  const power = UNIT_POWER[(m[2] ?? 'b').toLowerCase()] as number;
  const mult = m[3]?.toLowerCase() === 'b' ? 1000 : 1024;
  const bytes = Math.trunc(mult ** power * Number(m[1])) + (m[4] ? Number(m[4]) : 0);
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : undefined;
}

/** The `max-size` input: undefined (no limit) when empty. */
export function checkMaxSize(text: string, input = 'max-size'): number | undefined {
  const raw = text.trim();
  if (!raw) return undefined;
  const bytes = parseSize(raw);
  if (bytes === undefined) {
    throw new InputError(
      `Input '${input}' must be a size as rsync's --max-size takes it ('500M', '2G', '1.5G', '100KB', '4096'); got '${raw}'.`,
    );
  }
  return bytes;
}

/**
 * Whether `exclude` alone leaves out `rel` (a byte string) — itself, or a directory above it:
 * a `files` entry that `exclude` wins over did not "match nothing".
 */
export function excludedByPatterns(exclude: readonly string[], rel: string): boolean {
  if (exclude.length === 0) return false;
  const { filter } = selectionOf({ exclude });
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    if (filter.excludes(parts.slice(0, i).join('/'), true)) return true;
  }
  return filter.excludes(rel, false) || filter.excludes(rel, true);
}

export interface SelectionInput {
  /** `files` entries, relative to the working directory and validated; undefined: everything. */
  files?: readonly string[];
  /** `exclude` patterns (checked). */
  exclude?: readonly string[];
  /** Bytes; larger regular files are not fetched. */
  maxSize?: number;
}

export interface Selection {
  /** In rsync's order: the excludes first (they win over `files`), then `files`'s rules. */
  readonly rules: readonly FilterRule[];
  /** rsync's arguments for the selection (before `--`). */
  readonly rsyncArgs: readonly string[];
  /** The same rules for one entry, and the size limit. */
  readonly filter: PathFilter;
}

export function selectionOf(input: SelectionInput): Selection {
  const rules: FilterRule[] = [
    ...(input.exclude ?? []).map((pattern) => ({ include: false, pattern })),
    ...(input.files ? includeRules(input.files) : []),
  ];
  // The filter sees names as byte strings; a pattern is text, which rsync gets as UTF-8 bytes.
  const compiled: CompiledRules = rules.map((r) =>
    compileRule({ ...r, pattern: Buffer.from(r.pattern).toString('latin1') }),
  );
  const maxSize = input.maxSize;
  const prune = (input.files ?? []).some((rel) =>
    hasWildcard(rel.split('/').slice(0, -1).join('/')),
  );
  return {
    rules,
    rsyncArgs: [
      ...(prune ? ['--prune-empty-dirs'] : []),
      ...ruleArgs(rules),
      ...(maxSize === undefined ? [] : [`--max-size=${maxSize}`]),
    ],
    filter: {
      excludes: (rel, isDir) => !firstMatch(compiled, rel, isDir),
      ...(maxSize === undefined ? {} : { maxSize }),
      ...(prune ? { pruneEmptyDirs: true } : {}),
    },
  };
}
