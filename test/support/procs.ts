/**
 * The process table, read from /proc: which processes descend from a pid, and which of a set
 * seen earlier still live (same pid and start time, not a zombie) — to check that a cancelled
 * run leaves no program behind, whichever process group or session it was in.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  /** Start time in clock ticks since boot: tells a live process from a reused pid. */
  start: string;
  argv: string[];
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or parentheses.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return {
      pid,
      state: f[0] ?? '',
      ppid: Number(f[1]),
      pgid: Number(f[2]),
      sid: Number(f[3]),
      start: f[19] ?? '',
      argv,
    };
  } catch {
    return undefined;
  }
}

export function processTable(): Proc[] {
  const procs: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) procs.push(p);
  }
  return procs;
}

/** Every process below `pid` (children, their children, …), from one reading of the table. */
export function descendantsOf(pid: number, table: readonly Proc[] = processTable()): Proc[] {
  const found: Proc[] = [];
  let level = [pid];
  while (level.length > 0) {
    const next = table.filter((p) => level.includes(p.ppid));
    found.push(...next);
    level = next.map((p) => p.pid);
  }
  return found;
}

/** The ones of `seen` that still run (a zombie has ended; a reused pid is another process). */
export function stillRunning(seen: readonly Proc[]): Proc[] {
  return seen.filter((p) => {
    const now = readProc(p.pid);
    return now !== undefined && now.start === p.start && now.state !== 'Z';
  });
}

/** Running processes (not zombies) with `text` in their command line. */
export function mentioning(text: string): Proc[] {
  return processTable().filter((p) => p.state !== 'Z' && p.argv.some((a) => a.includes(text)));
}

export function describeProcs(procs: readonly Proc[]): string {
  return procs.map((p) => `${p.pid} (pgid ${p.pgid}, ${p.state}): ${p.argv.join(' ')}`).join('\n');
}
