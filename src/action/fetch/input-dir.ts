/**
 * A job qq already synchronized (or that ran in its input directory), with `destination`: its
 * input directory copied there, locally, with the same selection — the files belong where the
 * workflow asked for them, wherever qq put them.
 */
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';
import type { InfoFile } from '../../domain/info/index.js';
import { splitFiles } from '../../transfer/select/files.js';
import { isInside } from '../../util/paths.js';
import type { Job } from '../jobs/targets.js';
import type { JobLog } from '../report/log.js';
import type { JobResult } from '../report/result.js';
import { destinationOf, type JobContext } from './job-context.js';
import { checkFilesInput, transfer } from './transfer.js';

/**
 * The job's input directory copied into its destination. False (the job stays skipped) where
 * there is nothing to copy: the destination is the input directory itself, or lies inside it
 * (the copy would copy itself; the transfer refuses it); or where the info file is not in the
 * input directory it names (qq writes it there): `input_dir` comes from the file, and a file
 * that names another directory is not trusted to choose what is read here.
 */
export async function copyFromInputDir(
  job: Job,
  info: InfoFile,
  result: JobResult,
  ctx: JobContext,
  log: JobLog,
): Promise<boolean> {
  const inputDir = path.resolve(ctx.settings.workspace, info.inputDir);
  const destination = destinationOf(result.id, inputDir, ctx);
  if (destination === inputDir) return false;
  if (isInside(destination, inputDir)) {
    result.hint = `Not copied into '${destination}': it lies inside the job's input directory.`;
    log.info(result.hint);
    return false;
  }
  if (!job.infoFile || !(await sameDirectory(path.dirname(job.infoFile), inputDir))) {
    result.hint = `Not copied into '${destination}': the info file is not in the input directory it names.`;
    log.info(result.hint);
    return false;
  }
  result.destination = destination;
  result.source = inputDir;
  const files = splitFiles(ctx.settings.files);
  if (files) checkFilesInput(files, inputDir, result);
  log.info(
    `Copying ${files ? `'${files.join(' ')}'` : 'all files'} from the job's input directory '${inputDir}' to '${path.relative(ctx.settings.workspace, destination) || '.'}' (already synchronized by qq).`,
  );
  await transfer(
    { dir: inputDir, host: info.mainNode ?? '', local: true },
    files,
    result,
    ctx,
    log,
  );
  return true;
}

/** Whether two paths are one directory (symlinks resolved; unreadable: no). */
async function sameDirectory(a: string, b: string): Promise<boolean> {
  try {
    return (await realpath(a)) === (await realpath(b));
  } catch {
    return false;
  }
}
