import { QQError } from '../../errors.js';

const SECONDS: Readonly<Record<string, number>> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/** qq's `wdhms_to_hhmmss`: `1w2d3h4m5s` → `195:04:05`; empty → `0:00:00`. */
export function wdhmsToHhmmss(timestr: string): string {
  if (timestr.trim() === '') return '0:00:00';
  if (!/^\s*(?:\d+\s*[wdhms]\s*)+$/i.test(timestr)) {
    throw new QQError(`Invalid time string '${timestr}'.`);
  }
  let total = 0;
  for (const [, n = '0', unit = ''] of timestr.matchAll(/(\d+)\s*([wdhms])/gi)) {
    total += Number.parseInt(n, 10) * (SECONDS[unit.toLowerCase()] ?? 0);
  }
  const h = Math.floor(total / 3600);
  const mm = Math.floor((total % 3600) / 60);
  const ss = total % 60;
  return `${h}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}
