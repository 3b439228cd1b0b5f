/**
 * Every input of action.yml, read once and validated into a typed settings object. A bad value
 * is an InputError that names the input and, for enums, the allowed values.
 */
import * as path from 'node:path';
import { BATCH_SYSTEM_NAMES, type BatchSystemName } from '../batch/types.js';
import { InputError } from '../domain/errors.js';
import { REAL_STATE_NAMES, type RealState, realStateFromName } from '../domain/states.js';
import * as core from './core.js';

export type SharedStorage = 'auto' | 'true' | 'false';
export type HostKeyChecking = 'yes' | 'accept-new' | 'no';
export type Overwrite = 'newer' | 'always';
export type FailCondition = RealState | 'unsuitable';

export interface Settings {
  workspace: string;
  /** Lines of `path`, empty when job-id is given and path was left at its default. */
  paths: string[];
  jobIds: string[];
  /** Raw `files` text (split and validated per job by the transfer layer); '' = everything. */
  files: string;
  /** Absolute destination, or undefined for each job's input directory. */
  destination: string | undefined;
  failOn: ReadonlySet<FailCondition>;
  waitFor: ReadonlySet<RealState>;
  waitTimeoutSec: number;
  pollIntervalSec: number;
  follow: boolean;
  batchSystem: BatchSystemName | undefined;
  sharedStorage: SharedStorage;
  sshOptions: string[];
  strictHostKeyChecking: HostKeyChecking;
  overwrite: Overwrite;
  transferTimeoutSec: number;
  schedulerTimeoutSec: number;
  retries: number;
  parallel: number;
  dryRun: boolean;
  cache: boolean;
}

/** Where inputs come from; `core.getInput` in the action, a map in tests. */
export type InputSource = (name: string) => string;

const fromCore: InputSource = (name) => core.getInput(name);

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

function choice<T extends string>(get: InputSource, name: string, allowed: readonly T[]): T {
  const raw = get(name).trim();
  const found = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (found === undefined) {
    throw new InputError(
      `Input '${name}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got '${raw}'.`,
    );
  }
  return found;
}

function bool(get: InputSource, name: string): boolean {
  // The YAML 1.2 core schema booleans, as core.getBooleanInput accepts them.
  const raw = get(name).trim();
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE', ''].includes(raw)) return false;
  throw new InputError(`Input '${name}' must be 'true' or 'false'; got '${raw}'.`);
}

function integer(get: InputSource, name: string, min: number, max: number): number {
  const raw = get(name).trim();
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new InputError(
      `Input '${name}' must be a whole number from ${min} to ${max}; got '${raw}'.`,
    );
  }
  return Number(raw);
}

function states(get: InputSource, name: string, extra: readonly string[]): Set<FailCondition> {
  const out = new Set<FailCondition>();
  for (const item of get(name).split(/[,\n]/)) {
    const word = item.trim();
    if (!word) continue;
    if (extra.includes(word.toLowerCase())) {
      out.add(word.toLowerCase() as FailCondition);
      continue;
    }
    const state = realStateFromName(word);
    if (!state) {
      throw new InputError(
        `Input '${name}' has an unknown condition '${word}'; allowed: ${[...REAL_STATE_NAMES, ...extra].join(', ')}.`,
      );
    }
    out.add(state);
  }
  return out;
}

export function readSettings(
  get: InputSource = fromCore,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const jobIds = get('job-id')
    .split(/\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  let paths = lines(get('path'));
  // The runner fills in the default '.', so "set explicitly" can only mean "not the default".
  if (jobIds.length > 0 && paths.length === 1 && paths[0] === '.') paths = [];
  if (jobIds.length === 0 && paths.length === 0) paths = ['.'];
  const dest = get('destination').trim();
  const batch = get('batch-system').trim();
  const settings: Settings = {
    workspace,
    paths,
    jobIds,
    files: get('files'),
    destination: dest ? path.resolve(workspace, dest) : undefined,
    failOn: states(get, 'fail-on', ['unsuitable']),
    waitFor: states(get, 'wait-for', []) as Set<RealState>,
    waitTimeoutSec: integer(get, 'wait-timeout', 0, 31 * 24 * 3600),
    pollIntervalSec: integer(get, 'poll-interval', 1, 24 * 3600),
    follow: bool(get, 'follow'),
    batchSystem: batch ? choice(get, 'batch-system', BATCH_SYSTEM_NAMES) : undefined,
    sharedStorage: choice(get, 'shared-storage', ['auto', 'true', 'false'] as const),
    sshOptions: lines(get('ssh-options')),
    strictHostKeyChecking: choice(get, 'strict-host-key-checking', [
      'accept-new',
      'yes',
      'no',
    ] as const),
    overwrite: choice(get, 'overwrite', ['newer', 'always'] as const),
    transferTimeoutSec: integer(get, 'transfer-timeout', 1, 7 * 24 * 3600),
    schedulerTimeoutSec: integer(get, 'scheduler-timeout', 1, 3600),
    retries: integer(get, 'retries', 0, 20),
    parallel: integer(get, 'parallel', 1, 64),
    dryRun: bool(get, 'dry-run'),
    cache: bool(get, 'cache'),
  };
  if (core.isDebug()) core.debug(`settings from the inputs: ${describeSettings(settings)}`);
  return settings;
}

/** The settings as one JSON line for the debug log (sets as arrays). */
export function describeSettings(settings: Settings): string {
  return JSON.stringify(settings, (_key, value) => (value instanceof Set ? [...value] : value));
}
