import { QQError } from '../../errors.js';

/** One transfer mode (docs/qq-behaviour.md §1.3 #18): a named mode or an exit code. */
export type TransferMode = 'success' | 'failure' | 'always' | 'never' | number;

/** qq's `TransferMode.from_str`: case-insensitive names or an integer exit code. */
export function parseTransferMode(value: string | number): TransferMode {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new QQError(`Could not recognize a transfer mode variant '${value}'.`);
    }
    return value;
  }
  const s = value.toLowerCase().trim();
  if (s === 'success' || s === 'failure' || s === 'always' || s === 'never') return s;
  if (/^-?\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10);
  throw new QQError(`Could not recognize a transfer mode variant '${value}'.`);
}

/** qq's `TransferMode.should_transfer` for one mode. */
export function transferModeMatches(mode: TransferMode, exitCode: number): boolean {
  switch (mode) {
    case 'success':
      return exitCode === 0;
    case 'failure':
      return exitCode !== 0;
    case 'always':
      return true;
    case 'never':
      return false;
    default:
      return exitCode === mode;
  }
}
