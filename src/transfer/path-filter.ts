/**
 * The one contract between what a user selects (`files`, `exclude`, `max-size`: built by
 * `select/`) and what walks or lists a tree (the built-in copier, the planner of parallel
 * streams). rsync gets the same selection as filter arguments, so the two agree by
 * construction; `PathFilter` is rsync's filter-rule check for one entry.
 *
 * Paths are relative to the working directory, '/'-separated, without a leading '/', and are
 * byte strings: each character is one byte of the name (`Buffer.from(rel, 'latin1')` gives the
 * bytes back), so that a name that is not UTF-8 is matched and written exactly, as rsync does.
 * Pure: no I/O.
 */
export interface PathFilter {
  /**
   * Whether rsync's filter rules leave this entry out. For a directory, `true` also means
   * that nothing under it is visited (rsync does not descend into an excluded directory).
   */
  excludes(rel: string, isDir: boolean): boolean;
  /** Regular files larger than this many bytes are not transferred (rsync `--max-size`). */
  readonly maxSize?: number;
  /**
   * rsync `--prune-empty-dirs`: a directory with nothing but directories in it (after the
   * rules), at any depth, is not transferred. Set when a `files` entry has a wildcard in a
   * directory part (`sub/x?/a.txt`, or `**` then `/c.xtc`): the rules then take in every
   * directory, to look inside.
   */
  readonly pruneEmptyDirs?: boolean;
}

/** Regular files left out for `max-size`: how many, their bytes, and the first names. */
export interface LeftOut {
  files: number;
  bytes: number;
  /** Relative, as byte strings (see above); at most LEFT_OUT_NAMES, for the "matched nothing" check. */
  names?: string[];
}

export const LEFT_OUT_NAMES = 1000;

/** Keep `rel` among the names of `out` while there is room. */
export function noteLeftOut(out: LeftOut, rel: string): void {
  out.names ??= [];
  if (out.names.length < LEFT_OUT_NAMES) out.names.push(rel);
}

/** Everything: no rule, no size limit. */
export const EVERYTHING: PathFilter = { excludes: () => false };

/** What a transfer wrote, reported once per entry as it is written (or would be, in a dry run). */
export interface ChangedEntry {
  /** Relative to the working directory (and so to the destination), as a byte string. */
  rel: string;
  kind: 'file' | 'symlink';
  size: number;
  /** Modification time, whole seconds since the epoch. */
  mtimeSec: number;
  /** SHA-256 (hex) of a file's content, when the transport read it anyway (the copier, asked to). */
  sha256?: string;
}

const NOT_ASCII = /[\x80-\uffff]/;

/** Byte string (see above) to text for people and JSON: invalid UTF-8 shows as U+FFFD. */
export function displayPath(rel: string): string {
  // ASCII reads the same either way: no buffer (a job of 100,000 files shows each path).
  return !NOT_ASCII.test(rel) ? rel : Buffer.from(rel, 'latin1').toString('utf8');
}
