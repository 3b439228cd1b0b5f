/**
 * The names of this host, to tell whether a job's main node is this machine (docs/qq-behaviour.md §6.3, §10.1):
 * the short name and the FQDN (`hostname -f`), asked once per run.
 */
import { hostname } from 'node:os';
import { runCommand } from './run.js';

let names: Promise<string[]> | undefined;

export function localHostNames(): Promise<string[]> {
  names ??= (async () => {
    const found = new Set([hostname()]);
    const fqdn = await runCommand(['hostname', '-f'], { timeoutMs: 5000 });
    const name = fqdn.code === 0 ? fqdn.stdout.trim() : '';
    if (name && !/\s/.test(name)) found.add(name);
    return [...found];
  })();
  return names;
}
