/** What copyTree takes and gives (index.ts). */
import type { ChangedEntry, LeftOut, PathFilter } from '../path-filter.js';

export interface CopyOptions {
  /** What to copy (rsync's filter rules and --max-size); everything when absent. */
  filter?: PathFilter;
  overwrite: 'newer' | 'always';
  dryRun: boolean;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  progressEveryMs?: number;
  /** Each file or symlink written (or, in a dry run, that would be). */
  onChange?: (entry: ChangedEntry) => void;
  /** Hash each file copied piece by piece as it is copied, and give its SHA-256 to `onChange`. */
  sha256?: boolean;
  /**
   * Throw at the first device or socket (or FIFO that cannot be made) instead of skipping it:
   * the in-process copy then leaves the job to rsync, which makes them (in-process.ts).
   */
  stopOnSpecial?: boolean;
}

export interface CopyOutcome {
  /** Regular files written, and their bytes (as rsync's --stats counts them). */
  files: number;
  bytes: number;
  /** Devices and sockets not copied (rsync makes devices only as root). */
  skippedSpecial: number;
  /** The first few of them, relative to the working directory, for a note. */
  skippedNames: string[];
  /** What could not be copied (unreadable, changed while read, refused): one line each. */
  problems: string;
  problemCount: number;
  /** Regular files left out for `max-size`, and their bytes. */
  overMaxSize: LeftOut;
}
