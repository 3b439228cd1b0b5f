/**
 * Every input of action.yml, read once and validated into a typed settings object. A bad value
 * is an InputError that names the input and, for enums, the allowed values.
 */

import * as path from 'node:path';
import * as core from '@actions/core';
import { BATCH_SYSTEM_NAMES, type BatchSystemName } from '../batch/types.js';
import { InputError } from '../domain/errors.js';
import { REAL_STATE_NAMES, type RealState, realStateFromName } from '../domain/states.js';
import { checkExclude, checkMaxSize } from '../transfer/select.js';
import { rsyncRsh } from '../transfer/ssh.js';
import { parseDurationSec } from '../util/duration.js';
import { listItems, patternItems } from '../util/list.js';
import { parseShard, type Shard } from './shard.js';

export type SharedStorage = 'auto' | 'true' | 'false';
export type HostKeyChecking = 'yes' | 'accept-new' | 'no';
export type Overwrite = 'newer' | 'always';
export type FailCondition = RealState | 'unsuitable';

export interface Settings {
  /** `GITHUB_WORKSPACE` (or the current directory), absolute: relative inputs start here. */
  workspace: string;
  /** Lines of `path`, empty when job-id is given and path was left at its default. */
  paths: string[];
  /** The `job-id` input's ids, in order (resolved with one scheduler call). */
  jobIds: string[];
  /** Raw `files` text (split and validated per job by the transfer layer); '' = everything. */
  files: string;
  /**
   * `exclude`: rsync patterns, separated by commas or newlines (util/list.ts patternItems), left
   * out at every level (they win over `files`).
   */
  exclude: string[];
  /** `max-size`: regular files larger than this many bytes are not fetched; undefined: no limit. */
  maxSize: number | undefined;
  /** `manifest`: a JSON list of the fetched files under RUNNER_TEMP (output `manifest`). */
  manifest: boolean;
  /** `checksums`: the manifest gives each file's SHA-256. */
  checksums: boolean;
  /** Absolute destination, or undefined for each job's input directory. */
  destination: string | undefined;
  /** `fail-on`: real states, and `unsuitable`, that fail the step. */
  failOn: ReadonlySet<FailCondition>;
  /** `wait-for`: the real states to wait for before fetching; empty = do not wait. */
  waitFor: ReadonlySet<RealState>;
  /** `wait-timeout`: seconds to wait at most, for all jobs together. */
  waitTimeoutSec: number;
  /** `poll-interval`: seconds between two scheduler polls while waiting. */
  pollIntervalSec: number;
  /** `follow`: print the jobs' new stdout/stderr lines while waiting. */
  follow: boolean;
  /** `batch-system`: the explicit choice, or undefined for the info file's (or qq's guess). */
  batchSystem: BatchSystemName | undefined;
  /** `shared-storage`: read working directories here (`true`), over ssh (`false`), or decide. */
  sharedStorage: SharedStorage;
  /** `ssh-options` lines, one option and its value each. */
  sshOptions: string[];
  /** `strict-host-key-checking`: ssh's StrictHostKeyChecking. */
  strictHostKeyChecking: HostKeyChecking;
  /** `overwrite`: replace only older files (`newer`, rsync --update) or every file. */
  overwrite: Overwrite;
  /** `transfer-timeout`: seconds for one job's whole transfer, retries included. */
  transferTimeoutSec: number;
  /** `scheduler-timeout`: seconds for one scheduler command. */
  schedulerTimeoutSec: number;
  /** `retries`: further attempts after a transient transfer failure. */
  retries: number;
  /** `parallel`: jobs fetched at once. */
  parallel: number;
  /** `shard`: only the jobs of this shard of a matrix (undefined: all jobs). */
  shard: Shard | undefined;
  /** `streams`: parallel transfers within one large job (1: one rsync, as qq; 'auto'). */
  streams: number | 'auto';
  /** `dry-run`: say what would be fetched, fetch nothing. */
  dryRun: boolean;
  /** `cache`: save fetched files to the Actions cache; restore them when the work dir is gone. */
  cache: boolean;
  /** `stderr-lines`: last lines of a failed or killed job's stderr in the summary (0: none). */
  stderrLines: number;
}

/** Where inputs come from; `core.getInput` in the action, a map in tests. */
export type InputSource = (name: string) => string;

const fromCore: InputSource = (name) => core.getInput(name);

/**
 * action.yml's defaults (test/action/inputs.test.ts checks them against it). An input given as
 * empty means its default, as in actions/checkout: reusable workflows pass unset inputs as '',
 * and `node dist/index.js` with only INPUT_PATH must run.
 */
export const INPUT_DEFAULTS: Readonly<Record<string, string>> = {
  path: '.',
  'wait-timeout': '3600',
  'poll-interval': '60',
  follow: 'false',
  'shared-storage': 'auto',
  'strict-host-key-checking': 'accept-new',
  overwrite: 'newer',
  'scheduler-timeout': '60',
  'transfer-timeout': '600',
  retries: '2',
  parallel: '4',
  'dry-run': 'false',
  cache: 'false',
  manifest: 'false',
  checksums: 'false',
  streams: 'auto',
  'stderr-lines': '20',
};

/** `get`, with an empty (or blank) value replaced by the input's default. */
export function withDefaults(get: InputSource): InputSource {
  return (name) => {
    const value = get(name);
    return value.trim() === '' ? (INPUT_DEFAULTS[name] ?? value) : value;
  };
}

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

/** `streams`: 'auto', or a number of parallel transfers from 1 to 32. */
function streamsOf(get: InputSource): number | 'auto' {
  const raw = get('streams').trim();
  if (raw === '' || raw.toLowerCase() === 'auto') return 'auto';
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 32) {
    throw new InputError(
      `Input 'streams' must be 'auto' or a whole number from 1 to 32; got '${raw}'.`,
    );
  }
  return Number(raw);
}

/** Seconds: a whole number, or a duration with units (`90s`, `30m`, `3h`, `1h30m`). */
function duration(get: InputSource, name: string, min: number, max: number): number {
  const raw = get(name).trim();
  const sec = parseDurationSec(raw);
  if (sec === undefined || sec < min || sec > max) {
    throw new InputError(
      `Input '${name}' must be a duration from ${min} to ${max} seconds: whole seconds ('600') or with units ('90s', '30m', '3h', '1h30m'); got '${raw}'.`,
    );
  }
  return sec;
}

/** The `ssh-options` lines, refused here (before any scheduler call) if ssh or rsync could not take them. */
function sshOptions(get: InputSource): string[] {
  const optionLines = lines(get('ssh-options'));
  rsyncRsh({ sshOptions: optionLines, strictHostKeyChecking: 'yes' });
  return optionLines;
}

function states(get: InputSource, name: string, extra: readonly string[]): Set<FailCondition> {
  const out = new Set<FailCondition>();
  // qq's own form of the one state with spaces is accepted too: make it one item first.
  const text = get(name).replace(/in\s+an\s+inconsistent\s+state/gi, 'inconsistent');
  for (const word of listItems(text)) {
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
  source: InputSource = fromCore,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const get = withDefaults(source);
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const jobIds = listItems(get('job-id'));
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
    exclude: checkExclude([...new Set(patternItems(get('exclude')))]),
    maxSize: checkMaxSize(get('max-size')),
    manifest: bool(get, 'manifest'),
    checksums: bool(get, 'checksums'),
    destination: dest ? path.resolve(workspace, dest) : undefined,
    failOn: states(get, 'fail-on', ['unsuitable']),
    waitFor: states(get, 'wait-for', []) as Set<RealState>,
    waitTimeoutSec: duration(get, 'wait-timeout', 0, 31 * 24 * 3600),
    pollIntervalSec: duration(get, 'poll-interval', 1, 24 * 3600),
    follow: bool(get, 'follow'),
    batchSystem: batch ? choice(get, 'batch-system', BATCH_SYSTEM_NAMES) : undefined,
    sharedStorage: choice(get, 'shared-storage', ['auto', 'true', 'false'] as const),
    sshOptions: sshOptions(get),
    strictHostKeyChecking: choice(get, 'strict-host-key-checking', [
      'accept-new',
      'yes',
      'no',
    ] as const),
    overwrite: choice(get, 'overwrite', ['newer', 'always'] as const),
    transferTimeoutSec: duration(get, 'transfer-timeout', 1, 7 * 24 * 3600),
    schedulerTimeoutSec: duration(get, 'scheduler-timeout', 1, 3600),
    retries: integer(get, 'retries', 0, 20),
    parallel: integer(get, 'parallel', 1, 64),
    shard: parseShard(get('shard')),
    streams: streamsOf(get),
    dryRun: bool(get, 'dry-run'),
    cache: bool(get, 'cache'),
    stderrLines: integer(get, 'stderr-lines', 0, 200),
  };
  if (core.isDebug()) core.debug(`settings from the inputs: ${describeSettings(settings)}`);
  return settings;
}

/** The settings as one JSON line for the debug log (sets as arrays). */
export function describeSettings(settings: Settings): string {
  return JSON.stringify(settings, (_key, value) => (value instanceof Set ? [...value] : value));
}
