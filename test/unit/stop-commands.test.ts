/**
 * src/exec/run.ts after a cancel (`stopAllCommands`): every live program's process group
 * ends — a grandchild too, and one that ignores SIGTERM gets SIGKILL — no new program starts,
 * and a clean-up program (`ssh -O exit`) still does. Real processes; this file is its own
 * process (vitest forks), so the module's stopped state touches no other test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { liveCommandCount, runCommand, stopAllCommands } from '../../src/exec/run.js';

/** Running (a zombie has ended: its parent died with it, nothing may reap it here). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('stopAllCommands', () => {
  it('ends every process group (SIGTERM, then SIGKILL), then refuses new programs but clean-up', async () => {
    // A shell whose background child ignores SIGTERM and then prints its pid.
    let printed: (pid: string) => void = () => {};
    const pidLine = new Promise<string>((r) => {
      printed = r;
    });
    const stubborn = runCommand(
      ['sh', '-c', 'sh -c \'trap "" TERM; echo $$; while :; do sleep 1; done\' & wait'],
      { timeoutMs: 60_000, onStdoutLine: (line) => printed(line) },
    );
    const plain = runCommand(['sleep', '60'], { timeoutMs: 60_000 });
    const grandchild = Number(await pidLine);
    expect(liveCommandCount()).toBe(2);
    stopAllCommands();
    const [a, b] = await Promise.all([stubborn, plain]);
    expect(b.signal).toBe('SIGTERM');
    expect(b.cancelled).toBe(true);
    expect(a.cancelled).toBe(true);
    expect(grandchild).toBeGreaterThan(0);
    // Its pipes close while it exits: the table may show it for a moment more.
    for (let i = 0; i < 40 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(grandchild)).toBe(false);
    expect(liveCommandCount()).toBe(0);

    const refused = await runCommand(['true'], { timeoutMs: 5_000 });
    expect(refused).toMatchObject({ code: null, cancelled: true, durationMs: 0 });
    const cleanup = await runCommand(['true'], { timeoutMs: 5_000, cleanup: true });
    expect(cleanup.code).toBe(0);
  });
});
