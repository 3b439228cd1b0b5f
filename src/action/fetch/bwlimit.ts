/**
 * `bwlimit` on a shared login node: the whole step's rate, divided evenly over the most rsyncs
 * the step can run at once, so that together they never exceed it (rsync's --bwlimit is per
 * process). The built-in copier cannot throttle: with a limit, local jobs go through rsync,
 * and where there is no rsync a warning says the limit is not applied.
 */
import { AUTO_STREAMS } from '../../transfer/index.js';
import { detectRsync } from '../../transfer/rsync/index.js';
import { usableCores } from '../../util/cores.js';
import type { Settings } from '../inputs.js';

/** Streams of one job at most: `streams: auto` starts no more rsyncs than usable cores. */
export function maxStreams(streams: Settings['streams'], cores = usableCores()): number {
  return streams === 'auto' ? Math.max(1, Math.min(AUTO_STREAMS, cores)) : streams;
}

/**
 * Each rsync's `--bwlimit` in KiB/s: the total over (jobs at once × streams of each), at least
 * 1; undefined without a limit. `jobs`: how many jobs the step fetches (fewer than `parallel`
 * run fewer at once).
 */
export function bwlimitShare(
  settings: Pick<Settings, 'bwlimit' | 'parallel' | 'streams'>,
  jobs: number,
  cores?: number,
): number | undefined {
  // The cores (cgroup files read) only with a limit: this is asked for every job.
  if (settings.bwlimit === undefined) return undefined;
  const atOnce =
    Math.max(1, Math.min(settings.parallel, jobs)) *
    maxStreams(settings.streams, cores ?? usableCores());
  return Math.max(1, Math.floor(settings.bwlimit / atOnce));
}

/** With a limit, where no rsync is installed: one warning (the copier copies unthrottled). */
export async function warnBwlimitUnapplied(
  settings: Pick<Settings, 'bwlimit'>,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): Promise<void> {
  if (settings.bwlimit === undefined || (await detectRsync(env))) return;
  warn(
    `bwlimit: ${settings.bwlimit} KiB/s is not applied: rsync is not installed here, and the built-in copier, which copies local jobs without it, cannot limit its rate.`,
  );
}
