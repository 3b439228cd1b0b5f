/**
 * Every input of action.yml, declared once: its name, its default (as action.yml gives it; an
 * input given as empty takes it) and how its text becomes a setting. The `Settings` type is
 * derived from this table (inputs.ts), and test/action/inputs-table.test.ts holds the table and
 * action.yml equal. The order is the order of `Settings` and of reading: the first bad input in
 * it is the one reported.
 */

import { BATCH_SYSTEM_NAMES, type BatchSystemName } from '../../batch/types.js';
import type { RealState } from '../../domain/states.js';
import { checkExclude, checkMaxSize } from '../../transfer/select/index.js';
import { listItems, patternItems } from '../../util/list.js';
import { parseShard } from '../jobs/shard.js';
import {
  bool,
  bwlimit,
  conditions,
  duration,
  type FailCondition,
  type InputContext,
  integer,
  lines,
  oneOf,
  type Parse,
  sshOptions,
  streams,
  workspacePath,
} from './parse.js';

export type SharedStorage = 'auto' | 'true' | 'false';
export type HostKeyChecking = 'yes' | 'accept-new' | 'no';
export type Overwrite = 'newer' | 'always';

/** One input: its name in action.yml, action.yml's default ('' for none), its parser. */
export interface InputSpec<T> {
  name: string;
  default: string;
  parse: Parse<T>;
}

const batchSystemName = oneOf(BATCH_SYSTEM_NAMES);
const failOn: Parse<ReadonlySet<FailCondition>> = conditions(['unsuitable'] as const);
const waitFor: Parse<ReadonlySet<RealState>> = conditions([] as const);
const DAY = 24 * 3600;

/** The inputs, keyed by their setting. */
export const INPUTS = {
  /** `path` lines; readSettings empties them when job-id is given and path is the default. */
  paths: { name: 'path', default: '.', parse: lines },
  /** The `job-id` input's ids, in order (resolved with one scheduler call). */
  jobIds: { name: 'job-id', default: '', parse: (raw: string) => listItems(raw) },
  /** Raw `files` text (split and validated per job by the transfer layer); '' = everything. */
  files: { name: 'files', default: '', parse: (raw: string) => raw },
  /**
   * `exclude`: rsync patterns, separated by commas or newlines (util/list.ts patternItems), left
   * out at every level (they win over `files`).
   */
  exclude: {
    name: 'exclude',
    default: '',
    parse: (raw: string) => checkExclude([...new Set(patternItems(raw))]),
  },
  /** `max-size`: regular files larger than this many bytes are not fetched; undefined: no limit. */
  maxSize: { name: 'max-size', default: '', parse: (raw: string) => checkMaxSize(raw) },
  /** `manifest`: a JSON list of the fetched files under RUNNER_TEMP (output `manifest`). */
  manifest: { name: 'manifest', default: 'false', parse: bool },
  /** `checksums`: the manifest gives each file's SHA-256. */
  checksums: { name: 'checksums', default: 'false', parse: bool },
  /** Absolute destination, or undefined for each job's input directory. */
  destination: { name: 'destination', default: '', parse: workspacePath },
  /** `fail-on`: real states, and `unsuitable`, that fail the step. */
  failOn: { name: 'fail-on', default: '', parse: failOn },
  /** `wait-for`: the real states to wait for before fetching; empty = do not wait. */
  waitFor: { name: 'wait-for', default: '', parse: waitFor },
  /** `wait-timeout`: seconds to wait at most, for all jobs together. */
  waitTimeoutSec: { name: 'wait-timeout', default: '3600', parse: duration(0, 31 * DAY) },
  /** `poll-interval`: seconds between two scheduler polls while waiting. */
  pollIntervalSec: { name: 'poll-interval', default: '60', parse: duration(1, DAY) },
  /** `follow`: print the jobs' new stdout/stderr lines while waiting. */
  follow: { name: 'follow', default: 'false', parse: bool },
  /** `batch-system`: the explicit choice, or undefined for the info file's (or qq's guess). */
  batchSystem: {
    name: 'batch-system',
    default: '',
    parse: (raw: string, input: InputContext): BatchSystemName | undefined =>
      raw.trim() ? batchSystemName(raw, input) : undefined,
  },
  /** `shared-storage`: read working directories here (`true`), over ssh (`false`), or decide. */
  sharedStorage: {
    name: 'shared-storage',
    default: 'auto',
    parse: oneOf<SharedStorage>(['auto', 'true', 'false']),
  },
  /** `ssh-options` lines, one option and its value each. */
  sshOptions: { name: 'ssh-options', default: '', parse: sshOptions },
  /** `strict-host-key-checking`: ssh's StrictHostKeyChecking. */
  strictHostKeyChecking: {
    name: 'strict-host-key-checking',
    default: 'accept-new',
    parse: oneOf<HostKeyChecking>(['accept-new', 'yes', 'no']),
  },
  /** `overwrite`: replace only older files (`newer`, rsync --update) or every file. */
  overwrite: { name: 'overwrite', default: 'newer', parse: oneOf<Overwrite>(['newer', 'always']) },
  /** `transfer-timeout`: seconds for one job's whole transfer, retries included. */
  transferTimeoutSec: { name: 'transfer-timeout', default: '600', parse: duration(1, 7 * DAY) },
  /** `scheduler-timeout`: seconds for one scheduler command. */
  schedulerTimeoutSec: { name: 'scheduler-timeout', default: '60', parse: duration(1, 3600) },
  /** `retries`: further attempts after a transient transfer failure. */
  retries: { name: 'retries', default: '2', parse: integer(0, 20) },
  /** `parallel`: jobs fetched at once. */
  parallel: { name: 'parallel', default: '4', parse: integer(1, 64) },
  /** `shard`: only the jobs of this shard of a matrix (undefined: all jobs). */
  shard: { name: 'shard', default: '', parse: (raw: string) => parseShard(raw) },
  /** `streams`: parallel transfers within one large job (1: one rsync, as qq; 'auto'). */
  streams: { name: 'streams', default: 'auto', parse: streams },
  /** `bwlimit`: the whole step's rate in KiB/s, shared by the rsyncs running at once; undefined: none. */
  bwlimit: { name: 'bwlimit', default: '', parse: bwlimit },
  /** `dry-run`: say what would be fetched, fetch nothing. */
  dryRun: { name: 'dry-run', default: 'false', parse: bool },
  /** `cache`: save fetched files to the Actions cache; restore them when the work dir is gone. */
  cache: { name: 'cache', default: 'false', parse: bool },
  /** `stderr-lines`: last lines of a failed or killed job's stderr in the summary (0: none). */
  stderrLines: { name: 'stderr-lines', default: '20', parse: integer(0, 200) },
} satisfies Record<string, InputSpec<unknown>>;

/** A setting's name (a key of the table). */
export type InputField = keyof typeof INPUTS;

/** The settings the table reads: each field typed by its parser. */
export type ParsedInputs = {
  -readonly [F in InputField]: ReturnType<(typeof INPUTS)[F]['parse']>;
};
