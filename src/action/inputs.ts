/**
 * Every input of action.yml, read once and validated into a typed settings object. Which inputs
 * there are, their defaults and how each is read are declared once, in the table of
 * inputs/table.ts; this is where the table is read. A bad value is an InputError that names the
 * input and, for enums, the allowed values.
 */

import * as path from 'node:path';
import * as core from '@actions/core';
import type { InputSpec, ParsedInputs } from './inputs/table.js';
import { INPUTS } from './inputs/table.js';

export type { FailCondition } from './inputs/parse.js';
export type { HostKeyChecking, Overwrite, SharedStorage } from './inputs/table.js';

export interface Settings extends ParsedInputs {
  /** `GITHUB_WORKSPACE` (or the current directory), absolute: relative inputs start here. */
  workspace: string;
}

/** Where inputs come from; `core.getInput` in the action, a map in tests. */
export type InputSource = (name: string) => string;

const fromCore: InputSource = (name) => core.getInput(name);

/**
 * action.yml's non-empty defaults, from the table. An input given as empty means its default,
 * as in actions/checkout: reusable workflows pass unset inputs as '', and `node dist/index.js`
 * with only INPUT_PATH must run.
 */
export const INPUT_DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(INPUTS)
    .filter((spec) => spec.default !== '')
    .map((spec) => [spec.name, spec.default]),
);

/** `get`, with an empty (or blank) value replaced by the input's default. */
export function withDefaults(get: InputSource): InputSource {
  return (name) => {
    const value = get(name);
    return value.trim() === '' ? (INPUT_DEFAULTS[name] ?? value) : value;
  };
}

/** Every input of the table, in its order, through its parser. */
function parseInputs(get: InputSource, workspace: string): ParsedInputs {
  const parsed: Partial<Record<keyof ParsedInputs, unknown>> = {};
  for (const field of Object.keys(INPUTS) as (keyof ParsedInputs)[]) {
    const spec: InputSpec<unknown> = INPUTS[field];
    parsed[field] = spec.parse(get(spec.name), { name: spec.name, workspace });
  }
  return parsed as ParsedInputs;
}

export function readSettings(
  source: InputSource = fromCore,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const settings: Settings = { workspace, ...parseInputs(withDefaults(source), workspace) };
  // The runner fills in the default '.', so "set explicitly" can only mean "not the default".
  const { jobIds, paths } = settings;
  if (jobIds.length > 0 && paths.length === 1 && paths[0] === '.') settings.paths = [];
  if (jobIds.length === 0 && paths.length === 0) settings.paths = ['.'];
  if (core.isDebug()) core.debug(`settings from the inputs: ${describeSettings(settings)}`);
  return settings;
}

/** The settings as one JSON line for the debug log (sets as arrays). */
export function describeSettings(settings: Settings): string {
  return JSON.stringify(settings, (_key, value) => (value instanceof Set ? [...value] : value));
}
