/**
 * Signalling a program together with everything it started. run.ts spawns each program as the
 * leader of its own process group (`detached`), so a signal to the group also reaches what the
 * program started (rsync's ssh, its receiver): the one place that sends it, for a timeout, an
 * abort, and a cancelled run alike.
 */

/** What this needs of a ChildProcess (only run.ts imports child_process: no-shell.test.ts). */
interface Child {
  readonly pid?: number;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  kill(signal: NodeJS.Signals): boolean;
}

/**
 * `signal` to the process group `child` leads. If the group cannot be signalled (gone
 * already), the program itself gets it, when it still runs.
 */
export function signalGroup(child: Child, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}
