/**
 * The cores this process may use: on a shared login node that is not the machine's count but
 * what its CPU affinity (taskset, a batch system's cpuset) and its cgroup's CPU quota
 * (systemd's CPUQuota=, a container's --cpus) leave it. `streams: auto` starts no more rsyncs
 * than this. The arithmetic is pure over the files' contents (tested with samples); the reader
 * below only reads them.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';

/** Reads a file's text, or undefined where it does not exist or cannot be read. */
export type ReadText = (file: string) => string | undefined;

/** Cores a quota of `quota` µs per `period` µs allows: at least 1; undefined: no limit. */
export function quotaCores(quota: number, period: number): number | undefined {
  if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) {
    return undefined; // -1 (v1) or anything unreadable: no limit
  }
  return Math.max(1, Math.ceil(quota / period));
}

/** cgroup v2's `cpu.max` ("max 100000" or "150000 100000"). */
export function cpuMaxCores(text: string | undefined): number | undefined {
  const [quota, period] = (text ?? '').trim().split(/\s+/);
  if (quota === undefined || quota === 'max' || period === undefined) return undefined;
  return quotaCores(Number(quota), Number(period));
}

/** The directories from `leaf` up to `root`, both included (leaf outside root: root alone). */
function upTo(root: string, leaf: string): string[] {
  const dirs: string[] = [];
  let dir = path.join(root, leaf).replace(/\/+$/, '');
  while (dir.startsWith(`${root}/`)) {
    dirs.push(dir);
    dir = path.dirname(dir);
  }
  dirs.push(root);
  return dirs;
}

function smallest(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}

/**
 * The smallest CPU quota on the way from this process's cgroup to the root (a parent's limit
 * holds for its children), in cores; undefined: none. `procSelfCgroup` is /proc/self/cgroup's
 * text: `0::<path>` for cgroup v2, `<n>:<controllers>:<path>` for v1 (the `cpu` controller's
 * line counts). Both are read where both are mounted (a hybrid host).
 */
export function cgroupCores(
  procSelfCgroup: string,
  read: ReadText,
  mount = '/sys/fs/cgroup',
): number | undefined {
  const found: (number | undefined)[] = [];
  for (const line of procSelfCgroup.split('\n')) {
    const m = /^(\d+):([^:]*):(\/.*)$/.exec(line.trim());
    if (!m) continue;
    const [, id, controllers, cgroupPath] = m as unknown as [string, string, string, string];
    if (id === '0' && controllers === '') {
      // v2: mounted at /sys/fs/cgroup, or at /sys/fs/cgroup/unified on a hybrid host.
      for (const root of [mount, path.join(mount, 'unified')]) {
        for (const dir of upTo(root, cgroupPath)) {
          found.push(cpuMaxCores(read(path.join(dir, 'cpu.max'))));
        }
      }
    } else if (controllers.split(',').includes('cpu')) {
      // v1: the cpu controller's own hierarchy, mounted under one of its usual names.
      for (const name of ['cpu', 'cpu,cpuacct', 'cpuacct,cpu']) {
        for (const dir of upTo(path.join(mount, name), cgroupPath)) {
          const quota = read(path.join(dir, 'cpu.cfs_quota_us'));
          const period = read(path.join(dir, 'cpu.cfs_period_us'));
          if (quota === undefined || period === undefined) continue;
          found.push(quotaCores(Number(quota.trim()), Number(period.trim())));
        }
      }
    }
  }
  return smallest(found);
}

/** The cores this process may use: its affinity's count, within its cgroup's quota. */
export function usableCoresOf(affinity: number, procSelfCgroup: string, read: ReadText): number {
  const quota = cgroupCores(procSelfCgroup, read);
  return Math.max(1, Math.min(affinity, quota ?? affinity));
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

let cached: number | undefined;

/**
 * This process's usable cores (read once: a few small files). availableParallelism() is
 * sched_getaffinity's count on Linux (Node ≥ 18.14); elsewhere, no /proc: affinity alone.
 */
export function usableCores(): number {
  cached ??= usableCoresOf(availableParallelism(), readText('/proc/self/cgroup') ?? '', readText);
  return cached;
}
