/**
 * Which transport moves a job: the pure rule (chooseTransport, unit-tested) and the facts it is
 * given (transportFor: whether rsync is installed here, and for a local job whether its
 * destination is new, the listing of a small tree, and whether parallel streams would split it).
 */
import { lstat, opendir } from 'node:fs/promises';
import { copierTransport } from './builtin.js';
import { inProcessTransport } from './in-process.js';
import type { Job, TransferSettings } from './job.js';
import { SLOW_OPEN_US, STREAMS_FROM_FILES } from './plan/index.js';
import { listLocal, openLatencyUs } from './plan/list.js';
import type { ListedEntry } from './plan/parts.js';
import { detectRsync, rsyncInstalled } from './rsync/index.js';
import { rsyncTransport } from './rsync/transport.js';
import type { Method, Transport } from './transport.js';

/**
 * A local job of fewer entries than this (after the selection) is copied in-process by the
 * built-in copier, which is exact as `rsync -rltD` (issue 21): no rsync is spawned. Spawning
 * from a large Node process is most of what a campaign of small jobs costs per job
 * (docs/performance-streams.md §d). Anything out of the plain case — a device or socket, an
 * entry that cannot be read, a type change refused — is left to rsync, whose words qq reports.
 * The copier wins on an up-to-date re-run up to about 12,000 files of 1 KiB (0.45× rsync at
 * 4,096, tmpfs, issue 29); the listing that decides is capped here, and costs a tree larger
 * than this no measurable time before rsync runs it. (A new destination is copied in-process
 * at any size: chooseTransport.)
 */
export const IN_PROCESS_BELOW_ENTRIES = 4096;

export interface TransportFacts {
  /** The working directory is read here (not over ssh). */
  local: boolean;
  /** `force-builtin`: the built-in copier for a local job even where rsync is installed. */
  forceBuiltin: boolean;
  /** rsync is installed here (false: not, or not asked). */
  rsync: boolean;
  /**
   * The local tree's listing, when it has fewer entries than the in-process limit (the root
   * counts); undefined: larger, not listed, or the listing failed.
   */
  smallTree: readonly Pick<ListedEntry, 'kind'>[] | undefined;
  /**
   * The destination does not exist or is an empty directory: nothing there to compare with,
   * where the copier is faster than rsync at any size (issue 29). Undefined: not looked at.
   */
  freshDestination?: boolean;
  /**
   * Parallel streams may split the job (`streams` ≥ 2, or `auto` on a slow file system:
   * plan/index.ts), which one sequential copier would lose to. Undefined: not looked at.
   */
  parallel?: boolean;
}

/**
 * The rule: over ssh, rsync; locally, the built-in copier when asked for or without rsync;
 * in-process a small tree of only plain entries (rsync -D makes devices as root; the copier
 * skips them, and sockets), unless it has files enough for parallel streams, or a new
 * destination, unless the job may be split into parallel streams; else rsync.
 */
export function chooseTransport(f: TransportFacts): Method {
  if (!f.local) return 'rsync over ssh';
  if (f.forceBuiltin || !f.rsync) return 'built-in copier';
  const tree = f.smallTree;
  if (tree?.every((e) => e.kind !== 'other')) {
    const files = tree.filter((e) => e.kind === 'file').length;
    if (f.parallel !== true || files < STREAMS_FROM_FILES) return 'in-process copy';
  }
  return f.freshDestination === true && f.parallel !== true ? 'in-process copy' : 'rsync';
}

/** The facts for this job, and its transport by the rule. */
export async function transportFor(job: Job, s: TransferSettings): Promise<Transport> {
  const local = job.host === undefined;
  // Over ssh rsync runs: its capabilities now (main.ts asked while the scheduler answered).
  if (!local) return rsyncTransport(await detectRsync(s.env), true);
  const forceBuiltin = s.forceBuiltin === true;
  // Locally, whether rsync is installed decides, not its version: `rsync --version` (a spawn,
  // most of what a step with nothing to fetch costs beyond Node and the scheduler) is asked
  // only when rsync runs.
  const rsync = !forceBuiltin && (await rsyncInstalled(s.env));
  const below = s.inProcessBelowEntries ?? IN_PROCESS_BELOW_ENTRIES;
  // Looked at only where they can decide: a local job rsync would otherwise run, with the
  // in-process copy allowed (not with `bwlimit`: the copier does not throttle).
  const facts: TransportFacts = { local, forceBuiltin, rsync, smallTree: undefined };
  if (!forceBuiltin && rsync && below > 0) await gatherFacts(job, s, below, facts);
  const method = chooseTransport(facts);
  if (method === 'built-in copier') return copierTransport;
  const viaRsync = localRsync(s.env);
  if (method !== 'in-process copy') return viaRsync;
  const why =
    facts.freshDestination && !facts.parallel ? 'a new destination' : `fewer than ${below} entries`;
  s.debug?.(`'${job.workDir}': ${why}, copied in-process (no rsync spawned)`);
  return inProcessTransport(viaRsync);
}

/** rsync here, asked its capabilities when it first runs (not at all when the copier does all). */
function localRsync(env: NodeJS.ProcessEnv | undefined): Transport {
  return {
    ...rsyncTransport(undefined, false),
    attempt: async (job, a) => rsyncTransport(await detectRsync(env), false).attempt(job, a),
  };
}

/**
 * The facts of a local job, cheapest first, each only where the rule still needs it: the
 * destination (one lstat and one directory read, no walk), the streams asked for, the file
 * system's latency (for `streams: auto`, as plan/index.ts probes it: a few opens), the capped
 * listing.
 */
async function gatherFacts(job: Job, s: TransferSettings, below: number, f: TransportFacts) {
  const asked = s.streams ?? 1;
  const slowFs = async () => ((await openLatencyUs(job.workDir)) ?? 0) >= SLOW_OPEN_US;
  f.freshDestination = await isFresh(job.destination);
  if (f.freshDestination) {
    // A new destination: in-process unless streams may split the job.
    if (asked === 'auto') f.parallel = await slowFs();
    else f.parallel = asked >= 2;
    if (!f.parallel) return;
  }
  f.smallTree = await listLocal(job.workDir, job.selection.filter, s.signal, below - 1).catch(
    () => undefined,
  );
  const files = f.smallTree?.filter((e) => e.kind === 'file').length ?? 0;
  // A small tree with files enough for streams (a limit above STREAMS_FROM_FILES).
  if (f.parallel === undefined && files >= STREAMS_FROM_FILES) {
    f.parallel = asked === 'auto' ? await slowFs() : asked >= 2;
  }
}

/** `dir` does not exist, or is an empty directory (not a symlink to one). */
export async function isFresh(dir: string): Promise<boolean> {
  const st = await lstat(dir).catch((e: NodeJS.ErrnoException) => e);
  if (st instanceof Error) return st.code === 'ENOENT';
  if (!st.isDirectory()) return false;
  try {
    const d = await opendir(dir);
    try {
      return (await d.read()) === null;
    } finally {
      await d.close();
    }
  } catch {
    return false;
  }
}
