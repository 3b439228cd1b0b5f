/**
 * The built-in copier: for a local copy when rsync is not installed, with `rsync -rltD`'s
 * semantics (plus `--update` for overwrite: newer): recursive, symlinks copied as symlinks,
 * FIFOs recreated (special.ts), modification times kept, quick check by size and mtime,
 * nothing deleted, permission bits as rsync without -p (modes.ts). Each file is written to a
 * temporary name and renamed, or in a new directory that is itself under a temporary name
 * (walk.ts), and only when it was read consistently (copy-file.ts). Names
 * are bytes (paths.ts). What cannot be read is named at the end while everything else is
 * copied (problems.ts), as rsync's exit 23. A file or symlink in the destination that is
 * newer than the job's directory of that name is kept (type-change.ts). The walk (walk.ts)
 * offers each entry to the Copier (copier.ts), which decides what it needs.
 */
import { lstat, mkdir } from 'node:fs/promises';
import { rsyncFailure, WorkDirMissingError } from '../errors.js';
import { EVERYTHING } from '../path-filter.js';
import { Copier } from './copier.js';
import { fsPathOf } from './paths.js';
import type { CopyOptions, CopyOutcome } from './types.js';
import { dirNode, walk } from './walk.js';

export { SpecialFileStop } from './copier.js';
export { removeTempFilesNow } from './temp-files.js';
export type { CopyOptions, CopyOutcome } from './types.js';

/** Copy `srcDir`'s contents (what `filter` selects) into `destDir`, rsync -rltD style. */
export async function copyTree(
  srcDir: string,
  destDir: string,
  options: CopyOptions,
): Promise<CopyOutcome> {
  const srcRoot = fsPathOf(srcDir.replace(/\/+$/, '') || '/');
  const dstRoot = fsPathOf(destDir.replace(/\/+$/, '') || '/');
  const rootStat = await lstat(srcRoot).catch(() => undefined);
  if (!rootStat?.isDirectory()) {
    // rsync's words, so that the message reads the same whichever tool copied.
    throw new WorkDirMissingError(
      rsyncFailure(srcDir, destDir, `change_dir "${srcDir}" failed: No such file or directory (2)`),
    );
  }
  const madeRoot = options.dryRun
    ? !(await lstat(dstRoot).catch(() => undefined))
    : (await mkdir(dstRoot, { recursive: true })) !== undefined;
  const copier = new Copier(options, destDir);
  await walk(dirNode(srcRoot, dstRoot, '', rootStat, { fresh: madeRoot }), {
    filter: options.filter ?? EVERYTHING,
    dryRun: options.dryRun,
    problems: copier.problems,
    enterDir: (rel, dst, st, parent) => copier.enterDir(rel, dst, st, parent),
    entry: (item) => copier.entry(item),
    breathe: () => copier.breathe(),
  });
  return copier.finish();
}
