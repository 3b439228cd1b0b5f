// States (docs/qq-behaviour.md §2; qq's tests/test_properties_states.py). The expected real-state table is
// written out here again from the spec, cell by cell, not imported from the code under test.
import { describe, expect, it } from 'vitest';
import {
  BatchState,
  batchStateFromCode,
  NaiveState,
  naiveStateFromString,
  REAL_STATE_NAMES,
  RealState,
  realStateFrom,
  realStateFromName,
  realStateToString,
} from '../../src/domain/states.js';

// Spec §2.5, copied row by row. Columns:
const COLS = [
  'QUEUED',
  'MOVING',
  'HELD',
  'WAITING',
  'SUSPENDED',
  'RUNNING',
  'EXITING',
  'FINISHED',
  'FAILED',
  'UNKNOWN',
] as const;
const X = 'IN_AN_INCONSISTENT_STATE';
const SPEC_TABLE: Record<string, string[]> = {
  unknown: [
    'UNKNOWN',
    'UNKNOWN',
    'UNKNOWN',
    'UNKNOWN',
    'UNKNOWN',
    'UNKNOWN',
    'UNKNOWN',
    'UNKNOWN',
    'UNKNOWN',
    'UNKNOWN',
  ],
  queued: ['QUEUED', 'QUEUED', 'HELD', 'WAITING', 'SUSPENDED', 'BOOTING', X, X, X, X],
  running: [X, X, X, X, 'SUSPENDED', 'RUNNING', X, X, X, X],
  killed: [
    'KILLED',
    'KILLED',
    'KILLED',
    'KILLED',
    'KILLED',
    'EXITING',
    'KILLED',
    'KILLED',
    'KILLED',
    'KILLED',
  ],
  finished: [X, 'FINISHED', X, X, 'FINISHED', 'EXITING', 'FINISHED', 'FINISHED', X, 'FINISHED'],
  failed: [X, 'FAILED', X, X, 'FAILED', 'EXITING', 'FAILED', X, 'FAILED', 'FAILED'],
};

const CELLS: [string, string, string][] = Object.entries(SPEC_TABLE).flatMap(([naive, row]) =>
  row.map((real, i): [string, string, string] => [naive, COLS[i] as string, real]),
);

describe('RealState from (naive, batch): docs/qq-behaviour.md §2.5', () => {
  it('the expected table has all 60 cells', () => {
    expect(CELLS).toHaveLength(60);
    expect(new Set(CELLS.map(([n, b]) => `${n}/${b}`)).size).toBe(60);
    // every naive and every batch state appears
    expect(new Set(CELLS.map(([n]) => n))).toEqual(new Set(Object.values(NaiveState)));
    expect(new Set(CELLS.map(([, b]) => b))).toEqual(new Set(Object.values(BatchState)));
  });

  it.each(CELLS)('naive %s + batch %s → %s', (naive, batch, real) => {
    expect(realStateFrom(naive as NaiveState, batch as BatchState)).toBe(real);
  });
});

describe('NaiveState.from_str', () => {
  const states = ['queued', 'running', 'failed', 'finished', 'killed', 'unknown'];
  it.each(states)('%s in lower and upper case', (s) => {
    expect(naiveStateFromString(s)).toBe(s);
    expect(naiveStateFromString(s.toUpperCase())).toBe(s);
    expect(naiveStateFromString(s[0]?.toUpperCase() + s.slice(1))).toBe(s);
  });
  it.each(['nonexistent', '', 'random', ' running', 'run'])('%j → unknown', (s) => {
    expect(naiveStateFromString(s)).toBe('unknown');
  });
  it('non-strings → unknown', () => {
    expect(naiveStateFromString(undefined)).toBe('unknown');
    expect(naiveStateFromString(null)).toBe('unknown');
    expect(naiveStateFromString(3)).toBe('unknown');
  });
});

describe('BatchState.from_code / to_code', () => {
  const codes: [string, string][] = [
    ['E', 'EXITING'],
    ['H', 'HELD'],
    ['Q', 'QUEUED'],
    ['R', 'RUNNING'],
    ['T', 'MOVING'],
    ['W', 'WAITING'],
    ['S', 'SUSPENDED'],
    ['F', 'FINISHED'],
    ['X', 'FAILED'],
  ];
  it.each(codes)('%s → %s', (code, state) => {
    expect(batchStateFromCode(code)).toBe(state);
  });
  it('lower-case codes are upper-cased', () => {
    expect(batchStateFromCode('e')).toBe('EXITING');
    expect(batchStateFromCode('r')).toBe('RUNNING');
  });
  it.each(['g', '', 'B', 'M', 'U', 'RR'])('%j → UNKNOWN', (code) => {
    expect(batchStateFromCode(code)).toBe('UNKNOWN');
  });
});

describe('RealState strings', () => {
  it('lower case, _ → space', () => {
    expect(realStateToString(RealState.IN_AN_INCONSISTENT_STATE)).toBe('in an inconsistent state');
    expect(realStateToString(RealState.RUNNING)).toBe('running');
    expect(realStateToString(RealState.BOOTING)).toBe('booting');
  });
  it('input names map back', () => {
    expect(realStateFromName('inconsistent')).toBe('IN_AN_INCONSISTENT_STATE');
    expect(realStateFromName('in an inconsistent state')).toBe('IN_AN_INCONSISTENT_STATE');
    expect(realStateFromName(' Failed ')).toBe('FAILED');
    expect(realStateFromName('nope')).toBeUndefined();
    expect(REAL_STATE_NAMES).toContain('inconsistent');
    expect(REAL_STATE_NAMES).toHaveLength(12);
  });
});
