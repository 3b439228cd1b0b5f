/**
 * The one way a byte count is written for people, in two styles that both stay as they were
 * (messages must not change):
 * - `rounded` (summaries, logs): `100 B`, `1.5 MiB`: one decimal from KiB up.
 * - `exact` (a limit named in a message, where a rounded number would misstate it): a whole
 *   number of MiB or KiB when it is one (`64 MiB`, `512 KiB`), else `100 bytes`.
 */
export function formatBytes(n: number, style: 'rounded' | 'exact' = 'rounded'): string {
  return style === 'exact' ? exactBytes(n) : roundedBytes(n);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function roundedBytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${UNITS[i]}`;
}

function exactBytes(n: number): string {
  const MiB = 1024 * 1024;
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
