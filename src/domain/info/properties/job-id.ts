/**
 * qq's `Informer.matches_job`: two job ids name the same job when the parts before the first
 * `.` are equal (`12345` matches `12345.pbs-m1.metacentrum.cz`).
 */
export function jobIdMatches(a: string, b: string): boolean {
  const head = (s: string) => {
    const i = s.indexOf('.');
    return i < 0 ? s : s.slice(0, i);
  };
  return head(a) === head(b);
}
