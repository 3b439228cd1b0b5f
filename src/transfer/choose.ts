/**
 * Which transport moves a job: the pure rule (chooseTransport, unit-tested) and the facts it is
 * given (transportFor: the local rsync's capabilities, and for a local job the listing of a
 * small tree).
 */

import { copierTransport } from './builtin.js';
import { inProcessTransport } from './in-process.js';
import type { Job, TransferSettings } from './job.js';
import { listLocal } from './plan/list.js';
import type { ListedEntry } from './plan/parts.js';
import { detectRsync, type RsyncCapabilities } from './rsync/index.js';
import { rsyncTransport } from './rsync/transport.js';
import type { Method, Transport } from './transport.js';

/**
 * A local job of fewer entries than this (after the selection) is copied in-process by the
 * built-in copier, which is exact as `rsync -rltD` (issue 21): no rsync is spawned. Spawning
 * from a large Node process is most of what a campaign of small jobs costs per job
 * (docs/performance-streams.md §d). Anything out of the plain case — a device or socket, an
 * entry that cannot be read, a type change refused — is left to rsync, whose words qq reports.
 */
export const IN_PROCESS_BELOW_ENTRIES = 256;

export interface TransportFacts {
  /** The working directory is read here (not over ssh). */
  local: boolean;
  /** `force-builtin`: the built-in copier for a local job even where rsync is installed. */
  forceBuiltin: boolean;
  /** The local rsync's capabilities; undefined: not installed (or not asked). */
  rsync: RsyncCapabilities | undefined;
  /**
   * The local tree's listing, when it has fewer entries than the in-process limit (the root
   * counts); undefined: larger, not listed, or the listing failed.
   */
  smallTree: readonly Pick<ListedEntry, 'kind'>[] | undefined;
}

/**
 * The rule: over ssh, rsync; locally, the built-in copier when asked for or without rsync;
 * a small tree of only plain entries in-process (rsync -D makes devices as root; the copier
 * skips them, and sockets); else rsync.
 */
export function chooseTransport(f: TransportFacts): Method {
  if (!f.local) return 'rsync over ssh';
  if (f.forceBuiltin || !f.rsync) return 'built-in copier';
  const plain = f.smallTree?.every((e) => e.kind !== 'other') === true;
  return plain ? 'in-process copy' : 'rsync';
}

/** The facts for this job, and its transport by the rule. */
export async function transportFor(job: Job, s: TransferSettings): Promise<Transport> {
  const local = job.host === undefined;
  const forceBuiltin = s.forceBuiltin === true;
  const rsync = local && forceBuiltin ? undefined : await detectRsync(s.env);
  const below = s.inProcessBelowEntries ?? IN_PROCESS_BELOW_ENTRIES;
  // Listed only where it can decide: a local job rsync would otherwise run.
  const smallTree =
    local && !forceBuiltin && rsync && below > 0
      ? await listLocal(job.workDir, job.selection.filter, s.signal, below - 1).catch(
          () => undefined,
        )
      : undefined;
  const method = chooseTransport({ local, forceBuiltin, rsync, smallTree });
  if (method === 'built-in copier') return copierTransport;
  const viaRsync = rsyncTransport(rsync, !local);
  if (method !== 'in-process copy') return viaRsync;
  s.debug?.(`'${job.workDir}': fewer than ${below} entries, copied in-process (no rsync spawned)`);
  return inProcessTransport(viaRsync);
}
