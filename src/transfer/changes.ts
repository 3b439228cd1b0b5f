/**
 * What one job's transfer wrote, collected from the transport's `onChange` records (rsync's
 * `--out-format`, the copier's own), and the lists cut to what fits a step output.
 * Pure: no I/O.
 */
import type { ChangedEntry } from './path-filter.js';

/** Paths: an array, or a ChangeLog's view of its own records (made as they are read). */
export interface PathList extends Iterable<string> {
  readonly length: number;
}

const KINDS: readonly ChangedEntry['kind'][] = ['file', 'symlink'];
/** A record `retract` took back. */
const GONE = 255;

/**
 * One entry per path: a later attempt (after a retry) replaces an earlier record.
 *
 * Kept compact while the transfer runs: the paths' bytes in one buffer, the numbers in typed
 * arrays, no object per record. A job of 100,000 files made one object, one string and one
 * map entry per file that all lived to the end: the young generation, seeing most of what it
 * held survive, grew to four times its size (the copier alone on 100,000 files: 77 MiB peak
 * RSS, 118 MiB with its records kept as objects; issue 29). Duplicates (a path recorded again
 * by a retry) are resolved when the records are read, the latest one kept.
 */
export class ChangeLog {
  private count = 0;
  // Small at first, doubled as records come: a campaign keeps one log per job (4,000 logs of
  // 89 KB each made a 4,000-job step 273 MiB where it had been 237).
  private bytes = Buffer.allocUnsafe(256);
  private used = 0;
  /** Where record i's path ends in `bytes` (it starts where record i - 1's ends). */
  private ends = new Float64Array(8);
  private kinds = new Uint8Array(8);
  private sizes = new Float64Array(8);
  private mtimes = new Float64Array(8);
  /** Record index → SHA-256, for the few transports that give one. */
  private readonly hashes = new Map<number, string>();

  readonly add = (entry: ChangedEntry): void => {
    const i = this.count;
    if (i === this.kinds.length) this.grow();
    const bytes = entry.rel.length; // a byte string: one char per byte
    if (this.used + bytes > this.bytes.length) {
      const more = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + bytes));
      this.bytes.copy(more, 0, 0, this.used);
      this.bytes = more;
    }
    this.used += this.bytes.write(entry.rel, this.used, 'latin1');
    this.ends[i] = this.used;
    this.kinds[i] = entry.kind === 'file' ? 0 : 1;
    this.sizes[i] = entry.size;
    this.mtimes[i] = entry.mtimeSec;
    if (entry.sha256) this.hashes.set(i, entry.sha256);
    this.count = i + 1;
  };

  private grow(): void {
    const n = this.kinds.length * 2;
    const bigger = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.ends = bigger(this.ends, (k) => new Float64Array(k));
    this.kinds = bigger(this.kinds, (k) => new Uint8Array(k));
    this.sizes = bigger(this.sizes, (k) => new Float64Array(k));
    this.mtimes = bigger(this.mtimes, (k) => new Float64Array(k));
  }

  private start(i: number): number {
    return i === 0 ? 0 : (this.ends[i - 1] as number);
  }

  private relOf(i: number): string {
    return this.bytes.toString('latin1', this.start(i), this.ends[i]);
  }

  /** `rel` and what is under it are gone again (a directory removed after the transfer). */
  readonly retract = (rel: string): void => {
    const key = Buffer.from(rel, 'latin1');
    const n = key.length;
    for (let i = 0; i < this.count; i++) {
      const s = this.start(i);
      const len = (this.ends[i] as number) - s;
      if (len < n || this.bytes.compare(key, 0, n, s, s + n) !== 0) continue;
      if (len === n || this.bytes[s + n] === 0x2f) this.kinds[i] = GONE;
    }
  };

  /** Record a's path is before record b's in byte order. */
  private before(a: number, b: number): boolean {
    const p = this.bytes;
    let x = this.start(a);
    let y = this.start(b);
    const xEnd = this.ends[a] as number;
    const yEnd = this.ends[b] as number;
    for (; x < xEnd && y < yEnd; x++, y++) {
      if (p[x] !== p[y]) return (p[x] as number) < (p[y] as number);
    }
    return xEnd - x < yEnd - y;
  }

  /**
   * The records are each the only one of its path and already in byte order (a walk's
   * order, but for names with bytes below '/'): then nothing needs sorting or a string.
   */
  private inOrder(): boolean {
    for (let i = 0; i < this.count; i++) {
      if (this.kinds[i] === GONE || (i > 0 && !this.before(i - 1, i))) return false;
    }
    return true;
  }

  /** The live records' indices, one per path (the latest), in byte order of their paths. */
  private latest(): { rels: string[]; order: number[] } {
    const rels: string[] = new Array(this.count);
    const order: number[] = [];
    for (let i = 0; i < this.count; i++) {
      if (this.kinds[i] === GONE) continue;
      rels[i] = this.relOf(i);
      order.push(i);
    }
    // Byte order (a byte string compares as its bytes), the later record after the earlier.
    order.sort((a, b) => {
      const x = rels[a] as string;
      const y = rels[b] as string;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
    let kept = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      const next = order[k + 1];
      if (next !== undefined && rels[next] === rels[i]) continue; // a later record replaces it
      order[kept++] = i;
    }
    order.length = kept;
    return { rels, order };
  }

  /** The regular files recorded, and their bytes: what a run that failed did fetch. */
  fetched(): { files: number; bytes: number } {
    const n = { files: 0, bytes: 0 };
    for (const i of this.latest().order) {
      if (this.kinds[i] !== 0) continue;
      n.files++;
      n.bytes += this.sizes[i] as number;
    }
    return n;
  }

  get size(): number {
    return this.latest().order.length;
  }

  /**
   * The paths (as `pathOf` shows a record's), one per path, in byte order: a view made as it
   * is read, not one string per path kept (a job of 100,000 files).
   */
  paths(pathOf: (rel: string) => string): PathList {
    const order = this.inOrder() ? undefined : this.latest().order;
    const length = order ? order.length : this.count;
    const log = this;
    return {
      length,
      *[Symbol.iterator]() {
        // All the paths' bytes decoded in one call, each path a slice of it: a call into the
        // buffer's decoder per path cost more than the rest of the report (issue 29).
        const all = log.bytes.toString('latin1', 0, log.used);
        for (let k = 0; k < length; k++) {
          const i = order ? (order[k] as number) : k;
          yield pathOf(all.slice(log.start(i), log.ends[i]));
        }
      },
    };
  }

  /** In byte order of their paths, as rsync walks (stable across runs and transports). */
  entries(): ChangedEntry[] {
    const { rels, order } = this.latest();
    return order.map((i) => {
      const sha256 = this.hashes.get(i);
      return {
        rel: rels[i] as string,
        kind: KINDS[this.kinds[i] as number] as ChangedEntry['kind'],
        size: this.sizes[i] as number,
        mtimeSec: this.mtimes[i] as number,
        ...(sha256 ? { sha256 } : {}),
      };
    });
  }
}

/**
 * JSON of a path list stays under this many bytes in one output: GitHub takes up to 1 MiB per
 * output (and 50 MiB per run), and the `jobs` output carries the per-job lists as well.
 */
export const CHANGED_LIST_LIMIT = 256 * 1024;

/** The changed paths of every job, one after the other. */
export function* allChangedFiles(results: readonly { changedFiles?: PathList }[]) {
  for (const r of results) if (r.changedFiles) yield* r.changedFiles;
}

/** Characters JSON.stringify writes as they are, each one byte of UTF-8: printable ASCII. */
const PLAIN_JSON = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The bytes of JSON.stringify(p) in UTF-8 (most paths: their length and the quotes). */
function jsonBytes(p: string): number {
  return PLAIN_JSON.test(p) ? p.length + 2 : Buffer.byteLength(JSON.stringify(p));
}

/** Paths stringified together, natively: one JSON.stringify per path cost more (issue 29). */
const BATCH = 2048;

/** JSON.stringify of `paths` as an array, as UTF-8 bytes (without a string per path kept). */
export function jsonArray(paths: Iterable<string>): Buffer {
  let out = Buffer.allocUnsafe(64 * 1024);
  let used = 0;
  const put = (text: string) => {
    const need = used + Buffer.byteLength(text);
    if (need > out.length) {
      const more = Buffer.allocUnsafe(Math.max(out.length * 2, need));
      out.copy(more, 0, 0, used);
      out = more;
    }
    used += out.write(text, used);
  };
  // JSON.stringify of an array of strings is '[', each string's JSON joined by ',', ']'.
  let batch: string[] = [];
  const flush = () => {
    const json = JSON.stringify(batch);
    put(used === 1 ? json.slice(1, -1) : `,${json.slice(1, -1)}`);
    batch = [];
  };
  put('[');
  for (const p of paths) {
    batch.push(p);
    if (batch.length === BATCH) flush();
  }
  if (batch.length > 0) flush();
  put(']');
  return out.subarray(0, used);
}

/** The first paths whose JSON array fits in `budget.left` bytes (which it uses up). */
export function takeWithin(paths: Iterable<string>, budget: { left: number }): string[] {
  const shown: string[] = [];
  let used = 2; // []
  for (const p of paths) {
    const cost = jsonBytes(p) + 1;
    if (used + cost > budget.left) break;
    used += cost;
    shown.push(p);
  }
  budget.left -= used;
  return shown;
}
