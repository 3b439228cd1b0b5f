/** rsync's command line for one run (qq's `-rltD`, and what qq-sync adds: see index.ts). */
import { QQError } from '../../domain/errors.js';
import { includeFilters } from '../select/index.js';
import { rsyncRsh } from '../ssh/index.js';
import { displacedArgs, reservedExclude } from '../type-change.js';
import { MODERN_RSYNC, type RsyncCapabilities } from './capabilities.js';
import { endpoint, type RsyncJob } from './job.js';
import { OUT_FORMAT } from './records.js';

/**
 * `--info=progress2`; with a size limit also `skip1` (a line per file over it) and `name2`
 * (a record per file looked at, so that the size of what was left out is `Total file size`
 * less the sizes listed: rsync names those files but not their sizes).
 */
function infoFlags(job: RsyncJob): string {
  return job.selection?.filter.maxSize === undefined
    ? '--info=progress2'
    : '--info=progress2,skip1,name2';
}

/**
 * The selection as rsync's arguments. A part of a parallel transfer names its entries in
 * `--files-from`, listed with the same filter already: only `--max-size` is left to apply.
 */
function selectionArgs(job: RsyncJob): readonly string[] {
  if (job.filesFrom) {
    const max = job.selection?.filter.maxSize;
    return max === undefined ? [] : [`--max-size=${max}`];
  }
  return job.selection ? job.selection.rsyncArgs : job.files ? includeFilters(job.files) : [];
}

export function rsyncArgv(job: RsyncJob, caps: RsyncCapabilities = MODERN_RSYNC): string[] {
  const src = `${endpoint(job.host, job.workDir.replace(/\/+$/, ''))}/`;
  if (job.host && !caps.protectArgs) {
    throw new QQError(
      `rsync ${caps.version} on this machine is too old to fetch over ssh safely (it cannot keep paths from the remote shell); rsync 3.0.0 or newer is needed.`,
    );
  }
  return [
    'rsync',
    ...(job.host ? ['-e', rsyncRsh(job.ssh)] : []),
    job.filesFrom ? '-ltD' : '-rltD',
    ...(caps.protectArgs ? ['-s'] : []),
    ...(job.overwrite === 'newer' ? ['--update'] : []),
    ...(job.ownDir?.backup ? displacedArgs(job.ownDir.name) : []),
    ...(job.dryRun ? ['--dry-run'] : []),
    ...(job.bwlimitKiB ? [`--bwlimit=${job.bwlimitKiB}`] : []),
    '--stats',
    ...(caps.progress2 ? [infoFlags(job)] : []),
    OUT_FORMAT,
    ...(job.filesFrom ? [`--files-from=${job.filesFrom}`, '--from0'] : []),
    // First: rsync's first matching rule wins, so no `files` entry can bring it in.
    ...(job.ownDir ? [reservedExclude(job.ownDir.name)] : []),
    ...selectionArgs(job),
    '--',
    src,
    job.destination,
  ];
}
