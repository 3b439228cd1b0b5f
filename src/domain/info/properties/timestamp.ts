const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?$/;

/**
 * A qq timestamp to `YYYY-MM-DD HH:MM:SS`. qq writes exactly that form (strptime
 * `%Y-%m-%d %H:%M:%S`); the YAML 1.1 timestamp forms that PyYAML turns into a datetime are
 * accepted too (fraction and zone dropped, as qq's strftime drops them). Undefined if invalid.
 */
export function normalizeTimestamp(s: string): string | undefined {
  const m = TIMESTAMP.exec(s.trim());
  if (!m) return undefined;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0] = m
    .slice(1, 7)
    .map((x) => Number.parseInt(x ?? '', 10));
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > dim || h > 23 || mi > 59 || se > 59) return undefined;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}:${p(se)}`;
}
