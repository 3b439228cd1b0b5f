/**
 * What a user needs to fix qq's `No qq job info file found.` (said beside it, never appended
 * to it): every path that was searched (absolute, with what was found there), the workspace it
 * was resolved in, and the most likely cause.
 */
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { relativeInside } from '../../util/paths.js';

const GLOB_CHARS = /[*?[\]{}]/;

async function whatIsThere(absolute: string): Promise<string> {
  try {
    const s = await stat(absolute);
    if (!s.isDirectory()) return 'not a directory or .qqinfo file';
    const names = await readdir(absolute);
    return `a directory with no *.qqinfo file${names.length === 0 ? ' (empty)' : ''}`;
  } catch {
    return 'does not exist';
  }
}

export const NO_INFO_FILE = 'No qq job info file found.';

export async function noInfoFileHint(paths: readonly string[], workspace: string): Promise<string> {
  const searched: string[] = [];
  for (const line of paths) {
    const absolute = path.resolve(workspace, line);
    searched.push(
      GLOB_CHARS.test(line)
        ? `'${absolute}' (a pattern that matched no .qqinfo file)`
        : `'${absolute}' (${await whatIsThere(absolute)})`,
    );
  }
  const anyExists = searched.some((s) => !s.endsWith('(does not exist)'));
  // A path that does not exist in a directory that does is a wrong name, not a wrong runner.
  const typo = anyExists ? undefined : await firstWithParent(paths, workspace);
  const cause = anyExists
    ? "The most likely cause: 'path' does not name the directory the job was submitted from (where qq writes the job's .qqinfo file)."
    : typo
      ? `The most likely cause: 'path' is wrong: the directory '${typo}' exists and has no such entry; check the name against its contents.`
      : "The most likely cause: the runner does not see the cluster's files — run this job on a self-hosted runner on the cluster (a login node, or a machine that mounts its storage) — or 'path' is wrong.";
  return `Searched in the workspace '${workspace}': ${searched.join(', ')}. ${cause}${await checkoutHint(paths, workspace)}`;
}

/**
 * The nearest existing directory above the first `path` line that does not exist, when it is
 * the line's own parent (a pattern: the directory before its first wildcard); else undefined.
 */
async function firstWithParent(
  paths: readonly string[],
  workspace: string,
): Promise<string | undefined> {
  for (const line of paths) {
    const absolute = path.resolve(workspace, line);
    const wild = absolute.search(GLOB_CHARS);
    const parent = wild < 0 ? path.dirname(absolute) : path.dirname(absolute.slice(0, wild + 1));
    try {
      if ((await stat(parent)).isDirectory()) return parent;
    } catch {}
  }
  return undefined;
}

/**
 * actions/checkout's default `clean: true` runs `git clean -ffdx` in the workspace: on a
 * self-hosted runner that deletes the untracked job directories and .qqinfo files of a
 * campaign submitted there — the files are gone, so say where they went.
 */
async function checkoutHint(paths: readonly string[], workspace: string): Promise<string> {
  const inside = paths.some((line) => {
    return relativeInside(path.resolve(workspace, line), workspace) !== undefined;
  });
  if (!inside) return '';
  try {
    await stat(path.join(workspace, '.git'));
  } catch {
    return '';
  }
  return " The workspace is a git checkout: actions/checkout with its default 'clean: true' runs 'git clean -ffdx', which deletes untracked job directories and .qqinfo files in it. Keep campaigns outside the checkout (an absolute 'path'), or check out with 'clean: false'.";
}
