/** rsync as a Transport: one run of rsync per attempt (a part, or the whole tree), and its settle step. */
import type { Job } from '../job.js';
import { makeDestination } from '../lock/index.js';
import type { Attempt, Counts, Transport } from '../transport.js';
import { type RsyncCapabilities, runRsync } from './index.js';
import { settleRsync } from './settle.js';

export function rsyncTransport(
  capabilities: RsyncCapabilities | undefined,
  remote: boolean,
): Transport {
  return {
    method: remote ? 'rsync over ssh' : 'rsync',
    takesParts: true,
    async attempt(job: Job, a: Attempt): Promise<Counts> {
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
    settle: settleRsync,
  };
}
