/**
 * Times for fs.utimes / lutimes / futimes, from a Stats' milliseconds.
 *
 * Node takes a number of seconds below 0 for "now" (toUnixTimestamp in lib/internal/fs/utils),
 * so a time before 1970 (a job's tree may hold one; rsync -t keeps it) must go as a Date. A
 * Date holds whole milliseconds: floored, so the whole second (what rsync compares) stays the
 * same. From 1970 on, the number keeps what libuv keeps (microseconds).
 */
export function fsTime(ms: number): number | Date {
  return ms >= 0 ? ms / 1000 : new Date(Math.floor(ms));
}

/** `fsTime` of a time in (possibly fractional) seconds. */
export function fsTimeSec(sec: number): number | Date {
  return fsTime(sec * 1000);
}
