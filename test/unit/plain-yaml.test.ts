// The info files' fast path (src/domain/info/plain-yaml.ts) against the `yaml` library it
// stands in for: every text it accepts must be one the library reads without an error or a
// warning to the same values. The fixtures, hand-picked YAML corners, and seeded random
// mutations of the samples (characters, indentation, lines) are each checked both ways.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseInfoData } from '../../src/domain/info/parse.js';
import { parsePlainInfoYaml } from '../../src/domain/info/plain-yaml.js';
import { loadYaml } from '../../src/domain/info/yaml.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const SAMPLES = join(FIXTURES, 'qqinfo-samples');

/** The library as yaml.ts calls it: its values, or undefined where it errs or warns. */
function library(text: string): unknown {
  try {
    const doc = parseDocument(text, {
      version: '1.2',
      schema: 'core',
      resolveKnownTags: false,
      merge: true,
      uniqueKeys: false,
      strict: true,
      prettyErrors: true,
    });
    if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
    return doc.toJS({ maxAliasCount: 100, mapAsMap: true });
  } catch {
    return undefined;
  }
}

/** When the fast path answers, it agrees with the library; returns whether it answered. */
function agrees(text: string): boolean {
  const fast = parsePlainInfoYaml(text);
  if (fast === undefined) return false;
  const lib = library(text);
  expect(lib, JSON.stringify(text)).toBeInstanceOf(Map);
  expect(fast, JSON.stringify(text)).toEqual(lib);
  return true;
}

const samples = readdirSync(SAMPLES).map((f) => readFileSync(join(SAMPLES, f), 'utf8'));

describe('plain-yaml fast path', () => {
  it("reads qq's sample info files as the library does", () => {
    for (const text of samples) expect(agrees(text)).toBe(true);
  });

  it('gives the same InfoFile as the library, which it leaves unloaded', () => {
    for (const text of samples) {
      const fast = parseInfoData(text, 'x.qqinfo');
      expect(fast).toBeDefined();
      // A comment with a tab in it: the fast path steps aside, the library reads the file.
      const slow = parseInfoData(`${text}\n#\tlibrary\n`, 'x.qqinfo', loadYaml);
      expect(parseInfoData(`${text}\n#\tlibrary\n`, 'x.qqinfo')).toBeUndefined();
      expect(fast).toStrictEqual(slow);
    }
  });

  it('agrees or steps aside on every fixture info file', () => {
    for (const dir of ['infofiles', 'qqinfo-samples']) {
      for (const f of readdirSync(join(FIXTURES, dir))) {
        if (f.endsWith('.qqinfo')) agrees(readFileSync(join(FIXTURES, dir, f), 'latin1'));
      }
    }
  });

  it('steps aside on YAML it does not read itself', () => {
    const aside = [
      'a: true\n',
      'a: NULL\n',
      'a: ~\n',
      'a: 0123\n',
      'a: 1e3\n',
      'a: -1\n',
      'a: .inf\n',
      'a: 0x1F\n',
      'a: 1.5\n',
      'a: 1.\n',
      'a: b:\n',
      'a: b: c\n',
      'a: "x"\n',
      "a: 'x\n  y'\n",
      'a: x\n  y\n',
      'a: x # c\n',
      'a: x\na: y\n',
      'true: x\n',
      '<<: {a: 1}\n',
      'a: &x y\nb: *x\n',
      'a: !!str 1\n',
      '---\na: x\n',
      'a: x\n...\n',
      'a:\n  - x\n  b: y\n',
      'a:\n- b: c\n',
      'a:\n\tb: c\n',
      'a: x\r\n',
      '\ufeffa: x\n',
      'a:  x\n',
      'a: x \n',
      '  a: x\n',
      'a:\n  b: x\n c: y\n',
      'a:\n  b: x\n   \n',
      '',
      '# only a comment\n',
      `a: ${'1'.repeat(16)}\n`,
    ];
    for (const text of aside)
      expect(parsePlainInfoYaml(text), JSON.stringify(text)).toBe(undefined);
  });

  it('reads the corners it takes as the library does', () => {
    const taken = [
      'a:\n',
      'a:\nb: x\n',
      "a: ''\n",
      "a: 'it''s # not: a comment'\n",
      "a: 'true'\n",
      'a: []\nb: {}\n',
      'a:\n- x\n- 1\nb: y\n',
      'a:\n  - x\n  - y\nb:\n  c:\n    d: 0\n  e: f\n',
      '# head\na: x\n\n# mid\nb:\n  c: y\n# in\n  d: z\n',
      'a: 9007199254740\n',
      'a: x@y.z+w-1/_\n',
      'a: /x:y\n',
      'a: 48:00:00\n',
      'a: 0.10.1\nb: 123.pbs\nc: afterok=1,md%04d~\n',
    ];
    for (const text of taken) expect(agrees(text), JSON.stringify(text)).toBe(true);
  });

  it('never disagrees with the library on random mutations of the samples', () => {
    // A fixed seed: the same cases every run.
    let seed = 29;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = [' ', '  ', "'", "''", '"', ':', ': ', '#', ' #', '-', '- ', '[', ']', '{}'];
    const more = ['&a ', '*a', '!', '|', '>', '?', '%', '@', '`', ',', '\t', '\n', 'true', '0'];
    const all = [...pieces, ...more, 'x', '1', '.', '~', 'null', '\n  ', '\n- '];
    let taken = 0;
    for (let i = 0; i < 10_000; i++) {
      let text = samples[rand(samples.length)] as string;
      for (let k = 1 + rand(3); k > 0; k--) {
        const at = rand(text.length + 1);
        const lines = text.split('\n');
        const op = rand(4);
        if (op === 0) text = text.slice(0, at) + all[rand(all.length)] + text.slice(at);
        else if (op === 1) text = text.slice(0, at) + text.slice(at + 1 + rand(3));
        else if (op === 2) {
          const l = rand(lines.length);
          lines[l] = ' '.repeat(rand(4)) + (lines[l] ?? '').trimStart();
          text = lines.join('\n');
        } else {
          const l = rand(lines.length);
          lines.splice(rand(lines.length), 0, lines[l] ?? '');
          text = lines.join('\n');
        }
      }
      if (agrees(text)) taken++;
    }
    // The mutations must reach the fast path often enough to test it.
    expect(taken).toBeGreaterThan(1000);
  });
});
