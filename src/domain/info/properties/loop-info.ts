import { QQError } from '../../errors.js';
import { type Path, pyType, type Reader } from '../reader.js';
import type { TransferMode } from './transfer-mode.js';

/** The `loop_info` mapping (docs/qq-behaviour.md §1.5). */
export interface LoopInfo {
  start: number;
  end: number;
  archive: string;
  archiveFormat: string;
  current: number;
  archiveMode: TransferMode[];
}

/** `loop_info` as qq's `LoopInfo(**data)` builds and checks it, with qq's messages. */
export function readLoopInfo(r: Reader, v: unknown, path: Path): LoopInfo {
  if (!(v instanceof Map)) {
    throw r.invalid(`Field 'loop_info' must be a dict, got ${pyType(v)}`);
  }
  const int = (k: string): number => {
    const x = v.get(k);
    if (typeof x !== 'number' || !Number.isSafeInteger(x)) {
      throw new QQError(`Field '${k}' must be an int, got ${pyType(x)}.`);
    }
    return x;
  };
  const str = (k: string): string => {
    const x = v.get(k);
    if (typeof x !== 'string') throw new QQError(`Field '${k}' must be a str, got ${pyType(x)}.`);
    return x;
  };
  const start = int('start');
  const end = int('end');
  const archive = str('archive');
  const archiveFormat = str('archive_format');
  const current = int('current');
  const archiveMode = readArchiveMode(r, v.get('archive_mode'), [...path, 'archive_mode']);
  if (!end) throw new QQError("Attribute 'loop-end' is undefined.");
  if (start < 0) throw new QQError(`Attribute 'loop-start' (${start}) cannot be negative.`);
  if (start > end) {
    throw new QQError(
      `Attribute 'loop-start' (${start}) cannot be higher than 'loop-end' (${end}).`,
    );
  }
  if (current > end) {
    throw new QQError(
      `Current cycle number (${current}) cannot be higher than 'loop-end' (${end}).`,
    );
  }
  return { start, end, archive, archiveFormat, current, archiveMode };
}

/** `archive_mode`: a list of transfer modes, `['success']` when absent or empty. */
function readArchiveMode(r: Reader, am: unknown, path: Path): TransferMode[] {
  if (am === null || am === undefined) return ['success'];
  if (!Array.isArray(am) || !am.every((m) => typeof m === 'string' || typeof m === 'number')) {
    throw new QQError("Field 'archive_mode' must be a list of strings.");
  }
  const modes = r.transferModes(am, path, 'loop_info.archive_mode');
  return modes.length === 0 ? ['success'] : modes;
}
