/**
 * qq's three kinds of state (docs/qq-behaviour.md §2): what the info file says (naive), what the
 * scheduler says (batch), and the combination of both (real).
 * Pure: no I/O.
 */

export const NaiveState = {
  QUEUED: 'queued',
  RUNNING: 'running',
  FAILED: 'failed',
  FINISHED: 'finished',
  KILLED: 'killed',
  UNKNOWN: 'unknown',
} as const;
export type NaiveState = (typeof NaiveState)[keyof typeof NaiveState];

/** Parse a naive state as qq does: case-insensitive, anything else (or empty) is unknown. */
export function naiveStateFromString(value: unknown): NaiveState {
  if (typeof value !== 'string') return NaiveState.UNKNOWN;
  const lower = value.toLowerCase();
  return (Object.values(NaiveState) as string[]).includes(lower)
    ? (lower as NaiveState)
    : NaiveState.UNKNOWN;
}

export const BatchState = {
  RUNNING: 'RUNNING',
  QUEUED: 'QUEUED',
  FINISHED: 'FINISHED',
  FAILED: 'FAILED',
  HELD: 'HELD',
  EXITING: 'EXITING',
  WAITING: 'WAITING',
  MOVING: 'MOVING',
  SUSPENDED: 'SUSPENDED',
  UNKNOWN: 'UNKNOWN',
} as const;
export type BatchState = (typeof BatchState)[keyof typeof BatchState];

const CODE_TO_BATCH: Readonly<Record<string, BatchState>> = {
  E: BatchState.EXITING,
  H: BatchState.HELD,
  Q: BatchState.QUEUED,
  R: BatchState.RUNNING,
  T: BatchState.MOVING,
  W: BatchState.WAITING,
  S: BatchState.SUSPENDED,
  F: BatchState.FINISHED,
  X: BatchState.FAILED,
};

/** One-letter code to batch state (docs/qq-behaviour.md §2.2); codes are upper-cased first, anything else is UNKNOWN. */
export function batchStateFromCode(code: string): BatchState {
  return CODE_TO_BATCH[code.toUpperCase()] ?? BatchState.UNKNOWN;
}

export const RealState = {
  QUEUED: 'QUEUED',
  HELD: 'HELD',
  SUSPENDED: 'SUSPENDED',
  WAITING: 'WAITING',
  RUNNING: 'RUNNING',
  BOOTING: 'BOOTING',
  KILLED: 'KILLED',
  FAILED: 'FAILED',
  FINISHED: 'FINISHED',
  EXITING: 'EXITING',
  IN_AN_INCONSISTENT_STATE: 'IN_AN_INCONSISTENT_STATE',
  UNKNOWN: 'UNKNOWN',
} as const;
export type RealState = (typeof RealState)[keyof typeof RealState];

/** qq's string form: lower case, `_` → space (`in an inconsistent state`). */
export function realStateToString(state: RealState): string {
  return state.toLowerCase().replaceAll('_', ' ');
}

/**
 * Names accepted by the `fail-on` and `wait-for` inputs: the real states in lower case, with
 * `inconsistent` as the short name of IN_AN_INCONSISTENT_STATE (its qq form is accepted too).
 */
export function realStateFromName(name: string): RealState | undefined {
  const n = name
    .trim()
    .toLowerCase()
    .replaceAll(/[\s-]+/g, '_');
  if (n === 'inconsistent' || n === 'in_an_inconsistent_state') {
    return RealState.IN_AN_INCONSISTENT_STATE;
  }
  const upper = n.toUpperCase();
  return (Object.values(RealState) as string[]).includes(upper) ? (upper as RealState) : undefined;
}

/** A real state's short name, as used in inputs and the `state-code` output. */
export function realStateCode(state: RealState): string {
  return state === RealState.IN_AN_INCONSISTENT_STATE ? 'inconsistent' : state.toLowerCase();
}

/** Short names of the real states, as used in inputs. */
export const REAL_STATE_NAMES: readonly string[] = Object.values(RealState).map(realStateCode);

const R = RealState;
const I = R.IN_AN_INCONSISTENT_STATE;
const COLUMNS: readonly BatchState[] = [
  BatchState.QUEUED,
  BatchState.MOVING,
  BatchState.HELD,
  BatchState.WAITING,
  BatchState.SUSPENDED,
  BatchState.RUNNING,
  BatchState.EXITING,
  BatchState.FINISHED,
  BatchState.FAILED,
  BatchState.UNKNOWN,
];
/** The table of docs/qq-behaviour.md §2.5, row by row, in the order of COLUMNS. */
const TABLE: Readonly<Record<NaiveState, readonly RealState[]>> = {
  unknown: [
    R.UNKNOWN,
    R.UNKNOWN,
    R.UNKNOWN,
    R.UNKNOWN,
    R.UNKNOWN,
    R.UNKNOWN,
    R.UNKNOWN,
    R.UNKNOWN,
    R.UNKNOWN,
    R.UNKNOWN,
  ],
  queued: [R.QUEUED, R.QUEUED, R.HELD, R.WAITING, R.SUSPENDED, R.BOOTING, I, I, I, I],
  running: [I, I, I, I, R.SUSPENDED, R.RUNNING, I, I, I, I],
  killed: [
    R.KILLED,
    R.KILLED,
    R.KILLED,
    R.KILLED,
    R.KILLED,
    R.EXITING,
    R.KILLED,
    R.KILLED,
    R.KILLED,
    R.KILLED,
  ],
  finished: [I, R.FINISHED, I, I, R.FINISHED, R.EXITING, R.FINISHED, R.FINISHED, I, R.FINISHED],
  failed: [I, R.FAILED, I, I, R.FAILED, R.EXITING, R.FAILED, I, R.FAILED, R.FAILED],
};

/** qq's RealState.from_states (docs/qq-behaviour.md §2.5). */
export function realStateFrom(naive: NaiveState, batch: BatchState): RealState {
  const row = TABLE[naive];
  const result = row[COLUMNS.indexOf(batch)];
  if (result === undefined) throw new Error(`no real state for ${naive}/${batch}`);
  return result;
}
