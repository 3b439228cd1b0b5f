/**
 * The outputs that need files under RUNNER_TEMP: the full `changed-files` list when it does
 * not fit in a step output, and the manifest. Written synchronously: a cancelled run reports
 * just before the process exits.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { allChangedFiles, CHANGED_LIST_LIMIT, jsonArray } from '../../transfer/changes.js';
import { displayPath } from '../../transfer/path-filter.js';
import { relativeInside } from '../../util/paths.js';
import type { HashedEntry } from './manifest.js';
import type { JobResult } from './result.js';

/**
 * A fetched entry's path for people and workflows: relative to the workspace, else absolute.
 * The destination's part is worked out once: a job of 100,000 files asks for each of them.
 */
export function workspacePaths(workspace: string, destination: string): (rel: string) => string {
  const inside = relativeInside(destination, workspace);
  const base = inside ?? path.normalize(destination).replace(/\/+$/, '');
  // rel is a relative name made by a walk or rsync: no '.', '..' or empty parts to normalise.
  return (rel) => (inside === '' ? displayPath(rel) : `${base}/${displayPath(rel)}`);
}

function outputDir(env: NodeJS.ProcessEnv): string {
  return mkdtempSync(path.join(env.RUNNER_TEMP || tmpdir(), 'qq-sync-'));
}

export interface ChangeOutputOptions {
  workspace: string;
  manifest: boolean;
  checksums: boolean;
  dryRun: boolean;
  env: NodeJS.ProcessEnv;
  info: (message: string) => void;
}

/** `changed-files-file` (when the list is too long for its output) and `manifest`. */
export function writeChangeOutputs(
  results: readonly JobResult[],
  o: ChangeOutputOptions,
): { 'changed-files-file': string; manifest: string } {
  const out = { 'changed-files-file': '', manifest: '' };
  const json = jsonArray(allChangedFiles(results));
  let dir: string | undefined;
  if (json.length > CHANGED_LIST_LIMIT) {
    const count = results.reduce((n, r) => n + (r.changedFiles?.length ?? 0), 0);
    dir ??= outputDir(o.env);
    out['changed-files-file'] = path.join(dir, 'changed-files.json');
    writeFileSync(out['changed-files-file'], json);
    o.info(
      `changed-files holds the first of ${count} changed paths (a step output is limited in size); all of them are in ${out['changed-files-file']} (output changed-files-file).`,
    );
  }
  if (o.manifest) {
    dir ??= outputDir(o.env);
    out.manifest = path.join(dir, 'manifest.json');
    const files = results.flatMap((r) => {
      const pathOf = workspacePaths(o.workspace, r.destination);
      return (r.changes ?? []).map((e: HashedEntry) => ({
        path: pathOf(e.rel),
        job: r.id,
        kind: e.kind,
        size: e.size,
        mtime: new Date(e.mtimeSec * 1000).toISOString(),
        ...(e.sha256 ? { sha256: e.sha256 } : {}),
      }));
    });
    const manifest = {
      tool: 'qq-sync',
      created: new Date().toISOString(),
      workspace: o.workspace,
      dryRun: o.dryRun,
      checksums: o.checksums && !o.dryRun ? 'sha256' : null,
      files,
    };
    writeFileSync(out.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    o.info(`Manifest of the ${files.length} fetched file(s): ${out.manifest}.`);
  }
  return out;
}
