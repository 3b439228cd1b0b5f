/**
 * The planner of parallel streams: a job's listing split into parts, as fpart splits a tree
 * for fpsync — each part at most so many files and so many bytes, entries kept in sorted
 * order so that a directory's files mostly travel together. Pure: no I/O.
 *
 * Directories are not spread over the parts: they make a part of their own, run before the
 * others (every directory exists before files are written into it, so two streams never race
 * to make one) and again after them (a file written into a directory changes its mtime; the
 * second pass gives each directory its source's, as one rsync does at its end).
 */

/** One entry of a listing; `rel` is a byte string relative to the source root (path-filter.ts). */
export interface ListedEntry {
  rel: string;
  kind: 'dir' | 'file' | 'symlink' | 'other';
  /** Bytes (a regular file's size; 0 where unknown or not a file). */
  size: number;
  /** Modification time in seconds: given for the root ('.') only, the one the plan needs. */
  mtimeSec?: number;
}

export interface Part {
  /** Relative byte strings, in sorted order. */
  paths: string[];
  files: number;
  bytes: number;
}

export interface Plan {
  /** Every directory of the listing but the root. */
  dirs: string[];
  /** The root's mtime, given to the destination at the end (undefined: not listed). */
  rootMtimeSec?: number;
  /** The other entries, split. */
  parts: Part[];
  /** Regular files and their bytes in the whole listing. */
  files: number;
  bytes: number;
}

export interface PlanLimits {
  /** Most entries in one part (fpsync's default: 2,000). */
  maxFiles: number;
  /** Most bytes in one part (fpsync's default: 4 GB); a larger file makes a part alone. */
  maxBytes: number;
  /**
   * At least this many parts when there is enough to split (a few per stream), so that a
   * tree below maxFiles still keeps every stream busy and no part runs alone at the end…
   */
  minParts: number;
  /** …but no fewer entries than this in a part: each part is one more rsync to start. */
  minFiles: number;
}

/** A part is not cut for its bytes' share below this (maxBytes still holds). */
const SHARE_BYTES_FROM = 64 * 1024 ** 2;

/** Byte order, as the listing's strings are byte strings: one character per byte. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Split `entries` into parts within `limits`. */
export function planParts(entries: readonly ListedEntry[], limits: PlanLimits): Plan {
  const dirs: string[] = [];
  const rest: ListedEntry[] = [];
  let files = 0;
  let bytes = 0;
  let rootMtimeSec: number | undefined;
  for (const e of entries) {
    if (e.rel === '.') rootMtimeSec = e.mtimeSec;
    else if (e.kind === 'dir') dirs.push(e.rel);
    else rest.push(e);
    if (e.kind === 'file') {
      files++;
      bytes += e.size;
    }
  }
  dirs.sort(byteOrder);
  rest.sort((a, b) => byteOrder(a.rel, b.rel));
  // Even shares when the tree is small: maxFiles alone would leave streams idle.
  const perPart = Math.max(
    1,
    Math.min(
      limits.maxFiles,
      Math.max(limits.minFiles, Math.ceil(rest.length / Math.max(1, limits.minParts))),
    ),
  );
  // Bytes share parts out large files; small ones are bounded by count alone.
  const bytesPerPart = Math.max(
    1,
    Math.min(limits.maxBytes, Math.max(SHARE_BYTES_FROM, Math.ceil(bytes / limits.minParts))),
  );
  const parts: Part[] = [];
  let current: Part = { paths: [], files: 0, bytes: 0 };
  for (const e of rest) {
    const size = e.kind === 'file' ? e.size : 0;
    if (
      current.paths.length > 0 &&
      (current.paths.length >= perPart || current.bytes + size > bytesPerPart)
    ) {
      parts.push(current);
      current = { paths: [], files: 0, bytes: 0 };
    }
    current.paths.push(e.rel);
    if (e.kind === 'file') {
      current.files++;
      current.bytes += size;
    }
  }
  if (current.paths.length > 0) parts.push(current);
  return { dirs, rootMtimeSec, parts, files, bytes };
}
