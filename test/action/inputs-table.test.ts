/**
 * The table of inputs (src/action/inputs/table.ts) against action.yml: the same inputs, the
 * same defaults, and a description that states a default states the table's. readSettings is
 * the one reader, and it asks for every input of action.yml.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { root } from '../../scripts/run-action.mjs';
import { INPUTS } from '../../src/action/inputs/table.js';
import { readSettings } from '../../src/action/inputs.js';

interface YmlInput {
  description?: string;
  default?: unknown;
}

const yml: Record<string, YmlInput> = parse(readFileSync(`${root}/action.yml`, 'utf8')).inputs;
const table = Object.values(INPUTS);

/** The X of every "Default: X" in a description (quotes and closing punctuation dropped). */
function describedDefaults(description: string): string[] {
  return [...description.matchAll(/\bdefault:\s*(\S+)/gi)].map((m) =>
    (m[1] ?? '').replace(/[).,;:]+$/, '').replace(/^['"`]|['"`]$/g, ''),
  );
}

describe('the table of inputs', () => {
  it('declares exactly the inputs of action.yml, each once', () => {
    const names = table.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(yml).sort());
  });

  it.each(table.map((spec) => [spec.name, spec] as const))(
    "gives %s action.yml's default",
    (name, spec) => {
      const given = yml[name]?.default;
      // action.yml states a default for every input ("" for none); the table does too.
      expect(given === undefined ? undefined : String(given)).toBe(spec.default);
    },
  );

  it.each(table.map((spec) => [spec.name, spec] as const))(
    'gives %s the default its description states, if it states one',
    (name, spec) => {
      for (const stated of describedDefaults(yml[name]?.description ?? '')) {
        expect(stated).toBe(spec.default);
      }
    },
  );

  it('finds a stated default in a description, in the forms a description writes it', () => {
    expect(describedDefaults('Jobs fetched at once. Default: 4.')).toEqual(['4']);
    expect(describedDefaults("One of yes, no. default: 'accept-new'")).toEqual(['accept-new']);
    expect(describedDefaults('Seconds (Default: `600`); qq uses 600.')).toEqual(['600']);
    expect(describedDefaults("How long; qq's default is 600.")).toEqual([]);
  });

  it('is what readSettings reads: it asks for every input of action.yml, and no other', () => {
    const asked = new Set<string>();
    readSettings(
      (name) => {
        asked.add(name);
        return '';
      },
      { GITHUB_WORKSPACE: '/ws' },
    );
    expect([...asked].sort()).toEqual(Object.keys(yml).sort());
  });
});
