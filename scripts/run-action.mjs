// Runs the bundled action (dist/index.js) the way the GitHub runner does: every input of
// action.yml as an INPUT_* variable with its default applied, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY and GITHUB_STATE files, the workspace as the working directory.
// Used by the demo, the end-to-end tests and the benchmarks.
//
// The Node that runs the bundle: the `node` option, else $QQ_SYNC_NODE (a binary, such as the
// Node 24 of scripts/node24.mjs), else the Node running this script.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The runner's tool cache for every run (RUNNER_TOOL_CACHE; an `env` option overrides it). */
export const TOOL_CACHE = join(root, '.tmp', 'runner-tool-cache');

/** The node binary that runs the bundle when no `node` option is given. */
export function actionNode() {
  return process.env.QQ_SYNC_NODE || process.execPath;
}

/** The inputs of action.yml with their defaults. */
export function actionDefaults() {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, spec]) => [name, String(spec.default ?? '')]),
  );
}

/** Parses a GITHUB_OUTPUT file (`name<<DELIM` … `DELIM` blocks, or `name=value` lines). */
export function parseOutputFile(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]);
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/**
 * @param {{ inputs?: Record<string,string>, workspace: string, env?: Record<string,string>,
 *           entry?: string, timeoutMs?: number, wrap?: string[], node?: string,
 *           nodeArgs?: string[] }} options
 * `wrap`: a command to run node under, such as `/usr/bin/time -f %M -o FILE`.
 * `onSpawn`: gets the node process as soon as it runs (to send it signals as the runner does:
 * `child.kill('SIGINT')` reaches that process only, not the process groups it made).
 * `node`: the node binary (default `actionNode()`); `nodeArgs`: its options, before the entry.
 * @returns {Promise<{ code: number|null, stdout: string, stderr: string,
 *           outputs: Record<string,string>, summary: string, durationMs: number }>}
 */
export function runAction({
  inputs = {},
  workspace,
  env = {},
  entry,
  timeoutMs = 300_000,
  wrap = [],
  onSpawn,
  node = actionNode(),
  nodeArgs = [],
}) {
  const files = mkdtempSync(join(tmpdir(), 'qq-sync-runner-'));
  const outputFile = join(files, 'output');
  const summaryFile = join(files, 'summary');
  const stateFile = join(files, 'state');
  for (const f of [outputFile, summaryFile, stateFile]) writeFileSync(f, '');
  const all = { ...actionDefaults(), ...inputs };
  const inputEnv = Object.fromEntries(
    Object.entries(all).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
  );
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const argv = [...wrap, node, ...nodeArgs, entry ?? join(root, 'dist', 'index.js')];
    const child = spawn(argv[0], argv.slice(1), {
      cwd: workspace,
      env: {
        ...process.env,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_STATE: stateFile,
        GITHUB_RUN_ID: '1000',
        GITHUB_RUN_ATTEMPT: '1',
        RUNNER_TEMP: files,
        // Kept between jobs, as on a self-hosted runner (its _work/_tool): the bundle keeps
        // Node's compile cache there, so a run after the first compiles nothing.
        RUNNER_TOOL_CACHE: TOOL_CACHE,
        ...inputEnv,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const result = {
        code,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        durationMs: Date.now() - started,
      };
      rmSync(files, { recursive: true, force: true });
      resolvePromise(result);
    });
  });
}

const USAGE = `Usage: node scripts/run-action.mjs [--workspace DIR] [NAME=VALUE ...] [--summary FILE]

Runs the bundled action (dist/index.js) as the GitHub runner does: every input of action.yml
as INPUT_* with its default, NAME=VALUE pairs overriding them (path=sim1 fail-on=failed),
GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_STATE files, DIR (default: the current
directory) as the workspace. Prints the log, then the outputs and the summary; exits with the
action's exit code. QQ_SYNC_NODE=<node> runs it under another Node.

  --workspace DIR   the workspace (GITHUB_WORKSPACE and the working directory)
  --summary FILE    also write the summary there (npm run render-summary -- FILE out.png)
  -h, --help        this text`;

/** The command line: `--help`, or run the action once and show what the runner would see. */
async function main(args) {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let workspace = process.cwd();
  let summaryFile;
  const inputs = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--workspace' && args[i + 1]) workspace = resolve(args[++i]);
    else if (arg === '--summary' && args[i + 1]) summaryFile = resolve(args[++i]);
    else if (/^[a-z][a-z-]*=/.test(arg))
      inputs[arg.slice(0, arg.indexOf('='))] = arg.slice(arg.indexOf('=') + 1);
    else {
      console.error(
        `run-action.mjs: '${arg}' is neither --workspace DIR, --summary FILE nor NAME=VALUE.\n\n${USAGE}`,
      );
      return 2;
    }
  }
  const unknown = Object.keys(inputs).filter((n) => !(n in actionDefaults()));
  if (unknown.length > 0) {
    console.error(`run-action.mjs: no such input in action.yml: ${unknown.join(', ')}.`);
    return 2;
  }
  const run = await runAction({ workspace, inputs, env: process.env });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  console.log('--- outputs ---');
  for (const [k, v] of Object.entries(run.outputs)) console.log(`${k}=${v}`);
  console.log('--- summary (HTML) ---');
  console.log(run.summary);
  if (summaryFile) writeFileSync(summaryFile, run.summary);
  return run.code ?? 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
