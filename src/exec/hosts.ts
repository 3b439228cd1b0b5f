/**
 * This host's names, to tell whether a job's main node is this machine, decided as qq decides
 * it (docs/qq-behaviour.md §6.3, §10.1): qq ≥ 0.10 compares the main node with Python's
 * `socket.getfqdn()`, qq ≤ 0.9 with `socket.gethostname()`.
 *
 * `getfqdn()` resolves `gethostname()` to its first address (getaddrinfo), looks that address
 * up (gethostbyaddr: a canonical name and aliases) and takes the first of those names with a
 * dot, else the canonical name; `gethostname()` when a lookup fails. Both lookups go through
 * the system's resolver here as well (Node's dns.lookup is getaddrinfo; `getent hosts <addr>`
 * is glibc's gethostbyaddr through nsswitch), so /etc/hosts, DNS and NIS give the answer they
 * give Python. The names returned: getfqdn() (qq ≥ 0.10), gethostname() (qq ≤ 0.9), and the
 * other names the resolver gives this machine's address — a main node named by one of those
 * is this machine, and copying locally reads the very files ssh to it would: a harmless
 * widening of qq's one comparison, as the short name is. Asked once per run.
 */
import { hostname } from 'node:os';
import { runCommand } from './run.js';

export interface LocalNames {
  /** `socket.gethostname()`. */
  hostname: string;
  /** What `socket.getfqdn()` gives here. */
  fqdn: string;
  /** The canonical name and aliases of this host's address (may be empty). */
  resolved: string[];
}

/** Python's choice among the names of an address: the first with a dot, else the first. */
export function fqdnOf(names: readonly string[], fallback: string): string {
  return names.find((n) => n.includes('.')) ?? names[0] ?? fallback;
}

/** gethostbyaddr through `getent hosts <address>`: `<address> <canonical> <alias>…`. */
async function namesOfAddress(address: string): Promise<string[]> {
  const r = await runCommand(['getent', 'hosts', address], { timeoutMs: 5000 });
  if (r.code !== 0) return [];
  const line = r.stdout.split('\n', 1)[0] ?? '';
  return line.trim().split(/\s+/).slice(1).filter(Boolean);
}

export async function resolveLocalNames(name = hostname()): Promise<LocalNames> {
  try {
    // node:dns on first use: most steps never ask (shared-storage: true, or no main node).
    const { address } = await process.getBuiltinModule('node:dns/promises').lookup(name);
    const resolved = await namesOfAddress(address);
    return { hostname: name, fqdn: fqdnOf(resolved, name), resolved };
  } catch {
    return { hostname: name, fqdn: name, resolved: [] };
  }
}

let names: Promise<string[]> | undefined;

/** getfqdn() first, then gethostname(), then the other names of this host's address. */
export function localHostNames(): Promise<string[]> {
  names ??= resolveLocalNames().then((n) => [
    ...new Set([n.fqdn, n.hostname, ...n.resolved].filter((h) => h && !/\s/.test(h))),
  ]);
  return names;
}
