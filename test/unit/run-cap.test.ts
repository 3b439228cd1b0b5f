/**
 * exec/run.ts's cap on what is read from a program: `yes` prints without end, so only the cap
 * (not the timeout, which is far away) can end it; the outcome says what was exceeded.
 */
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/exec/run.js';

describe('runCommand maxStdout', () => {
  it('kills a program whose stdout goes past the cap and says so', async () => {
    const r = await runCommand(['yes', 'qq'], { timeoutMs: 60_000, maxStdout: 1024 * 1024 });
    expect(r.outputExceeded).toBe('the output exceeded 1 MiB');
    expect(r.timedOut).toBe(false);
    expect(r.signal).toBe('SIGTERM');
    expect(r.stdout).toBe('');
  });

  it('streamed without keeping: a line longer than the line cap ends it too', async () => {
    const lines: string[] = [];
    // `tr` turns an endless stream of zeros into one endless line.
    const r = await runCommand(['sh', '-c', 'tr "\\0" x < /dev/zero'], {
      timeoutMs: 60_000,
      maxStdout: 512 * 1024 * 1024,
      discardStdout: true,
      onStdoutLine: (l) => lines.push(l),
    });
    expect(r.outputExceeded).toBe('a line of the output exceeded 4 MiB');
    expect(lines).toEqual([]);
    expect(r.stdout).toBe('');
  });

  it('an answer within the cap is read whole', async () => {
    const r = await runCommand(['printf', 'a\\nb\\n'], { timeoutMs: 60_000, maxStdout: 1024 });
    expect(r.outputExceeded).toBeUndefined();
    expect(r.stdout).toBe('a\nb\n');
  });
});
