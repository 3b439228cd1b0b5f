/**
 * How one input's text becomes a value: the parsers the table of inputs (table.ts) names. Each
 * takes the text with its default already applied and the input's name for its message; a bad
 * value is an InputError that names the input and, for enums, the allowed values.
 */

import * as path from 'node:path';
import { InputError } from '../../domain/errors.js';
import { REAL_STATE_NAMES, type RealState, realStateFromName } from '../../domain/states.js';
import { rsyncRsh } from '../../transfer/ssh/index.js';
import { parseDurationSec } from '../../util/duration.js';
import { listItems } from '../../util/list.js';

export type FailCondition = RealState | 'unsuitable';

/** What a parser knows besides the text: the input's name and the absolute workspace. */
export interface InputContext {
  name: string;
  workspace: string;
}

/** Turns an input's text into its setting, or throws an InputError naming the input. */
export type Parse<T> = (raw: string, input: InputContext) => T;

/** Non-empty trimmed lines. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** One of `allowed`, in any case, given back as `allowed` spells it. */
export function oneOf<T extends string>(allowed: readonly T[]): Parse<T> {
  return (text, { name }) => {
    const raw = text.trim();
    const found = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
    if (found === undefined) {
      throw new InputError(
        `Input '${name}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got '${raw}'.`,
      );
    }
    return found;
  };
}

export function bool(text: string, { name }: InputContext): boolean {
  // The YAML 1.2 core schema booleans, as core.getBooleanInput accepts them.
  const raw = text.trim();
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE', ''].includes(raw)) return false;
  throw new InputError(`Input '${name}' must be 'true' or 'false'; got '${raw}'.`);
}

export function integer(min: number, max: number): Parse<number> {
  return (text, { name }) => {
    const raw = text.trim();
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new InputError(
        `Input '${name}' must be a whole number from ${min} to ${max}; got '${raw}'.`,
      );
    }
    return Number(raw);
  };
}

/** `streams`: 'auto', or a number of parallel transfers from 1 to 32. */
export function streams(text: string, { name }: InputContext): number | 'auto' {
  const raw = text.trim();
  if (raw === '' || raw.toLowerCase() === 'auto') return 'auto';
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 32) {
    throw new InputError(
      `Input '${name}' must be 'auto' or a whole number from 1 to 32; got '${raw}'.`,
    );
  }
  return Number(raw);
}

/** Seconds: a whole number, or a duration with units (`90s`, `30m`, `3h`, `1h30m`). */
export function duration(min: number, max: number): Parse<number> {
  return (text, { name }) => {
    const raw = text.trim();
    const sec = parseDurationSec(raw);
    if (sec === undefined || sec < min || sec > max) {
      throw new InputError(
        `Input '${name}' must be a duration from ${min} to ${max} seconds: whole seconds ('600') or with units ('90s', '30m', '3h', '1h30m'); got '${raw}'.`,
      );
    }
    return sec;
  };
}

/** The `ssh-options` lines, refused here (before any scheduler call) if ssh or rsync could not take them. */
export function sshOptions(text: string): string[] {
  const optionLines = lines(text);
  rsyncRsh({ sshOptions: optionLines, strictHostKeyChecking: 'yes' });
  return optionLines;
}

/** A path relative to the workspace, made absolute; empty: undefined. */
export function workspacePath(text: string, { workspace }: InputContext): string | undefined {
  const raw = text.trim();
  return raw ? path.resolve(workspace, raw) : undefined;
}

/** Real states (qq's names, in any case) and the words of `extra`, as a list. */
export function conditions<E extends string>(extra: readonly E[]): Parse<Set<RealState | E>> {
  return (text, { name }) => {
    const out = new Set<RealState | E>();
    // qq's own form of the one state with spaces is accepted too: make it one item first.
    const items = listItems(text.replace(/in\s+an\s+inconsistent\s+state/gi, 'inconsistent'));
    for (const word of items) {
      const known = extra.find((e) => e === word.toLowerCase());
      if (known !== undefined) {
        out.add(known);
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
  };
}

/** rsync's multipliers of a `--bwlimit` rate: KiB/s without a suffix, as rsync reads it. */
const BW_UNITS: Record<string, number> = { '': 1, k: 1, m: 1024, g: 1024 ** 2 };
/** 1 TiB/s in KiB/s: more is surely a typo. */
const BW_MAX_KIB = 1024 ** 3;

/**
 * `bwlimit`: the whole step's transfer rate in KiB/s, as rsync's `--bwlimit` reads a rate: a
 * number (a fraction too) with an optional K, M or G (1024-based); `0` or empty: no limit
 * (undefined). Only our own whole number of KiB/s ever reaches rsync's argv, never this text.
 */
export function bwlimit(text: string, { name }: InputContext): number | undefined {
  const raw = text.trim();
  const m = /^(\d{1,12}(?:\.\d{1,6})?)([kmg]?)$/i.exec(raw);
  const kib = m ? Number(m[1]) * (BW_UNITS[(m[2] as string).toLowerCase()] as number) : Number.NaN;
  if (raw === '' || kib === 0) return undefined;
  if (!(kib >= 1 && kib <= BW_MAX_KIB)) {
    throw new InputError(
      `Input '${name}' must be a rate in KiB/s from 1 to ${BW_MAX_KIB}, optionally with rsync's suffix K, M or G ('500', '500K', '10M', '1.5G'), or 0 for no limit; got '${raw}'.`,
    );
  }
  return Math.floor(kib);
}
