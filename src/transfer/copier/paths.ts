/**
 * Paths as bytes. The copier never turns a file name into text: a name that is not UTF-8
 * would not survive the round trip (Node replaces invalid bytes with U+FFFD, and the lstat of
 * that other name fails). Relative paths are byte strings (one char per byte, see
 * path-filter.ts); the paths given to fs calls are Buffers.
 */

const SLASH = Buffer.from('/');

/** `dir/name` as bytes. */
export function joinBytes(dir: Buffer, name: Buffer): Buffer {
  return Buffer.concat([dir, SLASH, name]);
}

/** A byte string's bytes. */
export function bytesOf(rel: string): Buffer {
  return Buffer.from(rel, 'latin1');
}

/** A path's bytes as text for people: invalid UTF-8 shows as U+FFFD. */
export function shown(p: Buffer): string {
  return p.toString('utf8');
}
