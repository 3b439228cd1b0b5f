/**
 * The cores `streams: auto` may use, from sample contents of /proc/self/cgroup and the cgroup
 * files (cgroup v2, v1, a hybrid host): the affinity's count within the smallest quota on the
 * way up. test/transfer/cores-process.test.ts checks the reader in a real child under taskset
 * and in a real cgroup.
 */
import { describe, expect, it } from 'vitest';
import { bwlimitShare, maxStreams } from '../../src/action/fetch/bwlimit.js';
import { cgroupCores, cpuMaxCores, quotaCores, usableCoresOf } from '../../src/util/cores.js';

/** A reader over a fixed set of files. */
const files =
  (map: Record<string, string>) =>
  (file: string): string | undefined =>
    map[file];

const V2 = '0::/user.slice/user-1000.slice/session-3.scope\n';

describe('cgroup quota arithmetic', () => {
  it('rounds a quota up to whole cores, at least 1; no quota is no limit', () => {
    expect(quotaCores(150_000, 100_000)).toBe(2);
    expect(quotaCores(100_000, 100_000)).toBe(1);
    expect(quotaCores(10_000, 100_000)).toBe(1);
    expect(quotaCores(-1, 100_000)).toBeUndefined();
    expect(quotaCores(Number.NaN, 100_000)).toBeUndefined();
    expect(cpuMaxCores('max 100000\n')).toBeUndefined();
    expect(cpuMaxCores('250000 100000\n')).toBe(3);
    expect(cpuMaxCores('garbage')).toBeUndefined();
    expect(cpuMaxCores(undefined)).toBeUndefined();
  });

  it('v2: the smallest cpu.max from the process cgroup up to the root', () => {
    const read = files({
      '/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope/cpu.max': 'max 100000\n',
      '/sys/fs/cgroup/user.slice/user-1000.slice/cpu.max': '200000 100000\n',
      '/sys/fs/cgroup/user.slice/cpu.max': '400000 100000\n',
    });
    expect(cgroupCores(V2, read)).toBe(2);
    expect(usableCoresOf(64, V2, read)).toBe(2);
    // The affinity is smaller still: it wins.
    expect(usableCoresOf(1, V2, read)).toBe(1);
  });

  it('v2 with no cpu.max anywhere (the root has none): the affinity alone', () => {
    expect(cgroupCores('0::/\n', files({}))).toBeUndefined();
    expect(usableCoresOf(12, '0::/\n', files({}))).toBe(12);
    expect(usableCoresOf(12, '', files({}))).toBe(12);
  });

  it('v1: cpu.cfs_quota_us over cpu.cfs_period_us of the cpu controller, -1 is no limit', () => {
    const cg = '12:memory:/slurm/uid_1000/job_7\n4:cpu,cpuacct:/slurm/uid_1000/job_7\n0::/\n';
    const read = files({
      '/sys/fs/cgroup/cpu,cpuacct/slurm/uid_1000/job_7/cpu.cfs_quota_us': '300000\n',
      '/sys/fs/cgroup/cpu,cpuacct/slurm/uid_1000/job_7/cpu.cfs_period_us': '100000\n',
      '/sys/fs/cgroup/cpu,cpuacct/slurm/cpu.cfs_quota_us': '-1\n',
      '/sys/fs/cgroup/cpu,cpuacct/slurm/cpu.cfs_period_us': '100000\n',
    });
    expect(usableCoresOf(8, cg, read)).toBe(3);
    // The memory controller's files are not read for the CPU.
    expect(
      cgroupCores('3:memory:/a\n', files({ '/sys/fs/cgroup/memory/a/cpu.cfs_quota_us': '1' })),
    ).toBeUndefined();
  });

  it('a hybrid host: v1 cpu and the unified v2 mount both count', () => {
    const cg = '1:cpu:/box\n0::/box\n';
    const read = files({
      '/sys/fs/cgroup/cpu/box/cpu.cfs_quota_us': '-1',
      '/sys/fs/cgroup/cpu/box/cpu.cfs_period_us': '100000',
      '/sys/fs/cgroup/unified/box/cpu.max': '50000 100000',
    });
    expect(usableCoresOf(4, cg, read)).toBe(1);
  });

  it('a path in /proc/self/cgroup cannot lead the reads out of the cgroup mount', () => {
    const read: string[] = [];
    cgroupCores('0::/../../../etc\n', (f) => {
      read.push(f);
      return undefined;
    });
    for (const f of read) expect(f.startsWith('/sys/fs/cgroup/')).toBe(true);
  });
});

describe('bwlimit divided over the rsyncs that may run at once', () => {
  const base = { bwlimit: 1000, parallel: 4, streams: 1 as number | 'auto' };
  it('total over jobs at once × streams, floored, at least 1 KiB/s', () => {
    expect(bwlimitShare(base, 1, 2)).toBe(1000);
    expect(bwlimitShare(base, 10, 2)).toBe(250);
    expect(bwlimitShare({ ...base, parallel: 2 }, 10, 2)).toBe(500);
    expect(bwlimitShare({ ...base, streams: 3 }, 1, 2)).toBe(333);
    expect(bwlimitShare({ ...base, bwlimit: 3, parallel: 64 }, 100, 2)).toBe(1);
    expect(bwlimitShare({ ...base, bwlimit: undefined }, 1, 2)).toBeUndefined();
  });
  it('streams: auto counts the usable cores (at most 8)', () => {
    expect(maxStreams('auto', 1)).toBe(1);
    expect(maxStreams('auto', 2)).toBe(2);
    expect(maxStreams('auto', 64)).toBe(8);
    expect(maxStreams(5, 1)).toBe(5);
    expect(bwlimitShare({ ...base, streams: 'auto' }, 1, 2)).toBe(500);
  });
});
