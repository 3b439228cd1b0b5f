/**
 * What `@actions/cache` says while it saves or restores, read from stdout. The library reports
 * failures only in the log: a failed reservation becomes "another job may be creating this
 * cache" whatever the cause (a refused connection, a denied token), and the cause itself goes to
 * a `::debug::` line. To name the real cause in one warning of ours, its warning/error
 * annotations and that misleading line are held back while the call runs, and the cause is
 * taken from them; every other line (progress, debug) goes through unchanged.
 *
 * Lines inside a `::stop-commands::` fence are text from the cluster printed by another job
 * meanwhile: passed through untouched, never read as the library's.
 */

/** How @actions/cache words the failures it logs as annotations. */
const LIBRARY_FAILURE =
  /^(Failed to (save|restore): |Cache reservation failed: |Unable to (reserve|finalize) cache )/;

export interface LibraryMessages {
  /** The most specific failure the library reported, or undefined. */
  cause(): string | undefined;
}

/** `%0A` and friends back to text (core's escapeData), then the first line without `Error: `. */
function firstLineOf(data: string): string {
  const text = data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  return (text.split(/\r?\n/)[0] ?? '').replace(/^(\w*Error: )+/, '').trim();
}

/**
 * Hold the library's failure messages back from now on; `done()` puts stdout back (call it
 * when the call's result is no longer awaited, also after a timeout).
 */
export function captureLibraryMessages(): LibraryMessages & { done(): void } {
  const original = process.stdout.write;
  let reserveCause: string | undefined;
  const reported: string[] = [];
  let fence: string | undefined;
  const hold = (line: string): boolean => {
    if (fence !== undefined) {
      if (line === `::${fence}::`) fence = undefined;
      return false;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) {
      fence = stop[1];
      return false;
    }
    // Passed through: the debug line is only shown with step debug logging.
    const debug = /^::debug::Failed to reserve cache: (.*)$/.exec(line);
    if (debug) reserveCause = firstLineOf(debug[1] ?? '');
    // Only the library's own failure annotations: an annotation of this action written
    // meanwhile (a cancel's) must reach the log.
    const annotation = /^::(?:warning|error)(?: [^:]*)?::(.*)$/.exec(line);
    const text = annotation ? firstLineOf(annotation[1] ?? '') : '';
    if (LIBRARY_FAILURE.test(text)) {
      reported.push(text.replace(/^Failed to (save|restore): /, ''));
      return true;
    }
    // core.info of the misleading "another job may be creating this cache".
    if (/^Failed to save: Unable to reserve cache with key /.test(line)) return true;
    return false;
  };
  const write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    if (typeof chunk === 'string' && hold(chunk.replace(/\r?\n$/, ''))) {
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }
    return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  };
  process.stdout.write = write as typeof process.stdout.write;
  return {
    cause: () => reserveCause ?? reported.find((m) => !/another job may be/.test(m)) ?? reported[0],
    done: () => {
      if (process.stdout.write === write) process.stdout.write = original;
    },
  };
}
