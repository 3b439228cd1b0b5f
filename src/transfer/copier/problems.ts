/**
 * What could not be copied, kept while the copy goes on (rsync's exit 23/24: everything else
 * is fetched, then the run fails naming each entry). Only the first MAX_NAMED are kept, so a
 * tree that is unreadable throughout cannot fill the memory.
 */
import { type FsPath, shown } from './paths.js';

const MAX_NAMED = 200;

export class Problems {
  readonly lines: string[] = [];
  count = 0;

  add(line: string): void {
    this.count++;
    if (this.lines.length < MAX_NAMED) this.lines.push(line);
  }

  /** An error of the source side (rsync's words: `opendir "…" failed: Permission denied (13)`). */
  source(what: 'opendir' | 'open' | 'lstat' | 'readlink', p: FsPath, e: NodeJS.ErrnoException) {
    if (e.code === 'ENOENT') this.add(`file has vanished: "${shown(p)}"`);
    else this.add(`${what} "${shown(p)}" failed: ${describeErrno(e)}`);
  }

  /** The lines for the failure message, with how many more there were. */
  detail(): string {
    const more = this.count - this.lines.length;
    return [...this.lines, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n');
  }
}

/** `Permission denied (13)`, as rsync prints an errno. */
function describeErrno(e: NodeJS.ErrnoException): string {
  const text = /^[A-Z]+: ([^,]+),/.exec(e.message)?.[1] ?? e.code ?? 'error';
  const words = text.charAt(0).toUpperCase() + text.slice(1);
  return e.errno !== undefined ? `${words} (${Math.abs(e.errno)})` : words;
}

/** Whether an error is the source's (a name that cannot be read), not the destination's. */
export function isSourceError(e: unknown): e is NodeJS.ErrnoException {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'ELOOP';
}
