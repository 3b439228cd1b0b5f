/**
 * `exclude` patterns that matched nothing. rsync leaves out nothing for such a pattern and says
 * nothing, so a typo (`*.xtc ` for `*.xtc`, `scratch` for the `Scratch/` the job writes) passes
 * as a green step that fetched the very files it was meant to leave out. The action warns about
 * a pattern that matched nothing in any job it fetched (main.ts), as for a `files` entry.
 *
 * A job's tree is walked where it is read here (shared storage, or the input directory): the
 * same rules as the transfer (filter-rules.ts, rsync's `rule_matches`), names as bytes, no
 * symlink followed, no excluded directory entered (rsync does not enter one either).
 */
import { readdir } from 'node:fs/promises';
import { compileRule, ruleMatches } from '../../transfer/select/filter-rules.js';
import { warnEarly } from '../report/annotations.js';

/** The walk stops after this many entries: a bigger tree cannot tell (no warning then). */
export const EXCLUDE_WALK_LIMIT = 20_000;

/** What the jobs of a run have told about `exclude` so far. */
export interface ExcludeCheck {
  /** Patterns not matched in any job yet. */
  unmatched: Set<string>;
  /** Jobs whose tree was walked. */
  checked: number;
  /** A job's tree could not be walked (read over ssh, or too big): no warning. */
  unknown: boolean;
}

export function excludeCheck(patterns: readonly string[]): ExcludeCheck | undefined {
  return patterns.length > 0
    ? { unmatched: new Set(patterns), checked: 0, unknown: false }
    : undefined;
}

/**
 * Remove from `unmatched` each pattern that matches something under `root`. False when the
 * tree could not be walked to its end (too big, unreadable).
 */
export async function matchExcludes(root: string, unmatched: Set<string>): Promise<boolean> {
  const compiled = [...unmatched].map((pattern) => ({
    pattern,
    rule: compileRule({ include: false, pattern: Buffer.from(pattern).toString('latin1') }),
  }));
  let seen = 0;
  const walk = async (dir: Buffer, rel: string): Promise<boolean> => {
    let entries: Awaited<ReturnType<typeof readdir>>;
    try {
      entries = await readdir(dir, { encoding: 'buffer', withFileTypes: true });
    } catch {
      return false;
    }
    for (const entry of entries) {
      if (++seen > EXCLUDE_WALK_LIMIT) return false;
      const name = (entry.name as unknown as Buffer).toString('latin1');
      const path = rel ? `${rel}/${name}` : name;
      const isDir = entry.isDirectory();
      let excluded = false;
      for (const c of compiled) {
        if (!ruleMatches(c.rule, path, isDir)) continue;
        excluded = true;
        unmatched.delete(c.pattern);
      }
      if (unmatched.size === 0) return true;
      if (isDir && !excluded) {
        const child = Buffer.concat([dir, Buffer.from(`/${name}`, 'latin1')]);
        if (!(await walk(child, path))) return false;
      }
    }
    return true;
  };
  return walk(Buffer.from(root), '');
}

/** The warning for a pattern that matched nothing in the `checked` jobs. */
export function unmatchedExcludeMessage(pattern: string, checked: number): string {
  return `'exclude' pattern '${pattern}' matched nothing in ${checked === 1 ? "the job's files" : `the files of any of the ${checked} jobs`}: nothing was left out for it.`;
}

/** One warning per `exclude` pattern that matched nothing in any job whose files were read. */
export function warnUnmatchedExcludes(check: ExcludeCheck | undefined): void {
  if (!check || check.unknown || check.checked === 0) return;
  for (const pattern of check.unmatched) {
    warnEarly(unmatchedExcludeMessage(pattern, check.checked), {
      title: `qq-sync: exclude '${pattern}' matched nothing`,
    });
  }
}
