/**
 * The cores a real process may use (src/util/cores.ts), read by a child Node as the action
 * reads them: under `taskset -c 0` (affinity: one core), and as root inside a real cgroup whose
 * CPU quota is one core (v1's cpu controller, or v2's cpu.max where v2 has the cpu controller).
 * The child joins the cgroup itself before it reads, so nothing races.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORES = join(import.meta.dirname, '../../src/util/cores.ts');

/** What a child Node reports, after joining `cgroupProcs` if given. */
function childCores(prefix: string[] = [], cgroupProcs?: string): number {
  const enter = cgroupProcs
    ? `require('node:fs').writeFileSync(${JSON.stringify(cgroupProcs)}, String(process.pid));`
    : '';
  const code = `${enter} import(${JSON.stringify(CORES)}).then((m) => console.log(m.usableCores()));`;
  const argv = [...prefix, process.execPath, '--import', 'tsx', '-e', code];
  const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout.trim());
}

/** A fresh cgroup `dir`, removed after `body` (retried: the kernel frees it just after the exit). */
function inCgroup(dir: string, body: () => void): void {
  mkdirSync(dir);
  try {
    body();
  } finally {
    for (let i = 0; i < 50; i++) {
      try {
        rmdirSync(dir);
        break;
      } catch {
        spawnSync('sleep', ['0.1']);
      }
    }
  }
}

const root = process.getuid?.() === 0;
const V1 = '/sys/fs/cgroup/cpu';
const v1 = root && existsSync(join(V1, 'cpu.cfs_quota_us'));
/** A v2 hierarchy that can take the cpu controller for its children. */
const V2 = ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'].find(
  (d) =>
    existsSync(join(d, 'cgroup.subtree_control')) &&
    /\bcpu\b/.test(readFileSync(join(d, 'cgroup.subtree_control'), 'utf8')),
);
const v2 = root && V2 !== undefined;

describe('usable cores of a real process', () => {
  it('without limits: the machine affinity of this process', () => {
    expect(childCores()).toBe(availableParallelism());
  });

  it('under taskset -c 0: one core', () => {
    expect(childCores(['taskset', '-c', '0'])).toBe(1);
  });

  it.skipIf(!v1)(
    'in a cgroup v1 whose parent has a quota of one core (as root, where v1 has the cpu controller)',
    () => {
      const parent = join(V1, `qq-sync-cores-${process.pid}`);
      inCgroup(parent, () => {
        writeFileSync(join(parent, 'cpu.cfs_period_us'), '100000');
        writeFileSync(join(parent, 'cpu.cfs_quota_us'), '100000');
        const child = join(parent, 'leaf');
        // The leaf has no quota of its own (-1): the parent's holds.
        inCgroup(child, () => {
          expect(childCores([], join(child, 'cgroup.procs'))).toBe(1);
        });
        writeFileSync(join(parent, 'cpu.cfs_quota_us'), '-1');
        expect(childCores([], join(parent, 'cgroup.procs'))).toBe(availableParallelism());
      });
    },
  );

  it.skipIf(!v2)(
    'in a cgroup v2 with cpu.max of one core (as root, where a v2 hierarchy has the cpu controller; not on this VM: cpu is bound to v1)',
    () => {
      const dir = join(V2 as string, `qq-sync-cores-${process.pid}`);
      inCgroup(dir, () => {
        writeFileSync(join(dir, 'cpu.max'), '100000 100000');
        expect(childCores([], join(dir, 'cgroup.procs'))).toBe(1);
      });
    },
  );
});
