/**
 * Every `§x.y` that a comment in src/, test/ or bench/ cites is a section of
 * docs/qq-behaviour.md, the repository's own account of the qq behaviour the action reproduces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../scripts/run-action.mjs';

const doc = readFileSync(join(root, 'docs', 'qq-behaviour.md'), 'utf8');
/** Section numbers of the document's headings: `## 1. …` gives 1, `### 1.3 …` gives 1.3. */
const sections = new Set(
  [...doc.matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm)].map((m) => m[1] as string),
);

function citations(): Map<string, string[]> {
  const cited = new Map<string, string[]>();
  for (const dir of ['src', 'test', 'bench']) {
    const files = readdirSync(join(root, dir), { recursive: true, withFileTypes: true });
    for (const e of files) {
      if (!e.isFile() || !/\.[cm]?[tj]s$/.test(e.name)) continue;
      const path = join(e.parentPath, e.name);
      for (const m of readFileSync(path, 'utf8').matchAll(/§(\d+(?:\.\d+)*)/g)) {
        const where = cited.get(m[1] as string) ?? [];
        cited.set(m[1] as string, [...where, path.slice(root.length + 1)]);
      }
    }
  }
  return cited;
}

describe('docs/qq-behaviour.md', () => {
  it('has numbered sections', () => {
    for (const s of ['1', '1.3', '2.5', '5.1', '6.2', '10.1']) expect(sections).toContain(s);
  });

  it('has every section the code cites', () => {
    const cited = citations();
    expect(cited.size).toBeGreaterThan(10);
    const missing = [...cited].filter(([s]) => !sections.has(s));
    expect(missing).toEqual([]);
  });
});
