/**
 * What moves the bytes of one job: rsync (locally or over ssh) or the built-in copier, behind
 * one interface, so that the façade (index.ts) and the runner of parallel streams
 * (streams.ts) do not care which. One `attempt` is one run of the tool, stopped at
 * `remainingMs`; retrying is the caller's.
 */
import { QQError } from '../domain/errors.js';
import { errorMessage } from '../util/errors.js';
import { copyTree } from './copier/index.js';
import { rsyncFailure, TransferError } from './errors.js';
import { makeDestination } from './lock/index.js';
import type { ChangedEntry, LeftOut } from './path-filter.js';
import { type OwnDir, type RsyncCapabilities, runRsync } from './rsync/index.js';
import type { Selection } from './select/index.js';
import type { SshSettings } from './ssh/index.js';

export interface Counts {
  files: number;
  bytes: number;
  /** With `max-size`: files left out for it and their bytes. */
  overMaxSize?: LeftOut;
}

/** 'in-process copy': a small local job copied by the built-in copier instead of a spawned rsync. */
export type Method = 'rsync' | 'rsync over ssh' | 'built-in copier' | 'in-process copy';

/** The job as the transports see it: checked paths (index.ts) and what applies to all attempts. */
export interface TransportJob {
  workDir: string;
  destination: string;
  /** undefined: read locally. */
  host: string | undefined;
  files: string[] | undefined;
  /** `files`, `exclude` and `max-size`: rsync's arguments and the copier's filter. */
  selection: Selection;
  overwrite: 'newer' | 'always';
  dryRun: boolean;
  ssh: SshSettings;
  /** The configured transfer timeout, for qq's message. */
  timeoutSec: number;
  progressEveryMs?: number;
  onMessage?: (text: string) => void;
  /** Each file or symlink written (or that would be, in a dry run). */
  onChange?: (entry: ChangedEntry) => void;
  /** The copier hashes large files as it copies them (`sha256` in `onChange`). */
  sha256?: boolean;
  /** The run's own directory in the destination: left out; rsync's --backup-dir (type-change.ts). */
  ownDir?: OwnDir;
}

export interface Attempt {
  remainingMs: number;
  /** Ends the attempt: the run was cancelled, or another stream of the job failed. */
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  /** Only these entries (a part of the plan): a file of NUL-separated relative names. */
  filesFrom?: string;
}

export interface Transport {
  readonly method: Method;
  /** Whether `attempt` takes a part (`filesFrom`): what parallel streams need. */
  readonly takesParts: boolean;
  attempt(job: TransportJob, a: Attempt): Promise<Counts>;
}

export function rsyncTransport(capabilities: RsyncCapabilities | undefined, remote: boolean) {
  return {
    method: remote ? 'rsync over ssh' : 'rsync',
    takesParts: true,
    async attempt(job: TransportJob, a: Attempt): Promise<Counts> {
      if (!job.dryRun) await makeDestination(job.destination);
      return runRsync(
        { ...job, filesFrom: a.filesFrom },
        {
          timeoutMs: Math.max(a.remainingMs, 1000),
          timeoutSec: job.timeoutSec,
          onProgress: a.onProgress,
          progressEveryMs: job.progressEveryMs,
          capabilities,
          signal: a.signal,
          onChange: job.onChange,
        },
      );
    },
  } satisfies Transport;
}

/**
 * The built-in copier: one sequential walk of synchronous calls in this process (copier/walk.ts),
 * so it takes the whole tree, never a part: parallel streams of it would only take turns on
 * the one thread.
 */
export const copierTransport: Transport = {
  method: 'built-in copier',
  takesParts: false,
  async attempt(job: TransportJob, a: Attempt): Promise<Counts> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(a.remainingMs, 1));
    try {
      const out = await copyTree(job.workDir, job.destination, {
        filter: job.selection.filter,
        onChange: job.onChange,
        sha256: job.sha256,
        overwrite: job.overwrite,
        dryRun: job.dryRun,
        signal: a.signal ? AbortSignal.any([controller.signal, a.signal]) : controller.signal,
        onProgress: a.onProgress,
        progressEveryMs: job.progressEveryMs,
      });
      if (out.skippedSpecial > 0) {
        const shown = out.skippedNames.join("', '");
        job.onMessage?.(
          `Skipped ${out.skippedSpecial} device or socket file(s) ('${shown}'${out.skippedSpecial > out.skippedNames.length ? ', …' : ''}): the built-in copier does not recreate them.`,
        );
      }
      if (out.problemCount > 0) {
        // rsync's exit 23: everything else was copied; the run fails naming what was not.
        throw new TransferError(
          rsyncFailure(job.workDir, job.destination, `${out.problems} (built-in copier)`),
          false,
        );
      }
      return {
        files: out.files,
        bytes: out.bytes,
        ...(job.selection.filter.maxSize === undefined ? {} : { overMaxSize: out.overMaxSize }),
      };
    } catch (e) {
      a.signal?.throwIfAborted();
      const fail = (detail: string) =>
        new TransferError(rsyncFailure(job.workDir, job.destination, detail), false);
      if (controller.signal.aborted) {
        throw fail(`Connection timed out after ${job.timeoutSec} seconds`);
      }
      if (e instanceof QQError) throw e;
      // A file-system error (no space, permission denied, read-only): qq's form, not retried.
      throw fail(`${errorMessage(e)} (built-in copier)`);
    } finally {
      clearTimeout(timer);
    }
  },
};
