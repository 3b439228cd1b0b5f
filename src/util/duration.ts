/**
 * Durations as users of other actions write them: a whole number of seconds (`600`), or whole
 * numbers with units (`90s`, `30m`, `3h`, `1d`, and sums such as `1h30m`). Pure.
 */

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds, or undefined when `text` is not a duration. */
export function parseDurationSec(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^(\d+[smhd])+$/.test(t)) return undefined;
  let total = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smhd])/g)) {
    total += Number(n) * (UNIT_SECONDS[unit as string] as number);
  }
  return total;
}
