/**
 * The one rsync wildcard matcher: a port of rsync's lib/wildmatch.c (`dowild` and
 * `wildmatch_array`), so that the copier, the "matched nothing" check and the planner select
 * exactly what rsync's filter rules select. Differential-tested against rsync
 * (test/transfer/wildcard-rsync.test.ts).
 *
 * rsync's rules, on bytes (strings here are byte strings, one char per byte):
 * - `*` matches within one path element (not '/'); `**` (and `***`) also across '/';
 *   a trailing `*` matches only if no '/' is left, a trailing `**` matches everything.
 * - `?` is any one byte but '/'.
 * - `[…]` a class: `!` or `^` first negates, `a-z` ranges, `\x` a literal x, `]` first is a
 *   member, `[:alpha:]` and the other POSIX classes (C locale: ASCII only). A class never
 *   matches '/'. A `[` without its `]` makes the whole pattern match nothing (rsync aborts).
 * - `\x` matches x literally; a pattern ending in `\` matches nothing.
 * Pure: no I/O.
 */

const FALSE = 0;
const TRUE = 1;
/** The pattern cannot match at all (a malformed class, or text ran out before a literal). */
const ABORT_ALL = -1;
/** A `*` met a '/': only an outer `**` may still match by skipping further. */
const ABORT_TO_STARSTAR = -2;

const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => isAlpha(c) || isDigit(c),
  alpha: (c) => isAlpha(c),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => isDigit(c),
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const SLASH = 0x2f;

/** `[…]` at `p[start]` against the byte `t`: [result, index of the closing `]`]. */
function matchClass(p: string, start: number, t: number): [number, number] {
  let i = start + 1;
  let pc = p.charCodeAt(i);
  if (pc === 0x5e) pc = 0x21; // '^' negates as '!' does
  const negated = pc === 0x21;
  if (negated) pc = p.charCodeAt(++i);
  let prev = 0;
  let matched = false;
  do {
    if (Number.isNaN(pc)) return [ABORT_ALL, i];
    if (pc === 0x5c) {
      pc = p.charCodeAt(++i);
      if (Number.isNaN(pc)) return [ABORT_ALL, i];
      if (t === pc) matched = true;
    } else if (pc === 0x2d && prev && i + 1 < p.length && p[i + 1] !== ']') {
      pc = p.charCodeAt(++i);
      if (pc === 0x5c) {
        pc = p.charCodeAt(++i);
        if (Number.isNaN(pc)) return [ABORT_ALL, i];
      }
      if (t <= pc && t >= prev) matched = true;
      pc = 0; // a range's end does not start another range
    } else if (pc === 0x5b && p[i + 1] === ':') {
      const s = i + 2;
      let e = s;
      while (e < p.length && p[e] !== ']') e++;
      if (e >= p.length) return [ABORT_ALL, e];
      if (e - s - 1 < 0 || p[e - 1] !== ':') {
        // No ":]": the '[' is an ordinary member.
        if (t === 0x5b) matched = true;
      } else {
        const test = CLASSES[p.slice(s, e - 1)];
        if (!test) return [ABORT_ALL, e];
        if (test(t)) matched = true;
        i = e;
        pc = 0;
      }
    } else if (t === pc) matched = true;
    prev = pc;
    pc = p.charCodeAt(++i);
  } while (pc !== 0x5d);
  return [matched === negated || t === SLASH ? FALSE : TRUE, i];
}

function dowild(p: string, pi: number, text: string, ti: number): number {
  for (; pi < p.length; pi++, ti++) {
    const pc = p.charCodeAt(pi);
    if (ti >= text.length && pc !== 0x2a) return ABORT_ALL;
    const t = text.charCodeAt(ti);
    switch (pc) {
      case 0x5c: {
        // A literal next byte; a trailing '\' compares with nothing and fails.
        pi++;
        if (pi >= p.length || t !== p.charCodeAt(pi)) return FALSE;
        continue;
      }
      case 0x3f:
        if (t === SLASH) return FALSE;
        continue;
      case 0x2a: {
        let special = false;
        if (p.charCodeAt(pi + 1) === 0x2a) {
          while (p.charCodeAt(pi + 1) === 0x2a) pi++;
          special = true;
        }
        pi++;
        if (pi >= p.length) {
          // Trailing "**" matches everything, a trailing "*" only if no '/' is left.
          return special || text.indexOf('/', ti) < 0 ? TRUE : FALSE;
        }
        for (; ti <= text.length; ti++) {
          if (ti === text.length) break;
          const m = dowild(p, pi, text, ti);
          if (m !== FALSE) {
            if (!special || m !== ABORT_TO_STARSTAR) return m;
          } else if (!special && text.charCodeAt(ti) === SLASH) return ABORT_TO_STARSTAR;
        }
        return ABORT_ALL;
      }
      case 0x5b: {
        const [m, end] = matchClass(p, pi, t);
        if (m !== TRUE) return m;
        pi = end;
        continue;
      }
      default:
        if (t !== pc) return FALSE;
    }
  }
  return ti >= text.length ? TRUE : FALSE;
}

/** Whether `pattern` matches all of `text` (rsync's `wildmatch`). */
export function wildmatch(pattern: string, text: string): boolean {
  return dowild(pattern, 0, text, 0) === TRUE;
}

/**
 * rsync's `wildmatch_array` on one string. `where` 0: from the start only; N > 0: the last N
 * '/'-separated elements only (no match if there are fewer); -1: from the start or after any
 * '/' that is not the last byte.
 */
export function wildmatchAt(pattern: string, text: string, where: number): boolean {
  let start = 0;
  if (where > 0) {
    let count = where;
    start = -1;
    for (let i = text.length - 1; i >= 0; i--) {
      if (text.charCodeAt(i) === SLASH && --count === 0) {
        start = i + 1;
        break;
      }
    }
    if (start < 0) {
      if (count !== 1) return false;
      start = 0;
    }
  }
  for (;;) {
    const m = dowild(pattern, 0, text, start);
    if (m === TRUE) return true;
    if (where >= 0 || m === ABORT_ALL) return false;
    const slash = text.indexOf('/', start);
    if (slash < 0 || slash === text.length - 1) return false;
    start = slash + 1;
  }
}

/** Whether rsync treats `pattern` as a wildcard pattern (else it compares it literally). */
export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}
