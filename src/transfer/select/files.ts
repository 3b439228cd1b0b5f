/**
 * The `files` input (qq's `-f`): split as qq splits it, and every entry kept inside the job's
 * working directory. Pure: no I/O.
 */
import * as path from 'node:path';
import { InputError, QQError } from '../../domain/errors.js';
import { relativeInside } from '../../util/paths.js';

/** qq's `_split_files`: spaces, colons, commas (and newlines); empty → undefined (everything). */
export function splitFiles(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  const items = text.split(/[\s:,]+/).filter((s) => s.length > 0);
  return items.length > 0 ? items : undefined;
}

/** qq's message for an entry outside the working directory. */
export function notInTargetMessage(item: string, workDir: string): string {
  return `Item '${item}' is not in target directory '${workDir}'.`;
}

/**
 * Each entry as a path relative to `workDir` (posix, no `.`/`..` left). An absolute entry must
 * lie inside `workDir`; a relative one must not climb out of it (`..`, `sub/../../x`); an entry
 * that could be read as an option is refused.
 */
export function validateFiles(entries: readonly string[], workDir: string): string[] {
  const root = path.posix.normalize(workDir).replace(/\/+$/, '') || '/';
  return entries.map((entry) => {
    if (entry.startsWith('-')) {
      throw new InputError(
        `Item '${entry}' of 'files' looks like an option; name it as './${entry}' if it is a file.`,
      );
    }
    if (/[\0\n\r]/.test(entry)) throw new InputError(`Item of 'files' holds a control character.`);
    const absolute = path.posix.isAbsolute(entry) ? entry : `${root}/${entry}`;
    const normalized = path.posix.normalize(absolute);
    const relative = relativeInside(normalized, root);
    if (relative === undefined) throw new QQError(notInTargetMessage(absolute, workDir));
    return relative === '' ? '.' : relative;
  });
}
