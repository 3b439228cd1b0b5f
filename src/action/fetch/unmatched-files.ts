/**
 * `files` entries that matched nothing. qq skips them silently (exit 0, nothing copied) and so
 * does the transfer; the action keeps that verdict but warns, so that a typo does not pass as
 * a green step with 0 files. Checked after the transfer, in the destination: whatever an entry
 * matched in the working directory is there now (nothing is ever deleted from it), locally and
 * over ssh alike, without another round trip to the node.
 */
import { readdir } from 'node:fs/promises';
import { validateFiles } from '../../transfer/select/files.js';
import { compileRule, ruleMatches } from '../../transfer/select/filter-rules.js';
import { excludedByPatterns } from '../../transfer/select/index.js';
import { hasWildcard, wildmatch } from '../../transfer/select/wildcard.js';

/**
 * Whether some path below `dir` (relative to it: `rel`) matches `pattern`, which holds `**`
 * and so may cross '/' (rsync's rule for the entry, anchored there). Symlinks are not followed.
 */
async function anyBelow(dir: Buffer, pattern: string, rel = ''): Promise<boolean> {
  let entries: { name: Buffer; isDirectory(): boolean }[];
  try {
    entries = await readdir(dir, { encoding: 'buffer', withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name.toString('latin1')}` : e.name.toString('latin1');
    if (wildmatch(pattern, r)) return true;
    if (
      e.isDirectory() &&
      (await anyBelow(Buffer.concat([dir, Buffer.from('/'), e.name]), pattern, r))
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Whether `segments` (relative to `dir`, wildcards allowed, as byte strings) name anything
 * under `dir`. Names are read as bytes, so that a name that is not UTF-8 matches as rsync
 * matches it. From a segment with `**` on, the rest is matched against whole paths below.
 */
async function exists(dir: Buffer, segments: readonly string[]): Promise<boolean> {
  if (segments.length === 0) return true;
  const [first, ...rest] = segments as [string, ...string[]];
  if (first.includes('**')) return anyBelow(dir, segments.join('/'));
  let names: string[];
  try {
    names = (await readdir(dir, { encoding: 'buffer' })).map((n) => n.toString('latin1'));
  } catch {
    return false;
  }
  // rsync compares a pattern without wildcards literally (a backslash is then just a byte).
  const matches = hasWildcard(first)
    ? names.filter((n) => wildmatch(first, n))
    : names.filter((n) => n === first);
  for (const name of matches) {
    const child = Buffer.concat([dir, Buffer.from(`/${name}`, 'latin1')]);
    if (await exists(child, rest)) return true;
  }
  return false;
}

/** Whether the entry `rel` (a byte string) selects `name`: itself, or something under it. */
function selects(rel: string, name: string): boolean {
  return [`/${rel}`, `/${rel}/***`].some((pattern) =>
    ruleMatches(compileRule({ include: true, pattern }), name, false),
  );
}

export interface Unmatched {
  /** Entries (as the user wrote them) with nothing of theirs in the destination. */
  nothing: string[];
  /** Entries with nothing there because `max-size` left out what they matched. */
  overMaxSize: string[];
}

/** The entries of `files` (as the user wrote them) with nothing of theirs in `destination`. */
export async function unmatchedFiles(
  files: readonly string[],
  workDir: string,
  destination: string,
  /** `exclude`: an entry it leaves out is not reported (exclude wins, as documented). */
  exclude: readonly string[] = [],
  /** Files `max-size` left out (byte strings, relative): an entry that matched one is not "nothing". */
  overMaxSize: readonly string[] = [],
): Promise<Unmatched> {
  const relative = validateFiles(files, workDir);
  const out: Unmatched = { nothing: [], overMaxSize: [] };
  for (let i = 0; i < files.length; i++) {
    const rel = relative[i] as string;
    if (rel === '.') continue;
    const bytes = Buffer.from(rel).toString('latin1');
    if (excludedByPatterns(exclude, bytes)) continue;
    const segments = bytes.split('/');
    if (await exists(Buffer.from(destination), segments)) continue;
    const entry = files[i] as string;
    if (overMaxSize.some((name) => selects(bytes, name))) out.overMaxSize.push(entry);
    else out.nothing.push(entry);
  }
  return out;
}
