/**
 * This host's names, from the real resolver, against the real oracle: Python's
 * socket.getfqdn() and socket.gethostname(), which qq compares the main node with.
 */
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { fqdnOf, localHostNames, resolveLocalNames } from '../../src/exec/hosts.js';

function python(code: string): string | undefined {
  try {
    return execFileSync('python3', ['-c', code], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

describe('fqdnOf (getfqdn picks among the names of an address)', () => {
  it('the first name with a dot, else the canonical name, else the host name', () => {
    expect(fqdnOf(['node1', 'node1.cluster.org', 'n1.x.org'], 'h')).toBe('node1.cluster.org');
    expect(fqdnOf(['localhost', 'vm'], 'vm')).toBe('localhost');
    expect(fqdnOf([], 'vm')).toBe('vm');
  });
});

describe('localHostNames', () => {
  it("gives Python's getfqdn() first and gethostname() next, asked once", async () => {
    const names = await localHostNames();
    const oracle = python('import socket; print(socket.getfqdn()); print(socket.gethostname())');
    if (oracle === undefined && process.env.CI === 'true') throw new Error('python3 is missing');
    if (oracle !== undefined) {
      const [fqdn, short] = oracle.split('\n');
      expect(names[0]).toBe(fqdn);
      expect(names).toContain(short);
    }
    expect(names).toContain(hostname());
    expect(new Set(names).size).toBe(names.length);
    expect(localHostNames()).toBe(localHostNames());
  });

  it('a name the resolver does not know: getfqdn() is the name itself', async () => {
    const n = await resolveLocalNames('no-such-host.invalid');
    expect(n).toEqual({
      hostname: 'no-such-host.invalid',
      fqdn: 'no-such-host.invalid',
      resolved: [],
    });
    const oracle = python('import socket; print(socket.getfqdn("no-such-host.invalid"))');
    if (oracle !== undefined) expect(oracle).toBe(n.fqdn);
  });
});
