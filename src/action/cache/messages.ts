/**
 * What `@actions/cache` says while it saves or restores, read from stdout. The library reports
 * failures only in the log: a failed reservation becomes "another job may be creating this
 * cache" whatever the cause (a refused connection, a denied token), and the cause itself goes to
 * a `::debug::` line. To name the real cause in one warning of ours, the library's annotations
 * and that misleading line are held back, and the cause is taken from them; every other line
 * (progress, debug) goes through unchanged.
 *
 * Which lines are the library's: those written within the call's asynchronous context
 * (AsyncLocalStorage follows the library's promises, timers and sockets). So calls for several
 * jobs may run at once, each gets its own messages, a line written meanwhile by the rest of the
 * action (another job's log, a cancel's annotation) is never touched, and a call given up after
 * a timeout stays silent when it fails later.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LibraryMessages {
  /** The most specific failure the library reported, or undefined. */
  cause(): string | undefined;
}

/** `%0A` and friends back to text (core's escapeData), then the first line without `Error: `. */
function firstLineOf(data: string): string {
  const text = data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  return (text.split(/\r?\n/)[0] ?? '').replace(/^(\w*Error: )+/, '').trim();
}

class Collector implements LibraryMessages {
  private reserveCause: string | undefined;
  private readonly reported: string[] = [];

  /** True: the line is held back. */
  hold(line: string): boolean {
    // Passed through: the debug line is only shown with step debug logging.
    const debug = /^::debug::Failed to reserve cache: (.*)$/.exec(line);
    if (debug) this.reserveCause = firstLineOf(debug[1] ?? '');
    const annotation = /^::(?:warning|error)(?: [^:]*)?::(.*)$/.exec(line);
    if (annotation) {
      this.reported.push(
        firstLineOf(annotation[1] ?? '').replace(/^Failed to (save|restore): /, ''),
      );
      return true;
    }
    // core.info of the misleading "another job may be creating this cache".
    return /^Failed to save: Unable to reserve cache with key /.test(line);
  }

  cause(): string | undefined {
    return (
      this.reserveCause ??
      this.reported.find((m) => !/another job may be/.test(m)) ??
      this.reported[0]
    );
  }
}

const context = new AsyncLocalStorage<Collector>();
let installed = false;

/** Route stdout writes made within a capture to its collector (installed once). */
function install(): void {
  if (installed) return;
  installed = true;
  const original = process.stdout.write;
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    const collector = context.getStore();
    if (collector && typeof chunk === 'string' && collector.hold(chunk.replace(/\r?\n$/, ''))) {
      (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
      return true;
    }
    return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stdout.write;
}

/** Start `call` with its library messages collected; the promise is `call`'s. */
export function withLibraryMessages<T>(call: () => Promise<T>): {
  result: Promise<T>;
  messages: LibraryMessages;
} {
  install();
  const collector = new Collector();
  return { result: context.run(collector, call), messages: collector };
}
