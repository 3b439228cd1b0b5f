import { QQError } from '../../errors.js';

/** A size, in kilobytes (powers of 1024), as qq stores it: `{value: <kB>}`. */
export interface Size {
  value: number;
}

const UNIT_KB: Readonly<Record<string, number>> = {
  kb: 1,
  mb: 1024,
  gb: 1024 ** 2,
  tb: 1024 ** 3,
  pb: 1024 ** 4,
};

/** qq's `Size(value, unit)`: bytes round up to one kilobyte unless zero. */
export function sizeFrom(value: number, unitIn: string): Size {
  const unit = unitIn.toLowerCase();
  const factor = UNIT_KB[unit];
  if (factor === undefined) {
    if (unit === 'b') return { value: value === 0 ? 0 : 1 };
    throw new QQError(`Unsupported unit for size '${unit}'.`);
  }
  return { value: value * factor };
}

/** qq's `Size.from_string`: `8gb`, `8 GB`, `8g` (kb/mb/gb/tb/pb, powers of 1024). */
export function parseSizeString(s: string): Size {
  const m = /^\s*(\d+)\s*([a-zA-Z]+)\s*$/.exec(s);
  const [, digits, unitText] = m ?? [];
  if (digits === undefined || unitText === undefined) {
    throw new QQError(`Invalid size string: '${s}'.`);
  }
  const unit = unitText.length === 1 && unitText !== 'b' ? `${unitText.toLowerCase()}b` : unitText;
  return sizeFrom(Number.parseInt(digits, 10), unit);
}
