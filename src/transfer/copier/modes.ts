/**
 * Permission bits as `rsync -rltD` sets them (no `-p`): a new file or directory gets the
 * source's permission bits masked by the umask, without setuid, setgid and sticky (rsync's
 * dest_mode); an existing file that is replaced keeps its own bits; an existing directory is
 * left as it is.
 */

/** The process umask, read once per copy (process.umask() without a value only reads it). */
export function currentUmask(): number {
  return process.umask();
}

/** The bits a newly made entry gets from a source entry of mode `srcMode`. */
export function newEntryMode(srcMode: number, umask: number): number {
  return srcMode & 0o777 & ~umask;
}

/**
 * The bits to make a new directory with: writable and searchable for this process while its
 * contents are copied (rsync does the same for a read-only source directory); the
 * directory's own bits are set when it is finished.
 */
export function workingDirMode(finalMode: number): number {
  return finalMode | 0o700;
}
