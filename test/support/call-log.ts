/**
 * Count the programs a process runs from outside it: a wrapper per program, first on PATH,
 * appends the call's argv to a log file and execs the program the rest of PATH names (a
 * counting wrapper, not a stub: the answer is the real one). The action keeps no count.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
/** Unit separator between the words of one logged call (no argv here holds that byte). */
const SEP = '\x1f';

/**
 * In `dir`, a wrapper for each of `names` that logs to `log`. `dir` must come first on the
 * PATH the wrapped process gets: the wrapper takes it off before it execs the program.
 */
export function argvLoggingBin(dir: string, names: readonly string[], log: string): string {
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    const file = join(dir, name);
    writeFileSync(
      file,
      [
        '#!/bin/sh',
        // Under a lock: each printf is a write of its own (one per argument: 500 job ids for
        // qstat), and two wrappers running at once interleaved them (scontrol's call was lost
        // inside qstat's line once in a full run).
        `exec 9>> ${quote(log)}`,
        'flock 9',
        `{ printf '%s' ${quote(name)}; for a in "$@"; do printf '${SEP}%s' "$a"; done; printf '\\n'; } >&9`,
        'exec 9>&-',
        `PATH="\${PATH#${quote(`${dir}:`)}}"; export PATH`,
        `exec ${quote(name)} "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(file, 0o755);
  }
  return dir;
}

/** The calls logged so far, each as its argv. */
export function loggedCalls(log: string): string[][] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(SEP));
}
