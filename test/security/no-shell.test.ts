/**
 * No shell anywhere: the action's sources (src/**\/*.ts, what ncc bundles) start programs only
 * through src/exec/run.ts, which imports `spawn` alone and never passes `shell`. Nothing
 * imports child_process elsewhere, nothing calls exec/execSync/execFile/spawnSync, nothing
 * uses @actions/exec (whose string command lines are split by its own parser), eval or
 * new Function.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../scripts/run-action.mjs';

const RUNNER = 'src/exec/run.ts';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Code only: comments removed (a comment may say "no shell: true"). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const FORBIDDEN: [string, RegExp][] = [
  ['a shell option other than false', /\bshell\s*:(?!\s*false\b)/],
  ['exec() of a string', /(^|[^.\w])exec\s*\(|child_process\s*\.\s*exec\b/],
  ['execSync', /\bexecSync\b/],
  ['execFile', /\bexecFile(Sync)?\b/],
  ['spawnSync', /\bspawnSync\b/],
  ['@actions/exec', /['"]@actions\/exec['"]/],
  ['eval', /(^|[^.\w])eval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
];

function findings(file: string, text: string): string[] {
  const out: string[] = [];
  const c = code(text);
  for (const [what, re] of FORBIDDEN) if (re.test(c)) out.push(`${file}: ${what}`);
  if (file !== RUNNER && /['"](node:)?child_process['"]/.test(c)) {
    out.push(`${file}: imports child_process (only ${RUNNER} may)`);
  }
  return out;
}

describe('no shell anywhere', () => {
  it('the checker catches what it looks for', () => {
    expect(findings('x.ts', "spawn('sh', ['-c', cmd], { shell: true })")).toHaveLength(1);
    expect(findings('x.ts', "spawn('sh', ['-c', cmd], { shell: '/bin/sh' })")).toHaveLength(1);
    expect(findings('x.ts', 'spawn(file, args, { shell: false })')).toEqual([]);
    expect(findings('x.ts', "import { exec } from 'node:child_process'; exec(cmd);")).toEqual([
      'x.ts: exec() of a string',
      'x.ts: imports child_process (only src/exec/run.ts may)',
    ]);
    expect(findings('x.ts', 'execSync("rsync " + a)')).toHaveLength(1);
    expect(findings('x.ts', 'const m = /a/.exec(line); // shell: true')).toEqual([]);
  });

  it('src/**/*.ts starts programs only through src/exec/run.ts, with argv and no shell', () => {
    const files = sources(join(root, 'src'));
    expect(files.length).toBeGreaterThan(10);
    const all = files.flatMap((f) => findings(relative(root, f), readFileSync(f, 'utf8')));
    expect(all).toEqual([]);
    const runner = code(readFileSync(join(root, RUNNER), 'utf8'));
    expect(runner).toMatch(/import \{ spawn \} from 'node:child_process'/);
    // spawn(file, args, { shell: false, … }): the program and an argument array.
    const calls = runner.match(/spawn\(file, args, \{[^}]*\}/g) ?? [];
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/shell: false/);
    expect(runner.match(/\bspawn\(/g)).toHaveLength(1);
  });
});
