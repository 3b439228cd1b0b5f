/**
 * A real single-node OpenPBS (PBS Pro's open-source edition) for tests and benchmarks: server,
 * scheduler, comm and mom on this machine, built from source by
 * test/support/pbs/build-openpbs.sh into /opt/pbs.
 *
 * Unlike the test Slurm, PBS cannot be made private: its ports are fixed (15001-15004, 15007
 * for its own PostgreSQL, 17001), its configuration is /etc/pbs.conf and its home
 * /var/spool/pbs. So one runs per machine: a PBS that already answers is reused as it is and
 * left running; one this module starts is stopped by `stop()`.
 *
 * PBS refuses jobs from root: jobs are submitted as an unprivileged user made for the tests
 * (`qqpbs`). root, on the server host, is a PBS manager (qdel, qhold, qsig, qmgr).
 *
 *   const pbs = await startPbs();
 *   const id = await pbsSubmit(pbs, ['--', '/bin/sleep', '60']);
 *   await waitForPbsJob(pbs, id, 'R');
 *   await pbs.stop();
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../../src/exec/run.js';
import type { ProvidedPbs } from '../setup/pbs.global.js';

const here = new URL('.', import.meta.url).pathname;
const projectRoot = resolve(here, '../..');

export const OPENPBS_TARBALL = 'openpbs-cd7ab5e.tar.gz';
/** Where OpenPBS is (or will be) installed. */
export const PBS_EXEC = process.env.QQ_SYNC_OPENPBS_PREFIX || '/opt/pbs';
const PBS_CONF = '/etc/pbs.conf';
const PBS_HOME = '/var/spool/pbs';
/** The unprivileged user that submits the test jobs. */
export const PBS_TEST_USER = 'qqpbs';
export const BUILD_SCRIPT = join(projectRoot, 'test', 'support', 'pbs', 'build-openpbs.sh');
const HOSTS_MARK = '# qq-sync test PBS: a non-loopback address for this host';

/** The source tarball: QQ_SYNC_OPENPBS_SRC, else the workplace's vendored copy. */
export function openpbsSource(): string {
  return (
    process.env.QQ_SYNC_OPENPBS_SRC ||
    resolve(projectRoot, '..', 'shared', 'vendor', OPENPBS_TARBALL)
  );
}

export interface PbsUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface PbsEnv {
  /** Variables to add to a child's environment: a PATH with the PBS client commands first. */
  env: Record<string, string>;
  /** Where qstat, qsub, qdel, qhold, qsig live. */
  binDir: string;
  /** The default server's name (what qstat completes a bare job id with). */
  server: string;
  /** The execution node's name (its mom). */
  node: string;
  user: PbsUser;
  /** True when a PBS that was already running is used (then `stop()` leaves it running). */
  reused: boolean;
  /** The installed version (`qstat --version`). */
  version: string;
}

export interface StartedPbs extends PbsEnv {
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const installed = () =>
  ['sbin/pbs_server.bin', 'bin/qstat', 'libexec/pbs_postinstall', 'libexec/pbs_init.d'].every((f) =>
    existsSync(join(PBS_EXEC, f)),
  );

/**
 * Why the real PBS cannot be used here, or undefined if it can be tried. The message says how
 * to provide what is missing.
 */
export function pbsUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (installed()) {
    if (process.getuid?.() !== 0 && !pbsAnswersSync()) {
      return `not running as root (starting PBS needs root) and no PBS is running`;
    }
    return undefined;
  }
  if (!existsSync(openpbsSource())) {
    return (
      `OpenPBS is not installed at ${PBS_EXEC} and its source is not at hand: ` +
      `set QQ_SYNC_OPENPBS_SRC to the path of ${OPENPBS_TARBALL} (OpenPBS main at cd7ab5e) ` +
      `and run the tests as root, or build it with ${BUILD_SCRIPT}`
    );
  }
  if (process.getuid?.() !== 0) return `not running as root (building OpenPBS needs root)`;
  return undefined;
}

function bin(name: string): string {
  return join(PBS_EXEC, 'bin', name);
}

function clientEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(PBS_EXEC, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
  };
}

function pbsAnswersSync(): boolean {
  const r = spawnSync(bin('qstat'), ['-B'], { timeout: 10_000, env: clientEnv() });
  return r.status === 0;
}

/** Run a PBS command as root (a manager); throws on a non-zero exit unless allowed. */
export async function pbsAdmin(
  argv: string[],
  options: { allowFailure?: boolean; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [name, ...args] = argv;
  const file = name?.startsWith('/') ? name : existsSync(bin(name ?? '')) ? bin(name ?? '') : name;
  const r = await runCommand([file as string, ...args], {
    env: clientEnv(),
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  if (!options.allowFailure && r.code !== 0) {
    throw new Error(`${argv.join(' ')} failed (exit ${r.code}): ${r.stderr.trim()}`);
  }
  return r;
}

/** Whether a PBS answers with an active server and a usable execution node. */
async function pbsHealthy(): Promise<{ ok: boolean; why: string }> {
  const s = await pbsAdmin(['qstat', '-Bf'], { allowFailure: true, timeoutMs: 10_000 });
  if (s.code !== 0) return { ok: false, why: `qstat -Bf: exit ${s.code} ${s.stderr.trim()}` };
  if (!/server_state = Active/.test(s.stdout)) return { ok: false, why: 'server not Active' };
  const n = await pbsAdmin(['pbsnodes', '-a'], { allowFailure: true, timeoutMs: 10_000 });
  const states = [...n.stdout.matchAll(/^\s+state = (.+)$/gm)].map((m) => m[1] ?? '');
  if (n.code !== 0 || states.length === 0) return { ok: false, why: 'no execution node' };
  if (states.some((st) => /down|offline|unknown|stale/.test(st))) {
    return { ok: false, why: `node state '${states.join(', ')}'` };
  }
  return { ok: true, why: '' };
}

function readConf(): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(PBS_CONF)) return out;
  for (const line of readFileSync(PBS_CONF, 'utf8').split('\n')) {
    const m = /^\s*([A-Z_]+)=(.*)$/.exec(line);
    if (m?.[1]) out[m[1]] = (m[2] ?? '').trim();
  }
  return out;
}

function ensureUser(): PbsUser {
  const find = () =>
    readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((l) => l.split(':'))
      .find((f) => f[0] === PBS_TEST_USER);
  let f = find();
  if (!f) {
    execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', PBS_TEST_USER], {
      stdio: 'pipe',
    });
    f = find();
  }
  if (!f) throw new Error(`could not create the test user '${PBS_TEST_USER}'`);
  return { name: PBS_TEST_USER, uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/tmp' };
}

/** An IPv4 address of this machine that is not loopback (PBS ignores loopback addresses). */
function ownAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

/**
 * PBS ignores loopback addresses: when the host name resolves only to 127.x, every daemon
 * fails with "Could not find any usable IP address". Add a line with an address of this
 * machine (never a remote one) for the host name, once.
 */
function ensureHostsLine(host: string): void {
  const hosts = readFileSync('/etc/hosts', 'utf8');
  const names = (line: string) => line.replace(/#.*/, '').trim().split(/\s+/);
  const nonLoopback = hosts
    .split('\n')
    .map(names)
    .some((f) => f.length > 1 && f[0] && !/^127\.|^::1$/.test(f[0]) && f.slice(1).includes(host));
  if (nonLoopback) return;
  const addr = ownAddress();
  if (!addr) {
    throw new Error(
      `PBS needs a non-loopback address for '${host}' in /etc/hosts and this machine has none`,
    );
  }
  appendFileSync(
    '/etc/hosts',
    `${hosts.endsWith('\n') ? '' : '\n'}${addr} ${host} ${HOSTS_MARK}\n`,
  );
}

async function buildIfMissing(log: (m: string) => void): Promise<void> {
  if (installed()) return;
  log(`OpenPBS is not installed at ${PBS_EXEC}: building it from ${openpbsSource()} (minutes)`);
  const r = await runCommand(['bash', BUILD_SCRIPT], {
    env: { ...process.env, QQ_SYNC_OPENPBS_SRC: openpbsSource() },
    timeoutMs: 30 * 60_000,
  });
  if (r.code !== 0) throw new Error(`building OpenPBS failed:\n${r.stdout}\n${r.stderr}`);
  log(r.stdout.trim());
}

/** pbs_postinstall (a fresh PBS_HOME and /etc/pbs.conf), then the mom on, setuid helpers. */
async function postinstall(wipe: boolean): Promise<void> {
  if (wipe) {
    rmSync(PBS_HOME, { recursive: true, force: true });
    rmSync(PBS_CONF, { force: true });
  }
  if (!existsSync(PBS_CONF) || !existsSync(join(PBS_HOME, 'server_priv'))) {
    await pbsAdmin([join(PBS_EXEC, 'libexec', 'pbs_postinstall')], { timeoutMs: 120_000 });
  }
  const conf = readFileSync(PBS_CONF, 'utf8');
  if (!/^PBS_START_MOM=1$/m.test(conf)) {
    writeFileSync(
      PBS_CONF,
      /^PBS_START_MOM=/m.test(conf)
        ? conf.replace(/^PBS_START_MOM=.*$/m, 'PBS_START_MOM=1')
        : `${conf}PBS_START_MOM=1\n`,
    );
  }
  // qsub authenticates through the setuid pbs_iff; pbs_rcp copies output files back.
  for (const f of ['sbin/pbs_iff', 'sbin/pbs_rcp']) {
    const p = join(PBS_EXEC, f);
    if (existsSync(p)) execFileSync('chmod', ['4755', p]);
  }
}

function logTail(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return ['server_logs', 'mom_logs', 'sched_logs', 'comm_logs']
    .map((d) => {
      const f = join(PBS_HOME, d, day);
      if (!existsSync(f)) return `--- ${d}: (no log)`;
      return `--- ${d}\n${readFileSync(f, 'utf8').trimEnd().split('\n').slice(-8).join('\n')}`;
    })
    .join('\n');
}

async function initd(action: 'start' | 'stop'): Promise<{ code: number | null; out: string }> {
  const r = await pbsAdmin([join(PBS_EXEC, 'libexec', 'pbs_init.d'), action], {
    allowFailure: true,
    timeoutMs: 180_000,
  });
  return { code: r.code, out: `${r.stdout}${r.stderr}`.trim() };
}

/**
 * Wait until the server answers, create the execution node for this host's mom when the
 * server has none (a fresh PBS_HOME), then wait until the node is usable.
 */
async function waitHealthy(host: string, timeoutMs: number): Promise<{ ok: boolean; why: string }> {
  const deadline = Date.now() + timeoutMs;
  let created = false;
  let h = await pbsHealthy();
  while (!h.ok && Date.now() < deadline) {
    if (h.why === 'no execution node' && !created) {
      created = true;
      await pbsAdmin(['qmgr', '-c', `create node ${host}`], { allowFailure: true });
    }
    await sleep(500);
    h = await pbsHealthy();
  }
  return h;
}

/** The server settings the tests rely on (idempotent). */
async function configure(node: string): Promise<void> {
  const qmgr = (c: string) => pbsAdmin(['qmgr', '-c', c]);
  // Finished jobs stay visible to `qstat -x` (qq's -x); user names are the same everywhere.
  await qmgr('set server job_history_enable = True');
  await qmgr('set server flatuid = True');
  // Many `sleep` jobs at once on 2 cores: the node advertises more CPUs than it has.
  await qmgr(`set node ${node} resources_available.ncpus = 64`);
}

/**
 * Start (or reuse) the single-node OpenPBS. Builds it first when it is not installed and the
 * source is at hand. Throws with the daemons' log tails when it does not come up.
 */
export async function startPbs(
  options: { log?: (m: string) => void; timeoutMs?: number } = {},
): Promise<StartedPbs> {
  const log = options.log ?? (() => {});
  const reason = pbsUnavailableReason();
  if (reason) throw new Error(`cannot start OpenPBS: ${reason}`);
  await buildIfMissing(log);
  const version =
    (await pbsAdmin(['qstat', '--version'], { allowFailure: true })).stdout
      .replace(/^pbs_version = /, '')
      .trim() || '?';

  let reused = false;
  if ((await pbsHealthy()).ok) {
    reused = true;
    log(`reusing the OpenPBS already running here (${version}); it stays running`);
  } else {
    if (process.getuid?.() !== 0) throw new Error('cannot start OpenPBS: not running as root');
    const host = hostname().split('.')[0] ?? hostname();
    ensureHostsLine(host);
    ensureUser();
    await postinstall(false);
    let started = await initd('start');
    let h = started.code === 0 ? await waitHealthy(host, options.timeoutMs ?? 90_000) : undefined;
    if (!h?.ok) {
      // A failed first start leaves a PBS_HOME that never recovers: wipe it and start again.
      log(`OpenPBS did not start (${h?.why ?? started.out}); wiping ${PBS_HOME} and retrying`);
      await initd('stop');
      await postinstall(true);
      started = await initd('start');
      h = started.code === 0 ? await waitHealthy(host, options.timeoutMs ?? 90_000) : undefined;
    }
    if (!h?.ok) {
      const why = h?.why ?? `pbs_init.d start exited ${started.code}: ${started.out}`;
      await initd('stop');
      throw new Error(`OpenPBS did not come up (${why}):\n${logTail()}`);
    }
  }
  const conf = readConf();
  const server = conf.PBS_SERVER ?? hostname().split('.')[0] ?? 'localhost';
  const nodes = await pbsAdmin(['pbsnodes', '-a']);
  const node = /^(\S+)\s*$/m.exec(nodes.stdout)?.[1] ?? server;
  await configure(node);
  const user = ensureUser();

  const stop = async () => {
    if (reused) return;
    // Jobs left by the tests would survive the shutdown and run again at the next start.
    const left = await pbsAdmin(['qselect'], { allowFailure: true }).catch(() => undefined);
    const ids = left?.stdout.split('\n').filter(Boolean) ?? [];
    if (ids.length > 0) await pbsAdmin(['qdel', '-W', 'force', ...ids], { allowFailure: true });
    await initd('stop');
  };
  return {
    env: { PATH: `${join(PBS_EXEC, 'bin')}:/usr/bin:/bin` },
    binDir: join(PBS_EXEC, 'bin'),
    server,
    node,
    user,
    reused,
    version,
    stop,
  };
}

/* ------------------------------------------------------------------------------------------
 * Helpers to drive the test PBS (tests, e2e tests, benchmark).
 * ---------------------------------------------------------------------------------------- */

/**
 * `qsub <args>` as the test user, in `cwd` (default: the user's home); returns the job id
 * (`123.server`). Output and error files go to /dev/null unless `args` say otherwise.
 * `env` adds variables to the job (`-v`), so it can carry QQ_INFO like a qq job.
 */
export async function pbsSubmit(
  pbs: PbsEnv,
  args: string[],
  options: { cwd?: string } = {},
): Promise<string> {
  const hasOut = args.some((a) => a === '-o' || a === '-e' || a === '-j');
  const argv = [
    'runuser',
    '-u',
    pbs.user.name,
    '--',
    bin('qsub'),
    ...(hasOut ? [] : ['-o', '/dev/null', '-e', '/dev/null']),
    ...args,
  ];
  const r = await runCommand(argv, {
    env: { ...clientEnv(), HOME: pbs.user.home, USER: pbs.user.name, LOGNAME: pbs.user.name },
    cwd: options.cwd ?? pbs.user.home,
    timeoutMs: 30_000,
  });
  const id = r.stdout.trim();
  if (r.code !== 0 || !/^\d+(\[\])?\.\S+$/.test(id)) {
    throw new Error(`qsub ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim()} ${id}`);
  }
  return id;
}

/** The job's raw job_state (and Exit_status) from `qstat -fxw` (undefined if unknown). */
export async function pbsJobState(
  id: string,
): Promise<{ state: string; exit?: string } | undefined> {
  const r = await pbsAdmin(['qstat', '-fxw', id], { allowFailure: true });
  const state = /^\s+job_state = (\S+)/m.exec(r.stdout)?.[1];
  if (!state) return undefined;
  return { state, exit: /^\s+Exit_status = (\S+)/m.exec(r.stdout)?.[1] };
}

/** Poll until the job's job_state is one of `states`. */
export async function waitForPbsJob(
  id: string,
  states: string | string[],
  timeoutMs = 60_000,
): Promise<{ state: string; exit?: string }> {
  const want = Array.isArray(states) ? states : [states];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await pbsJobState(id);
    if (s && want.includes(s.state)) return s;
    if (Date.now() > deadline) {
      throw new Error(`PBS job ${id} did not reach ${want.join('/')}; last: ${JSON.stringify(s)}`);
    }
    await sleep(250);
  }
}

/** qdel as root (a manager); a finished job cannot be deleted, which is not an error. */
export async function pbsDelete(ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await pbsAdmin(['qdel', ...ids], { allowFailure: true });
}

/**
 * Whether the real-PBS tests of a file must be skipped; says so loudly (once per file) with
 * the reason and how to provide OpenPBS.
 */
export function pbsSkip(pbs: ProvidedPbs, what: string): boolean {
  if (pbs.env !== null) return false;
  console.warn(`\n!!! ${what}: SKIPPED, no real OpenPBS here (${pbs.skipReason})\n`);
  return true;
}

/** The provided PBS as the helpers above take it (only call when not skipped). */
export function providedPbs(pbs: ProvidedPbs): PbsEnv {
  if (!pbs.env || !pbs.user || !pbs.server || !pbs.node || !pbs.binDir) {
    throw new Error(`no real OpenPBS: ${pbs.skipReason}`);
  }
  return {
    env: pbs.env,
    binDir: pbs.binDir,
    server: pbs.server,
    node: pbs.node,
    user: pbs.user,
    reused: true,
    version: pbs.version ?? '?',
  };
}
