/** A Slurm record as the adapter's answer, with the info file found from WorkDir and JobName. */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { BatchContext, BatchJobInfo } from '../types.js';
import { slurmUsage } from '../usage.js';
import { slurmComment, slurmExitCode, slurmState } from './parse.js';

/**
 * Python's `Path(workDir, jobName).with_suffix('.qqinfo')`, or undefined for a name that is
 * not a plain file name (empty, `.`/`..`, a `/` or NUL inside).
 */
export function infoFileCandidate(workDir: string, jobName: string): string | undefined {
  if (!jobName || jobName === '.' || jobName === '..' || /[/\0]/.test(jobName)) return undefined;
  const dot = jobName.lastIndexOf('.');
  const stem = dot > 0 && dot < jobName.length - 1 ? jobName.slice(0, dot) : jobName;
  return path.join(workDir, `${stem}.qqinfo`);
}

async function readableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** What the adapter answers from a Slurm record (scontrol or sacct keys). */
export async function slurmJobInfo(
  id: string,
  fields: Record<string, string>,
  nodes: string[],
  ctx?: BatchContext,
): Promise<BatchJobInfo> {
  const batchHost = fields.BatchHost;
  const mainNode = batchHost && !batchHost.includes('None') ? batchHost : nodes[0];
  let inputDir: string | undefined;
  if (fields.WorkDir) {
    const abs = path.resolve(fields.WorkDir);
    inputDir = await realpath(abs).catch(() => abs);
  }
  let infoFile: string | undefined;
  const name = fields.JobName || undefined;
  if (inputDir && name) {
    const candidate = infoFileCandidate(inputDir, name);
    if (candidate && (await readableFile(candidate))) infoFile = candidate;
    else
      ctx?.debug(`job '${id}': no readable info file at '${candidate ?? `${inputDir}/${name}`}'`);
  }
  return {
    id,
    found: true,
    state: slurmState(fields),
    mainNode,
    nodes,
    exitCode: slurmExitCode(fields.ExitCode),
    comment: slurmComment(fields),
    infoFile,
    inputDir,
    jobName: name,
    usage: slurmUsage(fields),
    raw: fields,
  };
}
