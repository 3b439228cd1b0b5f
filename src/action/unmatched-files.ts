/**
 * `files` entries that matched nothing. qq skips them silently (exit 0, nothing copied) and so
 * does the transfer; the action keeps that verdict but warns, so that a typo does not pass as
 * a green step with 0 files. Checked after the transfer, in the destination: whatever an entry
 * matched in the working directory is there now (nothing is ever deleted from it), locally and
 * over ssh alike, without another round trip to the node.
 */
import { readdir } from 'node:fs/promises';
import { validateFiles } from '../transfer/files.js';
import { excludedByPatterns } from '../transfer/select.js';
import { hasWildcard, wildmatch } from '../transfer/wildcard.js';

/**
 * Whether `segments` (relative to `dir`, wildcards allowed, as byte strings) name anything
 * under `dir`. Names are read as bytes, so that a name that is not UTF-8 matches as rsync
 * matches it.
 */
async function exists(dir: Buffer, segments: readonly string[]): Promise<boolean> {
  if (segments.length === 0) return true;
  const [first, ...rest] = segments as [string, ...string[]];
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

/** The entries of `files` (as the user wrote them) with nothing of theirs in `destination`. */
export async function unmatchedFiles(
  files: readonly string[],
  workDir: string,
  destination: string,
  /** `exclude`: an entry it leaves out is not reported (exclude wins, as documented). */
  exclude: readonly string[] = [],
): Promise<string[]> {
  const relative = validateFiles(files, workDir);
  const out: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const rel = relative[i] as string;
    if (rel === '.') continue;
    const bytes = Buffer.from(rel).toString('latin1');
    if (excludedByPatterns(exclude, bytes)) continue;
    const segments = bytes.split('/');
    if (!(await exists(Buffer.from(destination), segments))) out.push(files[i] as string);
  }
  return out;
}
