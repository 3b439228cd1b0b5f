/**
 * `files` entries that matched nothing. qq skips them silently (exit 0, nothing copied) and so
 * does the transfer; the action keeps that verdict but warns, so that a typo does not pass as
 * a green step with 0 files. Checked after the transfer, in the destination: whatever an entry
 * matched in the working directory is there now (nothing is ever deleted from it), locally and
 * over ssh alike, without another round trip to the node.
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { validateFiles } from '../transfer/files.js';

const WILDCARD = /[*?[]/;

/** An rsync wildcard segment as a RegExp: `*` and `?` within a name, `[…]` as a class. */
function segmentPattern(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${segment
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replaceAll('\\', '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Whether `segments` (relative to `dir`, wildcards allowed) name anything under `dir`. */
async function exists(dir: string, segments: readonly string[]): Promise<boolean> {
  if (segments.length === 0) return true;
  const [first, ...rest] = segments as [string, ...string[]];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return false;
  }
  const matches = WILDCARD.test(first)
    ? names.filter((n) => segmentPattern(first).test(n))
    : names.filter((n) => n === first);
  for (const name of matches) {
    if (await exists(path.join(dir, name), rest)) return true;
  }
  return false;
}

/** The entries of `files` (as the user wrote them) with nothing of theirs in `destination`. */
export async function unmatchedFiles(
  files: readonly string[],
  workDir: string,
  destination: string,
): Promise<string[]> {
  const relative = validateFiles(files, workDir);
  const out: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const rel = relative[i] as string;
    if (rel === '.') continue;
    if (!(await exists(destination, rel.split('/')))) out.push(files[i] as string);
  }
  return out;
}
