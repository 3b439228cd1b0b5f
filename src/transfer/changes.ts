/**
 * What one job's transfer wrote, collected from the transport's `onChange` records (rsync's
 * `--out-format`, the copier's own), and the lists cut to what fits a step output.
 * Pure: no I/O.
 */
import type { ChangedEntry } from './path-filter.js';

/** One entry per path: a later attempt (after a retry) replaces an earlier record. */
export class ChangeLog {
  private readonly byRel = new Map<string, ChangedEntry>();

  readonly add = (entry: ChangedEntry): void => {
    this.byRel.set(entry.rel, entry);
  };

  /** `rel` and what is under it are gone again (a directory removed after the transfer). */
  readonly retract = (rel: string): void => {
    const under = `${rel}/`;
    for (const key of this.byRel.keys()) {
      if (key === rel || key.startsWith(under)) this.byRel.delete(key);
    }
  };

  /** The regular files recorded, and their bytes: what a run that failed did fetch. */
  fetched(): { files: number; bytes: number } {
    const n = { files: 0, bytes: 0 };
    for (const e of this.byRel.values()) {
      if (e.kind !== 'file') continue;
      n.files++;
      n.bytes += e.size;
    }
    return n;
  }

  get size(): number {
    return this.byRel.size;
  }

  /** In byte order of their paths, as rsync walks (stable across runs and transports). */
  entries(): ChangedEntry[] {
    return [...this.byRel.values()].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  }
}

/**
 * JSON of a path list stays under this many bytes in one output: GitHub takes up to 1 MiB per
 * output (and 50 MiB per run), and the `jobs` output carries the per-job lists as well.
 */
export const CHANGED_LIST_LIMIT = 256 * 1024;

/** The first paths whose JSON array fits in `budget.left` bytes (which it uses up). */
export function takeWithin(paths: readonly string[], budget: { left: number }): string[] {
  const shown: string[] = [];
  let used = 2; // []
  for (const p of paths) {
    const cost = Buffer.byteLength(JSON.stringify(p)) + 1;
    if (used + cost > budget.left) break;
    used += cost;
    shown.push(p);
  }
  budget.left -= used;
  return shown;
}
