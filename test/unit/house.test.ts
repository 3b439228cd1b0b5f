/**
 * The house rules of issue 28, held by a test so that they stay true: files that fit on a
 * few screens, folders a reader can name, and CONTRIBUTING's layout naming every folder of
 * src/ (and nothing that is gone). Function length (60 lines) is Biome's
 * noExcessiveLinesPerFunction, set for src/ in biome.json.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');
const MAX_FILE_LINES = 350;
const MAX_FILES_IN_FOLDER = 15;

function folders(dir: string): string[] {
  const subs = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  return [dir, ...subs.flatMap((e) => folders(join(dir, e.name)))];
}

const files = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(dir, e.name));

describe('the layout of src/', () => {
  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const long = folders(src)
      .flatMap(files)
      .map((f) => ({
        file: relative(root, f),
        lines: readFileSync(f, 'utf8').split('\n').length - 1,
      }))
      .filter((f) => f.lines > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it(`has no folder with more than ${MAX_FILES_IN_FOLDER} files directly`, () => {
    const crowded = folders(src)
      .map((d) => ({ folder: relative(root, d), files: files(d).length }))
      .filter((d) => d.files > MAX_FILES_IN_FOLDER);
    expect(crowded).toEqual([]);
  });

  it("is the layout CONTRIBUTING.md's list names, folder by folder", () => {
    const text = readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8');
    const start = text.indexOf('<!-- src/ list');
    const end = text.indexOf('<!-- end of the src/ list -->');
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    // The list is indented two spaces a level: `  transfer/`, `    rsync/`.
    const named = new Set<string>();
    const stack: string[] = [];
    for (const line of text.slice(start, end).split('\n')) {
      const m = /^( *)([a-z0-9-]+)\/(?:\s|$)/.exec(line);
      if (!m) continue;
      const depth = (m[1] as string).length / 2;
      stack.length = depth;
      stack[depth] = m[2] as string;
      named.add(stack.join('/'));
    }
    const actual = folders(src).map((d) => relative(root, d));
    expect([...named].sort()).toEqual(actual.sort());
  });

  it('opens every folder with a comment that says what lives there', () => {
    // The folder's own file (index.ts, or the file named as the folder) opens with /**; or one
    // of its files opens with a comment that names the folder ("action/fetch/ is …"); or a
    // folder of peers has a README.md (no barrel file just for a comment).
    const opening = (file: string) => {
      const text = readFileSync(file, 'utf8').trimStart();
      return text.startsWith('/**') ? text.slice(0, text.indexOf('*/')) : undefined;
    };
    const silent = folders(src)
      .filter((d) => d !== src)
      .filter((d) => {
        const name = d.split('/').pop() as string;
        const own = [join(d, 'index.ts'), join(d, `${name}.ts`)].filter(exists);
        if (own.some((f) => opening(f) !== undefined)) return false;
        const folder = `${relative(src, d)}/`;
        if (files(d).some((f) => f.endsWith('.ts') && opening(f)?.includes(folder))) return false;
        return (
          !exists(join(d, 'README.md')) || readFileSync(join(d, 'README.md'), 'utf8').trim() === ''
        );
      })
      .map((d) => relative(root, d));
    expect(silent).toEqual([]);
  });
});

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
