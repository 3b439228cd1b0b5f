/**
 * A real single-node Slurm for tests and benchmarks: Debian's slurm-wlm (slurmctld + slurmd)
 * and munge, everything private to one temporary directory (own munge key and socket, own
 * ports, state, spool and logs), so that several copies can run side by side and nothing
 * touches the machine's own Slurm or munge.
 *
 * Needs root (slurmd runs jobs as their user; SlurmUser=root) and the `munge` user that the
 * Debian package creates. Accounting is off (accounting_storage/none): `sacct` exits 1 with
 * "Slurm accounting storage is disabled", which is the "job forgotten" path of qq.
 *
 *   const slurm = await startSlurm();
 *   await runCommand(['sinfo'], { env: { ...process.env, ...slurm.env }, timeoutMs: 10_000 });
 *   await slurm.stop();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from '../../src/exec/run.js';
import { freePort } from './ports.js';

export interface SlurmEnv {
  /** Variables to add to a child's environment: SLURM_CONF and a PATH with the Slurm binaries. */
  env: Record<string, string>;
  /** The private directory (config, state, spool, logs, munge). */
  dir: string;
  /** Where sbatch, scontrol, sacct, sinfo live. */
  binDir: string;
  nodeName: string;
  partition: string;
  cpus: number;
}

export interface StartedSlurm extends SlurmEnv {
  stop(): Promise<void>;
}

const SBIN = ['/usr/sbin', '/usr/bin', '/sbin'];

function findProgram(name: string, dirs: readonly string[] = SBIN): string | undefined {
  for (const d of dirs) if (existsSync(join(d, name))) return join(d, name);
  return undefined;
}

function userIds(name: string): { uid: number; gid: number } | undefined {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f[2] && f[3]) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return undefined;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Why Slurm cannot be started here, or undefined if it can be tried. */
export function slurmUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not running as root (slurmd and munged need root)';
  for (const p of ['munged', 'slurmctld', 'slurmd']) {
    if (!findProgram(p)) return `'${p}' is not installed (apt-get install slurm-wlm munge)`;
  }
  for (const p of ['sbatch', 'scontrol', 'sinfo', 'sacct']) {
    if (!findProgram(p, ['/usr/bin']))
      return `'${p}' is not installed (apt-get install slurm-client)`;
  }
  if (!userIds('munge')) return "there is no 'munge' user (apt-get install munge)";
  return undefined;
}

function daemon(
  argv: string[],
  logFile: string,
  env: NodeJS.ProcessEnv,
  ids?: { uid: number; gid: number },
): ChildProcess {
  const fd = openSync(logFile, 'a');
  const [file, ...args] = argv;
  const child = spawn(file as string, args, {
    env,
    stdio: ['ignore', fd, fd],
    detached: true,
    ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
  });
  closeSync(fd);
  child.on('error', () => {});
  return child;
}

async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
    } catch {}
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Start munged, slurmctld and slurmd in a fresh private directory and wait until the node is
 * idle. Throws (after cleaning up) with the daemons' log tails if it does not come up.
 */
export async function startSlurm(
  options: { cpus?: number; timeoutMs?: number } = {},
): Promise<StartedSlurm> {
  const reason = slurmUnavailableReason();
  if (reason) throw new Error(`cannot start Slurm: ${reason}`);
  const munge = userIds('munge') as { uid: number; gid: number };
  // More CPUs than the machine has (config_overrides): many test files run `sleep` jobs at once.
  const cpus = options.cpus ?? 64;
  const dir = mkdtempSync(join(tmpdir(), 'qq-slurm-'));
  chmodSync(dir, 0o755);
  const mungeDir = join(dir, 'munge');
  for (const d of ['state', 'spool', 'log', 'munge']) mkdirSync(join(dir, d));
  chownSync(mungeDir, munge.uid, munge.gid);
  chmodSync(mungeDir, 0o755); // munged requires the socket directory to be searchable by all
  const key = join(mungeDir, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o600 });
  chownSync(key, munge.uid, munge.gid);
  const socket = join(mungeDir, 'munge.socket');

  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    `# qq-sync test cluster (private to ${dir})
ClusterName=qqtest
SlurmctldHost=localhost
SlurmctldPort=${ctldPort}
SlurmdPort=${slurmdPort}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${socket}
SlurmUser=root
SlurmdUser=root
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/log/slurmctld.log
SlurmdLogFile=${dir}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
SchedulerType=sched/backfill
NodeName=localhost NodeAddr=127.0.0.1 CPUs=${cpus} State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
`,
  );
  const PATH = ['/usr/bin', '/usr/sbin', process.env.PATH ?? ''].filter(Boolean).join(':');
  const env: Record<string, string> = { SLURM_CONF: conf, PATH };
  const childEnv = { ...process.env, ...env };
  const children: ChildProcess[] = [];

  const stop = async () => {
    // Cancel every job of this private cluster first: slurmd does not kill running steps.
    try {
      await runCommand(['scancel', '--full', '--user=root'], { env: childEnv, timeoutMs: 10_000 });
      for (let i = 0; i < 40; i++) {
        const q = await runCommand(['squeue', '-h', '-o', '%i'], {
          env: childEnv,
          timeoutMs: 5_000,
        });
        if (q.code !== 0 || q.stdout.trim() === '') break;
        await sleep(250);
      }
    } catch {}
    for (const child of [...children].reverse()) await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    children.push(
      daemon(
        [
          findProgram('munged') as string,
          '-F',
          `--socket=${socket}`,
          `--key-file=${key}`,
          `--log-file=${join(mungeDir, 'munged.log')}`,
          `--pid-file=${join(mungeDir, 'munged.pid')}`,
          `--seed-file=${join(mungeDir, 'munged.seed')}`,
        ],
        join(dir, 'log', 'munged.out'),
        childEnv,
        munge,
      ),
    );
    for (let i = 0; !existsSync(socket); i++) {
      if (i > 100 || children[0]?.exitCode !== null) {
        throw new Error(`munged did not start:\n${tail(join(dir, 'log', 'munged.out'))}`);
      }
      await sleep(100);
    }
    children.push(
      daemon(
        [findProgram('slurmctld') as string, '-D', '-c'],
        join(dir, 'log', 'slurmctld.out'),
        childEnv,
      ),
    );
    children.push(
      daemon(
        [findProgram('slurmd') as string, '-D', '-N', 'localhost'],
        join(dir, 'log', 'slurmd.out'),
        childEnv,
      ),
    );
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    let last = '';
    for (;;) {
      const r = await runCommand(['sinfo', '-h', '-n', 'localhost', '-o', '%t'], {
        env: childEnv,
        timeoutMs: 10_000,
      });
      last = `${r.stdout.trim()} ${r.stderr.trim()}`.trim();
      if (r.code === 0 && r.stdout.trim() === 'idle') break;
      const dead = children.find((c) => c.exitCode !== null);
      if (dead || Date.now() > deadline) {
        throw new Error(
          `Slurm did not become idle (last sinfo: '${last}'):\n--- slurmctld\n${tail(
            join(dir, 'log', 'slurmctld.out'),
          )}\n--- slurmd\n${tail(join(dir, 'log', 'slurmd.out'))}`,
        );
      }
      await sleep(200);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { env, dir, binDir: '/usr/bin', nodeName: 'localhost', partition: 'debug', cpus, stop };
}

/* ------------------------------------------------------------------------------------------
 * Helpers to drive the test cluster (tests, e2e tests, benchmark).
 * ---------------------------------------------------------------------------------------- */

export type SlurmEnvVars = Record<string, string>;

function fullEnv(env: SlurmEnvVars): NodeJS.ProcessEnv {
  return { ...process.env, ...env };
}

/** Run a Slurm client command against the test cluster; throws on a non-zero exit. */
export async function slurmRun(
  env: SlurmEnvVars,
  argv: string[],
  options: { cwd?: string; allowFailure?: boolean } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = await runCommand(argv, { env: fullEnv(env), cwd: options.cwd, timeoutMs: 30_000 });
  if (!options.allowFailure && r.code !== 0) {
    throw new Error(`${argv.join(' ')} failed (exit ${r.code}): ${r.stderr.trim()}`);
  }
  return r;
}

/** `sbatch --parsable <args>` in `cwd`; returns the job id. */
export async function sbatch(env: SlurmEnvVars, args: string[], cwd?: string): Promise<string> {
  const r = await slurmRun(env, ['sbatch', '--parsable', ...args], { cwd });
  const id = r.stdout.trim().split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed no job id: '${r.stdout}'`);
  return id;
}

/** The job's raw JobState and Reason from `scontrol show job -o` (undefined if unknown). */
export async function jobStateOf(
  env: SlurmEnvVars,
  id: string,
): Promise<{ state: string; reason: string } | undefined> {
  const r = await slurmRun(env, ['scontrol', 'show', 'job', id, '-o'], { allowFailure: true });
  if (r.code !== 0) return undefined;
  const state = /\bJobState=(\S+)/.exec(r.stdout)?.[1] ?? '';
  const reason = /\bReason=(\S+)/.exec(r.stdout)?.[1] ?? '';
  return { state, reason };
}

/** Poll until the job's JobState is one of `states` (and, if given, its Reason matches). */
export async function waitForJob(
  env: SlurmEnvVars,
  id: string,
  states: string | string[],
  options: { reason?: RegExp; timeoutMs?: number } = {},
): Promise<{ state: string; reason: string }> {
  const want = Array.isArray(states) ? states : [states];
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: { state: string; reason: string } | undefined;
  for (;;) {
    last = await jobStateOf(env, id);
    if (
      last &&
      want.includes(last.state) &&
      (!options.reason || options.reason.test(last.reason))
    ) {
      return last;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `job ${id} did not reach ${want.join('/')}${options.reason ? ` (${options.reason})` : ''}; last: ${JSON.stringify(last)}`,
      );
    }
    await sleep(200);
  }
}

/** Cancel jobs (ignores errors: a finished job cannot be cancelled). */
export async function scancel(env: SlurmEnvVars, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await slurmRun(env, ['scancel', ...ids], { allowFailure: true });
}
