/**
 * How often progress lines are shown (restic's `NewUpdater(interval, report)` idea): the worker
 * only counts and says how its count reads as a line; this one place decides when a line is
 * shown. Used by the copier, rsync's progress through a pipe, and the streams' total.
 */

/** Milliseconds between progress lines when the caller does not say (`progressEveryMs`). */
export const PROGRESS_EVERY_MS = 5000;

/**
 * A function to offer a progress line through: the line goes to `show` when at least `everyMs`
 * have passed since the last one shown, and is dropped otherwise. `line` is called only then
 * (the wording costs nothing between lines); when it gives undefined (nothing worth showing),
 * nothing is shown and the next offer may show at once. Without `show`, nothing is ever shown.
 * The first line may come at once, or, with `fromNow`, only `everyMs` after this call.
 */
export function throttle(
  show: ((line: string) => void) | undefined,
  everyMs: number = PROGRESS_EVERY_MS,
  { fromNow = false }: { fromNow?: boolean } = {},
): (line: () => string | undefined) => void {
  let last = fromNow ? Date.now() : 0;
  return (line) => {
    if (!show) return;
    const now = Date.now();
    if (now - last < everyMs) return;
    const text = line();
    if (text === undefined) return;
    last = now;
    show(text);
  };
}
