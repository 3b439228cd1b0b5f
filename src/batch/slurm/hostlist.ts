/**
 * Slurm hostlists (`cn[01-03,07],gpu5`): expanded here as `scontrol show hostnames` prints
 * them, and by scontrol only for a syntax this does not understand (docs/qq-behaviour.md §3.2).
 */
import { errorMessage } from '../../util/errors.js';
import { runScheduler } from '../scheduler.js';
import type { BatchContext } from '../types.js';

/** A NodeList value worth expanding (qq: present and not containing `None`). */
export function usableNodeList(value: string | undefined): value is string {
  return !!value && !value.includes('None') && value !== '(null)';
}

/** Split a hostlist at the commas outside brackets. */
function splitHostlist(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of list) {
    if (c === '[') depth++;
    else if (c === ']') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((s) => s.length > 0);
}

/** Most names one hostlist may expand to here (beyond that, scontrol does it). */
const MAX_EXPANDED = 100_000;

/**
 * Expand a Slurm hostlist (`cn[01-03,07],gpu5`, `a[1-2]b[3-4]`) the way
 * `scontrol show hostnames` does: brackets hold numbers and ranges, the width of a range is
 * that of its first number (`[08-10]` → 08 09 10, `[8-10]` → 8 9 10), several brackets make
 * a product with the first one outermost, order and duplicates are kept. Undefined for any
 * syntax this does not understand (then scontrol is asked).
 */
export function expandHostlist(list: string): string[] | undefined {
  const out: string[] = [];
  for (const item of splitHostlist(list)) {
    let names: string[] = [''];
    let rest = item;
    while (rest.length > 0) {
      const open = rest.indexOf('[');
      const literal = open < 0 ? rest : rest.slice(0, open);
      if (literal.includes(']')) return undefined;
      names = names.map((n) => n + literal);
      if (open < 0) break;
      const close = rest.indexOf(']', open);
      if (close < 0) return undefined;
      const values: string[] = [];
      for (const range of rest.slice(open + 1, close).split(',')) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(range);
        if (!m) return undefined;
        const loText = m[1] as string;
        const lo = Number(loText);
        const hi = m[2] === undefined ? lo : Number(m[2]);
        if (hi < lo || hi - lo >= MAX_EXPANDED) return undefined;
        for (let v = lo; v <= hi; v++) values.push(String(v).padStart(loText.length, '0'));
      }
      if (names.length * values.length > MAX_EXPANDED) return undefined;
      names = names.flatMap((n) => values.map((v) => n + v));
      rest = rest.slice(close + 1);
    }
    out.push(...names);
    if (out.length > MAX_EXPANDED) return undefined;
  }
  return out;
}

/**
 * Expand NodeList values (docs/qq-behaviour.md §3.2). Lists in the plain hostlist syntax are expanded here,
 * exactly as `scontrol show hostnames` prints them, so that many jobs still cost one
 * scheduler call; only a list this does not understand is given to
 * `scontrol show hostnames <list>` (one call per such list). On a failure the list stays
 * compact (qq's fallback), with a debug message.
 */
export async function expandNodeLists(
  lists: readonly string[],
  ctx: BatchContext,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const list of new Set(lists)) {
    const local = expandHostlist(list);
    if (local) {
      out.set(list, local);
      continue;
    }
    if (list.startsWith('-') || /\s/.test(list)) {
      out.set(list, [list]);
      continue;
    }
    const fallback = (why: string) => {
      ctx.debug(`could not expand node list '${list}' (${why}); using it unexpanded`);
      out.set(list, [list]);
    };
    try {
      const r = await runScheduler(['scontrol', 'show', 'hostnames', list], ctx);
      const names = r.stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
      if (
        r.code !== 0 ||
        names.length === 0 ||
        /Invalid hostlist|Invalid range/.test(r.stdout + r.stderr)
      ) {
        fallback(`exit ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`);
      } else {
        out.set(list, names);
      }
    } catch (e) {
      fallback(errorMessage(e));
    }
  }
  return out;
}
