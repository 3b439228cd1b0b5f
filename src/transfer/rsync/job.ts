/** One run of rsync as the rest of rsync/ sees it, and the names qq gives its two ends. */
import type { LeftOut } from '../path-filter.js';
import type { Selection } from '../select/index.js';
import type { SshSettings } from '../ssh/index.js';

export interface RsyncJob {
  /** undefined: local copy. */
  host?: string;
  workDir: string;
  destination: string;
  /** Relative entries (validated), or undefined for everything. */
  files?: readonly string[];
  /** `files`, `exclude` and `max-size` as rsync arguments (instead of `files` alone). */
  selection?: Pick<Selection, 'rsyncArgs' | 'filter'>;
  overwrite: 'newer' | 'always';
  dryRun: boolean;
  ssh: SshSettings;
  /**
   * One part of a parallel transfer (plan/): a file of NUL-separated relative names, each
   * sent alone (`--files-from`, no `-r`: a directory named there is made, not descended).
   */
  filesFrom?: string;
  /**
   * The run's own directory in the destination (type-change.ts): always left out of the
   * transfer; with `backup`, rsync's --backup-dir.
   */
  ownDir?: OwnDir;
  /** --bwlimit in KiB/s: this rsync's share of the step's `bwlimit`. */
  bwlimitKiB?: number;
}

/** The run's backup directory, relative to the destination; `backup`: rsync moves into it. */
export interface OwnDir {
  name: string;
  backup: boolean;
}

export interface RsyncOutcome {
  files: number;
  bytes: number;
  /** With `max-size`: the files left out for it and their total size (when rsync says). */
  overMaxSize?: LeftOut;
}

/** The `<host>:<path>` or `<path>` form qq uses in its messages (no trailing slash). */
export function endpoint(host: string | undefined, dir: string): string {
  return host ? `${host}:${dir}` : dir;
}

/** The job's source as qq names it in its messages. */
export function source(job: RsyncJob): string {
  return endpoint(job.host, job.workDir.replace(/\/+$/, ''));
}
