/** This host's names, from the real `hostname -f`, asked once per process. */
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { localHostNames } from '../../src/exec/hosts.js';

describe('localHostNames', () => {
  it("holds the short name and `hostname -f`'s answer, and is asked once", async () => {
    const names = await localHostNames();
    expect(names[0]).toBe(hostname());
    const fqdn = execFileSync('hostname', ['-f'], { encoding: 'utf8' }).trim();
    if (fqdn && !/\s/.test(fqdn)) expect(names).toContain(fqdn);
    expect(new Set(names).size).toBe(names.length);
    expect(localHostNames()).toBe(localHostNames());
  });
});
