/**
 * The one answer to "does this path lie inside that one": lexical (nothing on disk is looked
 * at, no symlink resolved), on '/'-separated paths. Only a first component that is exactly
 * '..' climbs out: a child named `..x` (or a destination `..results`) lies inside.
 */
import * as path from 'node:path';

/**
 * `child` relative to `parent` ('' when it is `parent` itself), or undefined when it lies
 * outside. Relative arguments are taken from the current directory.
 */
export function relativeInside(child: string, parent: string): string | undefined {
  const rel = path.posix.relative(path.posix.resolve(parent), path.posix.resolve(child));
  if (rel === '..' || rel.startsWith('../') || path.posix.isAbsolute(rel)) return undefined;
  return rel;
}

/** Whether `child` lies strictly inside `parent` (`parent` itself is not). */
export function isInside(child: string, parent: string): boolean {
  const rel = relativeInside(child, parent);
  return rel !== undefined && rel !== '';
}
