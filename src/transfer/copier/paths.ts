/**
 * Paths as bytes. The copier never turns a file name into text: a name that is not UTF-8
 * would not survive the round trip (Node replaces invalid bytes with U+FFFD, and the lstat of
 * that other name fails). Relative paths and names (readdir's `latin1`) are byte strings (one
 * char per byte, see path-filter.ts). A path given to fs calls is a string only while it is
 * ASCII, whose bytes are the same as text, else a Buffer: most trees are ASCII throughout, and
 * a string costs no buffer per name and path (issue 29: readdir's Buffer names, each with
 * its own memory, and two Buffer.concat per file were some 3 µs of 20–30 per file).
 */

/** A path for fs calls: a string only when it is ASCII, else its bytes. */
export type FsPath = string | Buffer;

const NOT_ASCII = /[\x80-\uffff]/;
const SLASH = Buffer.from('/');

/** `dir/name`, `name` a byte string. */
export function joinBytes(dir: FsPath, name: string): FsPath {
  if (typeof dir === 'string' && !NOT_ASCII.test(name)) return `${dir}/${name}`;
  return Buffer.concat([bytesOfPath(dir), SLASH, Buffer.from(name, 'latin1')]);
}

/** A path given as text (UTF-8), for fs calls. */
export function fsPathOf(text: string): FsPath {
  return !NOT_ASCII.test(text) ? text : Buffer.from(text);
}

/** A path's bytes. */
export function bytesOfPath(p: FsPath): Buffer {
  return typeof p === 'string' ? Buffer.from(p, 'latin1') : p;
}

/** A path's bytes as text for people: invalid UTF-8 shows as U+FFFD. */
export function shown(p: FsPath): string {
  return typeof p === 'string' ? p : p.toString('utf8');
}
