/**
 * The step's outputs, all set on every run (empty where they do not apply): the first job's
 * fields, totals over all jobs, and the `jobs` JSON array. The names and the `jobs` fields are
 * a contract with workflows: add, never rename.
 */
import * as core from '@actions/core';
import { allChangedFiles, CHANGED_LIST_LIMIT, takeWithin } from '../../transfer/changes.js';
import type { RunReport } from './report.js';
import { type JobResult, overallStatus, stateCodeOf } from './result.js';

/**
 * The public JSON of one job (the contract of the `jobs` output). `changedFiles`: the first of
 * the job's changed paths that fit (all, unless `changedFilesCount` is larger).
 */
export function jobJson(r: JobResult, changedFiles: string[] = [...(r.changedFiles ?? [])]) {
  return {
    id: r.id,
    name: r.name,
    infoFile: r.infoFile,
    state: r.state,
    stateCode: stateCodeOf(r.state),
    status: r.status,
    reason: r.reason,
    exitCode: r.exitCode,
    filesSynced: r.filesSynced,
    bytesSynced: r.bytesSynced,
    // What a dry run would have written (status `dry-run`); 0 in any other run.
    filesWouldSync: r.filesWouldSync ?? 0,
    bytesWouldSync: r.bytesWouldSync ?? 0,
    destination: r.destination,
    cacheHit: r.cacheHit,
    cacheKey: r.cacheKey,
    changedFiles,
    changedFilesCount: r.changedFiles?.length ?? 0,
  };
}

export const OUTPUT_NAMES = [
  'status',
  'state',
  'state-code',
  'job-id',
  'job-name',
  'exit-code',
  'main-node',
  'work-dir',
  'input-dir',
  'destination',
  'reason',
  'files-synced',
  'bytes-synced',
  'jobs',
  'cache-hit',
  'cache-key',
  'changed-files',
  'changed-files-file',
  'manifest',
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

/** The outputs of `results`; `fallbackReason` (the step's error) when no job has a reason. */
export function computeOutputs(
  results: readonly JobResult[],
  fallbackReason = '',
): Record<OutputName, string> {
  const first = results[0];
  const reason =
    results.find((r) => r.status === 'failed')?.reason ??
    results.find((r) => r.status === 'skipped')?.reason ??
    fallbackReason;
  // Within GitHub's output size: the full lists go to a file (see changes-output.ts).
  const perJob = { left: CHANGED_LIST_LIMIT };
  const shown = results.map((r) => takeWithin(r.changedFiles ?? [], perJob));
  return {
    // No job and no error: an empty shard of a matrix (a campaign smaller than the matrix).
    status: results.length === 0 && !fallbackReason ? 'skipped' : overallStatus(results),
    state: first?.state ?? '',
    'state-code': stateCodeOf(first?.state ?? ''),
    'job-id': first?.id ?? '',
    'job-name': first?.name ?? '',
    'exit-code': first?.exitCode == null ? '' : String(first.exitCode),
    'main-node': first?.mainNode ?? '',
    'work-dir': first?.workDir ?? '',
    'input-dir': first?.inputDir ?? '',
    destination: first?.destination ?? '',
    reason: results.length === 0 ? fallbackReason : reason,
    'files-synced': String(results.reduce((n, r) => n + r.filesSynced, 0)),
    'bytes-synced': String(results.reduce((n, r) => n + r.bytesSynced, 0)),
    jobs: JSON.stringify(results.map((r, i) => jobJson(r, shown[i]))),
    'cache-hit': results.some((r) => r.cacheHit) ? 'true' : 'false',
    'cache-key': first?.cacheKey ?? '',
    'changed-files': JSON.stringify(changedFilesShown(results, shown)),
    'changed-files-file': '',
    manifest: '',
  };
}

/**
 * The first changed paths of all jobs that fit in `changed-files`. The first job's list in
 * `jobs` (`shown[0]`) had the same budget: when it was cut there, or is the only one, these
 * are its paths, not counted again (a job of 20,000 files; issue 29).
 */
function changedFilesShown(results: readonly JobResult[], shown: string[][]): string[] {
  const first = shown[0] ?? [];
  const cut = first.length < (results[0]?.changedFiles?.length ?? 0);
  if (results.length === 1 || cut) return first;
  return takeWithin(allChangedFiles(results), { left: CHANGED_LIST_LIMIT });
}

/** Every output; `files`: those written under RUNNER_TEMP (changes-output.ts). */
export function setOutputs(report: RunReport, files?: Partial<Record<OutputName, string>>): void {
  const outputs = { ...computeOutputs(report.results, report.fatal), ...files };
  for (const name of OUTPUT_NAMES) core.setOutput(name, outputs[name]);
}
