/** The one progress line of a job run as parallel streams (streams.ts). */
import { throttle } from '../../util/throttle.js';
import type { Counts } from '../transport.js';
import type { Plan } from './parts.js';

/** `1,234,567` as rsync writes byte counts. */
function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/** One progress line for all streams: bytes so far (finished parts plus running ones). */
export class Progress {
  private readonly running = new Map<number, number>();
  private doneBytes = 0;
  private doneParts = 0;
  private readonly offer: ReturnType<typeof throttle>;
  constructor(
    private readonly plan: Plan,
    private readonly streams: number,
    every: number | undefined,
    show: ((line: string) => void) | undefined,
  ) {
    this.offer = throttle(show, every);
  }
  /** An rsync progress2 line of part `i`: its first number is the bytes it has sent. */
  part(i: number, line: string): void {
    if (i < 0) return; // the directories' passes: no bytes
    const bytes = Number(/^[\d,]+/.exec(line)?.[0].replace(/,/g, '') ?? 0);
    this.running.set(i, bytes);
    this.emit();
  }
  finished(i: number, counts: Counts): void {
    if (i < 0) return;
    this.running.delete(i);
    this.doneBytes += counts.bytes;
    this.doneParts++;
    this.emit();
  }
  private emit(): void {
    this.offer(() => this.line());
  }
  private line(): string {
    let bytes = this.doneBytes;
    for (const b of this.running.values()) bytes += b;
    const total = this.plan.bytes;
    // A local listing of many files has no sizes (list.ts): the total is not known then.
    const of =
      total > 0
        ? `${grouped(bytes)} of ${grouped(total)} bytes ${Math.min(100, Math.floor((bytes / total) * 100))}%`
        : `${grouped(bytes)} bytes`;
    return `${of}, part ${this.doneParts}/${this.plan.parts.length} done, ${this.streams} streams`;
  }
}
