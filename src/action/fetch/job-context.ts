/**
 * What every job of a run shares: the settings, the environment, the run's ssh connections;
 * and what follows from them for one job (its destination, its transfer settings, whether
 * its working directory is read here or over ssh).
 */
import * as path from 'node:path';

import { localHostNames } from '../../exec/hosts.js';
import type { TransferSettings } from '../../transfer/index.js';
import { isLocal, locality } from '../../transfer/locality.js';
import type { Settings } from '../inputs.js';
import type { Job } from '../jobs/targets.js';
import { bwlimitShare } from './bwlimit.js';

import type { SshPool } from './ssh-pool.js';
import type { ExcludeCheck } from './unmatched-exclude.js';

export interface JobContext {
  settings: Settings;
  env: NodeJS.ProcessEnv;
  /** A `destination` gets one directory per job (perJobDirectories). */
  multiple: boolean;
  /** What the jobs told about `exclude` patterns (undefined: no `exclude`). */
  excludeCheck?: ExcludeCheck;
  /** The run's shared ssh connections (absent: each ssh connects by itself). */
  ssh?: SshPool;
  /** For debug messages of the run (not of one job). */
  debug?: (message: string) => void;
  /** Aborted when the run is cancelled; its reason is the error of the jobs it stops. */
  signal?: AbortSignal;
  /** How many jobs the step fetches (bwlimit's share: bwlimit.ts); unset: `parallel`. */
  jobs?: number;
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Whether each job gets `<destination>/<job_id>`: from the inputs alone, never from how many
 * jobs they matched (an hourly pull of a growing campaign must not move its results). Several
 * targets (`path` lines and `job-id`s together), a `path` that is a pattern, or `shard` (one of
 * several steps into one destination): one directory per job. One plain directory, one
 * .qqinfo file or one job id: the destination itself, as qq puts such jobs in their input
 * directory.
 */
export function perJobDirectories(settings: Pick<Settings, 'paths' | 'jobIds' | 'shard'>): boolean {
  const targets = new Set(settings.jobIds).size + settings.paths.length;
  return (
    settings.shard !== undefined || targets > 1 || settings.paths.some((p) => GLOB_CHARS.test(p))
  );
}

/** The job's destination directory (absolute). */
export function destinationOf(jobId: string, inputDir: string, ctx: JobContext): string {
  const dest = ctx.settings.destination;
  if (!dest) return inputDir;
  return ctx.multiple ? path.join(dest, jobId) : dest;
}

/**
 * Tests of rsync's own path through the bundle set this to 0, so that a small local job is
 * fetched by rsync rather than in-process (CONTRIBUTING.md). Anything but a plain number
 * leaves the default.
 */
const IN_PROCESS_ENV = 'QQ_SYNC_IN_PROCESS_BELOW_ENTRIES';

function inProcessBelow(env: NodeJS.ProcessEnv): number | undefined {
  const value = env[IN_PROCESS_ENV];
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/** The ssh options of the settings, as the pool and the transfers use them. */
export function sshSettingsOf(settings: Settings, env: NodeJS.ProcessEnv) {
  return {
    sshOptions: settings.sshOptions,
    strictHostKeyChecking: settings.strictHostKeyChecking,
    env,
  };
}

export function transferSettings(ctx: JobContext): TransferSettings {
  const s = ctx.settings;
  const pool = ctx.ssh;
  return {
    ...sshSettingsOf(s, ctx.env),
    overwrite: s.overwrite,
    timeoutSec: s.transferTimeoutSec,
    retries: s.retries,
    streams: s.streams,
    // The built-in copier does not throttle: with a limit, rsync copies (bwlimit.ts).
    bwlimitKiB: bwlimitShare(s, ctx.jobs ?? s.parallel),
    inProcessBelowEntries: s.bwlimit === undefined ? inProcessBelow(ctx.env) : 0,
    debug: ctx.debug,
    controlDir: pool?.controlDir,
    connect: pool ? (host, timeoutMs) => pool.connect(host, timeoutMs) : undefined,
    signal: ctx.signal,
  };
}

/** Whether the job's working directory is read here (true) or over ssh from its main node. */
export async function readsLocally(job: Job, ctx: JobContext): Promise<boolean> {
  const input = {
    sharedStorage: ctx.settings.sharedStorage,
    alwaysShared: job.system?.alwaysShared ?? false,
    env: ctx.env,
    mainNode: job.info?.mainNode,
    localHosts: [] as string[],
  };
  // Without this host's names the answer is only "remote" when they could change it: ask
  // `hostname -f` (once per run) only then.
  if (!isLocal(input) && ctx.settings.sharedStorage === 'auto') {
    input.localHosts = await localHostNames();
  }
  const decided = locality(input);
  if (!explained.has(job)) {
    explained.add(job);
    ctx.debug?.(
      `${job.label}: ${decided.local ? 'reads its working directory locally' : `fetches over ssh from '${input.mainNode}'`}: ${decided.why}`,
    );
  }
  return decided.local;
}
/** Jobs whose local-or-ssh decision is in the debug log already (follow asks on every poll). */
const explained = new WeakSet<Job>();
