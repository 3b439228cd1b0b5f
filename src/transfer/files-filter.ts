/**
 * TEMPORARY (until select.ts lands; the lead swaps it in at merge): the `files` input as a
 * PathFilter for the built-in copier, with the meaning of `includeFilters` in files.ts — an
 * entry selects what it names and everything under it; for a nested entry its parent
 * directories are visited too; rsync wildcards per level.
 */
import { EVERYTHING, type PathFilter } from './path-filter.js';

function levelPattern(part: string): RegExp {
  if (!/[*?[]/.test(part)) return new RegExp(`^${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const body = part
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

export function filterFromFiles(files: readonly string[] | undefined): PathFilter {
  if (!files || files.includes('.')) return EVERYTHING;
  // The entries are text; the walk's paths are byte strings (latin1): compare as bytes.
  const entries = files.map((f) =>
    Buffer.from(f, 'utf8').toString('latin1').split('/').map(levelPattern),
  );
  return {
    excludes(rel: string, isDir: boolean): boolean {
      const parts = rel.split('/');
      for (const entry of entries) {
        const n = Math.min(entry.length, parts.length);
        let match = true;
        for (let i = 0; i < n && match; i++) match = (entry[i] as RegExp).test(parts[i] as string);
        if (!match) continue;
        if (parts.length >= entry.length) return false; // the entry, or under it
        if (isDir) return false; // a parent of a nested entry
      }
      return true;
    },
  };
}
