/**
 * npm run bench [-- --quick]
 *
 * The bundled action (`node dist/index.js`, run as the runner runs it, through
 * scripts/run-action.mjs) against what a user would otherwise write — raw rsync, cp -a, a
 * `qq sync`-like loop — measured in the same run: a warm-up of each, then A B B A …, medians
 * and their ratio. Real parts only: a single-node Slurm and an sshd on loopback (the test
 * harnesses), real rsync, and a real OpenPBS for the PBS campaign (the stand-in qstat of the
 * tests still answers for the PBS jobs mixed into the Slurm campaign). Never asserts: a ratio that misses its target is marked MISSED, a case
 * that cannot run here is 'n/a (reason)'. Writes bench/results.json.
 *
 * Scheduler calls are counted by wrappers on PATH that log each call and then exec the real
 * `scontrol`/`sacct`/`squeue`/`qstat` (bench/bin is generated under the temp dir).
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fetchNode24, findNode24, nodeVersion } from '../scripts/node24.mjs';
import { type ActionRun, root, runAction } from '../scripts/run-action.mjs';
import { makeJob } from '../test/support/jobs.js';
import {
  pbsDelete,
  pbsSubmit,
  pbsUnavailableReason,
  startPbs,
  waitForPbsJob,
} from '../test/support/openpbs.js';
import { type StartedSlurm, sbatch, scancel, slurmRun, startSlurm } from '../test/support/slurm.js';
import { type StartedSshd, startSshd } from '../test/support/sshd.js';
import {
  benchCampaignCurve,
  benchCampaignTarget,
  benchLatencyFs,
  benchStreamsOverSsh,
  type Kit,
} from './speed.js';

const quick = process.argv.includes('--quick');
/**
 * `--only=campaign,load`: run only these sections. Issue 29's targets: latency, small, jobs,
 * copier, copier-rss, nothing, big; also queued, campaign, pbs, load, streams, curve.
 */
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runs = (section: string): boolean => !only || only.includes(section);
const REPS = quick ? 2 : 5;
const BIG = quick ? 128 * 1024 ** 2 : 512 * 1024 ** 2;
const SMALL_FILES = quick ? 2000 : 20_000;
const CAMPAIGN_JOBS = quick ? 20 : 100;
const CAMPAIGN_FILES = 50;
const PBS_COUNT_JOBS = quick ? 20 : 100;

interface Row {
  case: string;
  /** Median ms of the action (or the value in `unit`); null when the case could not run. */
  ours: number | null;
  /** What `ours` counts when it is not ms against a baseline (an absolute target). */
  unit?: string;
  baselineName: string;
  baseline: number | null;
  /** ours / baseline. */
  ratio: number | null;
  target: string;
  met: boolean | null;
  samples?: { ours: number[]; baseline: number[] };
  note?: string;
}
const rows: Row[] = [];
const facts: Record<string, unknown> = {};
const benchStarted = performance.now();

/**
 * The Node that runs the bundle (and `node -e 0`): the action's runtime, Node 24 —
 * $QQ_SYNC_NODE if set, else scripts/node24.mjs (fetched when not cached), else this Node,
 * said loudly. runAction() reads QQ_SYNC_NODE.
 */
function benchNodeBinary(): string {
  if (process.env.QQ_SYNC_NODE) return process.env.QQ_SYNC_NODE;
  const found = findNode24();
  if (found.path) return found.path;
  try {
    return fetchNode24();
  } catch (e) {
    console.warn(
      `!!! Node 24 unavailable (${(e as Error).message}): measuring under ${process.version}`,
    );
    return process.execPath;
  }
}
const benchNode = benchNodeBinary();
process.env.QQ_SYNC_NODE = benchNode;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function say(text: string): void {
  console.log(`[${((performance.now() - benchStarted) / 1000).toFixed(0).padStart(4)} s] ${text}`);
}

/** Wall time of a command (argv, no shell), in ms; throws on a non-zero exit. */
function timed(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${argv.join(' ')}: exit ${code}: ${err.trim()}`)),
    );
  });
}

/**
 * A warm-up of each, then REPS rounds of (prepare, A, prepare, B), every other round B first
 * (A B B A …) so that neither side always runs right after the other. After each prepare,
 * `sync` flushes what it deleted and what the previous side wrote: on this kind of VM,
 * write-back of a previous 1 GiB copy or of 20,000 deleted files otherwise lands on whoever
 * runs next (seen as ±1 s swings on a 2 s copy).
 */
async function compare(
  a: () => Promise<number>,
  b: () => Promise<number>,
  prepare?: () => void,
): Promise<{ ours: number[]; baseline: number[] }> {
  const ready = () => {
    if (!prepare) return;
    prepare();
    execFileSync('sync');
  };
  ready();
  await a();
  ready();
  await b();
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const sides: [() => Promise<number>, number[]][] = [
      [a, ours],
      [b, baseline],
    ];
    for (const [run, into] of i % 2 ? sides.reverse() : sides) {
      ready();
      into.push(await run());
    }
  }
  return { ours, baseline };
}

interface Target {
  /** ours / baseline must be at most this. */
  max?: number;
  /** baseline / ours must be at least this. */
  faster?: number;
  /** Only reported (the note says what to aim for). */
  report?: boolean;
}

function targetText(t: Target): string {
  if (t.max !== undefined) return `≤ ${Number.isInteger(t.max) ? t.max.toFixed(1) : t.max}×`;
  if (t.faster !== undefined) return `≥ ${t.faster}× faster`;
  return 'report';
}

function record(
  name: string,
  samples: { ours: number[]; baseline: number[] },
  baselineName: string,
  target: Target,
  note?: string,
): void {
  const ours = median(samples.ours);
  const baseline = median(samples.baseline);
  const ratio = ours / baseline;
  const met =
    target.max !== undefined
      ? ratio <= target.max
      : target.faster !== undefined
        ? baseline / ours >= target.faster
        : null;
  rows.push({
    case: name,
    ours,
    baselineName,
    baseline,
    ratio,
    target: targetText(target),
    met,
    samples,
    note,
  });
  say(
    `${name}: ours ${ours.toFixed(0)} ms, ${baselineName} ${baseline.toFixed(0)} ms, ratio ${ratio.toFixed(2)} (${targetText(target)})${met === false ? '  MISSED' : ''}`,
  );
}

/** A row with an absolute target: `value` (in `unit`) must be at most `max`. */
function recordValue(name: string, value: number, unit: string, max: number, note?: string): void {
  const met = value <= max;
  rows.push({
    case: name,
    ours: value,
    unit,
    baselineName: '—',
    baseline: null,
    ratio: null,
    target: `≤ ${max} ${unit}`,
    met,
    note,
  });
  say(`${name}: ${value.toFixed(2)} ${unit} (≤ ${max} ${unit})${met ? '' : '  MISSED'}`);
}

function notAvailable(name: string, baselineName: string, target: Target, why: string): void {
  rows.push({
    case: name,
    ours: null,
    baselineName,
    baseline: null,
    ratio: null,
    target: targetText(target),
    met: null,
    note: `n/a (${why})`,
  });
  say(`${name}: n/a (${why})`);
}

function checked(run: ActionRun, what: string): ActionRun {
  if (run.code !== 0 || run.outputs.status !== 'synced') {
    throw new Error(
      `${what}: the action did not sync (exit ${run.code}, status '${run.outputs.status}', reason '${run.outputs.reason}')\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`,
    );
  }
  return run;
}

function writeTree(dir: string, files: number, size = 1024): void {
  const per = 500;
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `d${Math.floor(i / per)}`);
    if (i % per === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.dat`), Buffer.alloc(size, i % 251));
  }
}

/** Count the regular files under a directory (to check a copy is complete). */
function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++;
  return n;
}

/**
 * Wrappers that log `<name> <args>` to $QQ_BENCH_CALL_LOG and exec the real program (a
 * counting wrapper, not a stub: the answer is the real one).
 */
function countingBin(dir: string, real: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, target] of Object.entries(real)) {
    const file = join(dir, name);
    writeFileSync(
      file,
      `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> "\${QQ_BENCH_CALL_LOG:-/dev/null}"\nexec '${target}' "$@"\n`,
    );
    chmodSync(file, 0o755);
  }
  return dir;
}

function readCalls(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

function pathWith(...dirs: string[]): string {
  return [...dirs, process.env.PATH ?? '/usr/bin:/bin'].join(':');
}

/**
 * Where the data goes: `QQ_SYNC_BENCH_DIR`, else a tmpfs (/dev/shm) with room for it, else the
 * system temp directory. A tmpfs takes the disk out of the comparison: on this kind of VM the
 * same 20,000-file rsync took anywhere from 1 to 5 s on disk (so a median of 5 moved by a
 * second between runs) and 530–580 ms on tmpfs, where the action's own cost is what differs.
 */
function benchRoot(): { dir: string; why: string } {
  const chosen = process.env.QQ_SYNC_BENCH_DIR;
  if (chosen) return { dir: chosen, why: 'QQ_SYNC_BENCH_DIR' };
  const need = (quick ? 1 : 4) * 1024 ** 3;
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize >= need) return { dir: '/dev/shm', why: 'tmpfs' };
  } catch {
    // no /dev/shm
  }
  return { dir: tmpdir(), why: `no tmpfs with ${need / 1024 ** 3} GiB free` };
}

/**
 * A campaign against the REAL OpenPBS (test/support/openpbs.ts; started, or reused when one
 * runs): `PBS_COUNT_JOBS` finished jobs (`/bin/false`, submitted as the test user: failed jobs
 * are fetched, where qq skips a finished one as already fetched by itself) in one step
 * must cost exactly one `qstat`, counted by a wrapper on PATH that logs argv and execs the
 * real qstat. Reported in `facts.realPbsCampaign`; 'n/a (reason)' where PBS cannot run.
 */
async function realPbsCampaign(base: string): Promise<void> {
  const why = pbsUnavailableReason();
  if (why) {
    facts.realPbsCampaign = `n/a (${why})`;
    say(`real-PBS campaign: n/a (${why})`);
    return;
  }
  const pbs = await startPbs({ log: say });
  const ids: string[] = [];
  try {
    say(`real-PBS campaign: OpenPBS ${pbs.version}${pbs.reused ? ' (already running)' : ''}`);
    const submitStarted = performance.now();
    for (let i = 0; i < PBS_COUNT_JOBS; i += 10) {
      const n = Math.min(10, PBS_COUNT_JOBS - i);
      ids.push(
        ...(await Promise.all(
          Array.from({ length: n }, () => pbsSubmit(pbs, ['-N', 'bench', '--', '/bin/false'])),
        )),
      );
    }
    for (const id of ids) await waitForPbsJob(id, 'F', 300_000);
    const submitMs = performance.now() - submitStarted;
    const ws = join(base, 'pbs-real');
    ids.forEach((id, i) => {
      makeJob({
        batchSystem: 'PBS',
        jobId: id,
        inputDir: join(ws, 'jobs', `sim${String(i).padStart(3, '0')}`),
        jobState: 'failed',
        exitCode: 1,
        mainNode: pbs.node,
        workDir: join(base, 'pbs-real-work', String(i)),
        files: { 'out.txt': 'x' },
      });
    });
    const wrappers = countingBin(join(base, 'counting-bin-pbs'), {
      qstat: join(pbs.binDir, 'qstat'),
    });
    const callLog = join(base, 'pbs-real-calls.log');
    const run = checked(
      await runAction({
        workspace: ws,
        inputs: { path: 'jobs/*', 'shared-storage': 'true' },
        env: { PATH: pathWith(wrappers, pbs.binDir), QQ_BENCH_CALL_LOG: callLog },
      }),
      'real-PBS campaign',
    );
    const answered = JSON.parse(run.outputs.jobs ?? '[]') as { state?: string }[];
    const failed = answered.filter((r) => r.state === 'failed').length;
    const qstat = readCalls(callLog).filter((c) => c.startsWith('qstat ')).length;
    facts.realPbsCampaign = {
      pbs: `OpenPBS ${pbs.version} (real, single node)`,
      jobs: PBS_COUNT_JOBS,
      jobsFailed: failed,
      qstatCalls: qstat,
      stepMs: run.durationMs,
      submitAndFinishMs: Math.round(submitMs),
    };
    say(
      `real-PBS campaign: ${PBS_COUNT_JOBS} real PBS jobs in one step: ${qstat} qstat call(s), ${failed} failed, step ${run.durationMs} ms`,
    );
  } finally {
    await pbsDelete(ids).catch(() => {});
    await pbs.stop();
  }
}

/** What every section needs: the data directory, the services, and jobs for them to serve. */
interface Bench {
  dist: string;
  base: string;
  slurm: StartedSlurm | undefined;
  sshd: StartedSshd | undefined;
  /** Why Slurm / sshd is not there ('' when it is). */
  noSlurm: string;
  noSshd: string;
  /** Slurm jobs to cancel at the end. */
  submitted: string[];
  /** SLURM_CONF and PATH for the action's environment (empty without Slurm). */
  senv: Record<string, string>;
  slurmProcessEnv: NodeJS.ProcessEnv;
  /** The stand-in qstat's records directory. */
  pbsRecords: string;
  /** The inputs that reach the test sshd, and the same as an `rsync -e` string. */
  sshInputs: Record<string, string>;
  rawSsh: string;
  /** A new running PBS job id with its stand-in record. */
  pbsRunningJob: () => string;
  /** Submit `n` jobs that run `sleep` and wait until all of them are RUNNING. */
  slurmRunningJobs: (n: number) => Promise<string[]>;
  /** A running job with its working directory `workDir`, info file under `ws/sim`; its env. */
  runningJob: (ws: string, workDir: string) => Promise<Record<string, string>>;
}

async function recordFacts(): Promise<void> {
  facts.mode = quick ? 'quick' : 'full';
  facts.repsPerSide = REPS;
  facts.node = `${nodeVersion(benchNode)} (${benchNode}; the bench itself on ${process.version})`;
  say(`the bundle runs under Node ${facts.node}`);
  facts.cpus = (await import('node:os')).cpus().length;
  facts.loadAverageAtStart = (await import('node:os')).loadavg().map((x) => Number(x.toFixed(2)));
  facts.rsync = execFileSync('rsync', ['--version'], { encoding: 'utf8' }).split('\n')[0];
}

async function startServices(): Promise<Pick<Bench, 'slurm' | 'sshd' | 'noSlurm' | 'noSshd'>> {
  const started: Pick<Bench, 'slurm' | 'sshd' | 'noSlurm' | 'noSshd'> = {
    slurm: undefined,
    sshd: undefined,
    noSlurm: '',
    noSshd: '',
  };
  await Promise.all([
    startSlurm({ cpus: 512 }).then(
      (s) => {
        started.slurm = s;
      },
      (e: Error) => {
        started.noSlurm = `Slurm could not be started: ${e.message.split('\n')[0]}`;
      },
    ),
    startSshd().then(
      (s) => {
        started.sshd = s;
      },
      (e: Error) => {
        started.noSshd = `sshd could not be started: ${e.message.split('\n')[0]}`;
      },
    ),
  ]);
  const { slurm, sshd, noSlurm, noSshd } = started;
  say(`services: Slurm ${slurm ? 'up' : noSlurm}; sshd ${sshd ? `on port ${sshd.port}` : noSshd}`);
  return started;
}

/** PBS (stand-in qstat) for the jobs of the transfer cases when Slurm is not there. */
function pbsStandIn(base: string) {
  const pbsRecords = join(base, 'pbs-records');
  mkdirSync(pbsRecords);
  const pbsTemplate = readFileSync(
    join(root, 'test', 'support', 'pbs', 'records', '1001.pbs-m1.metacentrum.cz.txt'),
    'utf8',
  );
  const pbsEnv = {
    PATH: pathWith(join(root, 'test', 'support', 'pbs')),
    QSTAT_STANDIN_RECORDS: pbsRecords,
  };
  let pbsSeq = 9000;
  const pbsRunningJob = (): string => {
    const id = `${pbsSeq++}.pbs-m1.metacentrum.cz`;
    writeFileSync(
      join(pbsRecords, `${id}.txt`),
      pbsTemplate.replace(/^Job Id: \S+/, `Job Id: ${id}`),
    );
    return id;
  };
  return { pbsRecords, pbsEnv, pbsRunningJob };
}

/** Submit `n` jobs that run `sleep` and wait until all of them are RUNNING. */
async function slurmRunningJobs(
  senv: Record<string, string>,
  submitted: string[],
  n: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, () =>
        sbatch(senv, ['-o', '/dev/null', '-J', 'bench', '--wrap', 'sleep 3000']),
      ),
    );
    ids.push(...batch);
    submitted.push(...batch);
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await slurmRun(senv, ['squeue', '-h', '-t', 'R', '-o', '%i']);
    const running = new Set(r.stdout.split('\n').map((s) => s.trim()));
    if (ids.every((id) => running.has(id))) return ids;
    if (Date.now() > deadline) throw new Error('Slurm jobs did not all start within 120 s');
    await sleep(250);
  }
}

/** The action's inputs that reach the test sshd, and the same as an `rsync -e` string. */
function sshArguments(sshd: StartedSshd | undefined): Pick<Bench, 'sshInputs' | 'rawSsh'> {
  if (!sshd) return { sshInputs: {}, rawSsh: '' };
  return {
    sshInputs: {
      'ssh-options': [
        `-p ${sshd.port}`,
        `-i ${sshd.keyPath}`,
        `-l ${sshd.user}`,
        `-o UserKnownHostsFile=${sshd.knownHostsPath}`,
      ].join('\n'),
      'strict-host-key-checking': 'yes',
    },
    rawSsh: `ssh -p ${sshd.port} -i ${sshd.keyPath} -l ${sshd.user} -o UserKnownHostsFile=${sshd.knownHostsPath} -o StrictHostKeyChecking=yes -o BatchMode=yes`,
  };
}

function benchContext(
  dist: string,
  base: string,
  services: Pick<Bench, 'slurm' | 'sshd' | 'noSlurm' | 'noSshd'>,
): Bench {
  const { slurm } = services;
  const submitted: string[] = [];
  const { pbsRecords, pbsEnv, pbsRunningJob } = pbsStandIn(base);
  const senv = slurm?.env ?? {};
  const runningJob = async (ws: string, workDir: string): Promise<Record<string, string>> => {
    if (slurm) {
      const [id] = await slurmRunningJobs(senv, submitted, 1);
      makeJob({
        jobId: id as string,
        inputDir: join(ws, 'sim'),
        jobState: 'running',
        mainNode: '127.0.0.1',
        workDir,
      });
      return senv;
    }
    makeJob({
      batchSystem: 'PBS',
      jobId: pbsRunningJob(),
      inputDir: join(ws, 'sim'),
      jobState: 'running',
      mainNode: '127.0.0.1',
      workDir,
    });
    return pbsEnv;
  };
  if (!slurm) facts.scheduler = `PBS stand-in qstat (${services.noSlurm})`;
  else facts.scheduler = 'Slurm (real, single node)';
  return {
    dist,
    base,
    ...services,
    submitted,
    senv,
    slurmProcessEnv: { ...process.env, ...senv } as NodeJS.ProcessEnv,
    pbsRecords,
    ...sshArguments(services.sshd),
    pbsRunningJob,
    slurmRunningJobs: (n) => slurmRunningJobs(senv, submitted, n),
    runningJob,
  };
}

/** Nothing to do: a queued job. */
async function benchQueued(b: Bench): Promise<void> {
  const name = 'nothing to do (job queued)';
  const baselineName = '`node -e 0` + `scontrol show job`';
  if (!b.slurm) {
    notAvailable(name, baselineName, { report: true }, b.noSlurm);
    return;
  }
  const { senv } = b;
  // Queued for good: it depends on a held job.
  const blocker = await sbatch(senv, ['-o', '/dev/null', '-H', '--wrap', 'true']);
  const id = await sbatch(senv, [
    '-o',
    '/dev/null',
    `--dependency=afterok:${blocker}`,
    '--wrap',
    'true',
  ]);
  b.submitted.push(blocker, id);
  const ws = join(b.base, 'queued');
  makeJob({ jobId: id, inputDir: join(ws, 'sim'), jobState: 'queued' });
  const samples = await compare(
    async () => {
      const run = await runAction({ workspace: ws, inputs: { path: 'sim' }, env: senv });
      if (run.code !== 0 || run.outputs.status !== 'skipped') {
        throw new Error(`queued job: ${run.outputs.status} ${run.outputs.reason}`);
      }
      return run.durationMs;
    },
    async () =>
      (await timed([benchNode, '-e', '0'])) +
      (await timed(['scontrol', 'show', 'job', id, '-o'], b.slurmProcessEnv)),
  );
  record(name, samples, baselineName, { report: true }, "issue 29's target is on a running job");
}

/**
 * Nothing to do (issue 29): a running job whose files are all in the destination already (the
 * warm-up run fetched them), against `node -e 0` plus the one scheduler call the action makes
 * for it (`scontrol show job <id> -o` on Slurm, else the stand-in `qstat -fxw <id>`), both
 * timed here.
 */
async function benchNothingToDo(b: Bench): Promise<void> {
  const ws = join(b.base, 'nothing');
  const work = join(b.base, 'nothing-work');
  writeTree(work, 20);
  const env = await b.runningJob(ws, work);
  const info = readFileSync(
    join(ws, 'sim', readdirSync(join(ws, 'sim')).find((f) => f.endsWith('.qqinfo')) ?? ''),
    'utf8',
  );
  const id = /^job_id:\s*['"]?([^'"\s]+)/m.exec(info)?.[1];
  if (!id) throw new Error('nothing to do: no job id in the info file');
  const call = b.slurm
    ? {
        argv: ['scontrol', 'show', 'job', id, '-o'],
        env: b.slurmProcessEnv,
        text: '`scontrol show job`',
      }
    : {
        argv: ['qstat', '-fxw', id],
        env: { ...process.env, ...env } as NodeJS.ProcessEnv,
        text: '`qstat -fxw` (stand-in)',
      };
  const name = 'nothing to do (job running, no change, 20 files)';
  const samples = await compare(
    async () => {
      const run = checked(
        await runAction({
          workspace: ws,
          inputs: { path: 'sim', destination: 'out', 'shared-storage': 'true' },
          env,
        }),
        name,
      );
      if (countFiles(join(ws, 'out')) !== 20) throw new Error(`${name}: incomplete copy`);
      return run.durationMs;
    },
    async () => (await timed([benchNode, '-e', '0'])) + (await timed(call.argv, call.env)),
  );
  record(
    name,
    samples,
    `\`node -e 0\` + ${call.text}`,
    { max: 1.5 },
    'the same two programs timed one after the other',
  );
}

/** One big file, local and over ssh. */
async function benchBigFile(b: Bench): Promise<void> {
  const bigWork = join(b.base, 'big-work');
  mkdirSync(bigWork, { recursive: true });
  execFileSync('dd', [
    'if=/dev/urandom',
    `of=${join(bigWork, 'traj.xtc')}`,
    'bs=1M',
    `count=${BIG / 1024 ** 2}`,
    'status=none',
  ]);
  const big = BIG >= 1024 ** 3 ? `${BIG / 1024 ** 3} GiB file` : `${BIG / 1024 ** 2} MiB file`;
  for (const remote of [false, true]) {
    const name = `${big}, ${remote ? 'over ssh' : 'local'}`;
    const baselineName = remote ? '`rsync -rltD -e ssh`' : '`rsync -rltD`';
    if (remote && !b.sshd) {
      notAvailable(name, baselineName, { max: 1.05 }, b.noSshd);
      continue;
    }
    const ws = join(b.base, `big-${remote}`);
    const env = await b.runningJob(ws, bigWork);
    const dest = join(ws, 'out');
    const rawDest = join(b.base, `big-raw-${remote}`);
    const inputs = {
      path: 'sim',
      destination: 'out',
      'shared-storage': remote ? 'false' : 'true',
      ...(remote ? b.sshInputs : {}),
    };
    const samples = await compare(
      async () => {
        const run = checked(await runAction({ workspace: ws, inputs, env }), name);
        if (statSync(join(dest, 'traj.xtc')).size !== BIG) throw new Error(`${name}: short copy`);
        return run.durationMs;
      },
      () =>
        timed(
          remote
            ? ['rsync', '-rltD', '-e', b.rawSsh, `127.0.0.1:${bigWork}/`, rawDest]
            : ['rsync', '-rltD', `${bigWork}/`, rawDest],
        ),
      () => {
        rmSync(dest, { recursive: true, force: true });
        rmSync(rawDest, { recursive: true, force: true });
      },
    );
    record(name, samples, baselineName, { max: 1.05 });
  }
  rmSync(bigWork, { recursive: true, force: true });
}

/** Many small files, local (then re-sync and peak memory) and over ssh. */
async function benchSmallFiles(b: Bench, smallWork: string, small: string): Promise<void> {
  for (const remote of [false, true]) {
    const name = `${small}, ${remote ? 'over ssh' : 'local'}`;
    if (remote && !b.sshd) {
      notAvailable(name, 'raw rsync over ssh', { max: 1.2 }, b.noSshd);
      continue;
    }
    const ws = join(b.base, `small-${remote}`);
    const env = await b.runningJob(ws, smallWork);
    const dest = join(ws, 'out');
    const rawDest = join(b.base, `small-raw-${remote}`);
    const inputs = {
      path: 'sim',
      destination: 'out',
      'shared-storage': remote ? 'false' : 'true',
      ...(remote ? b.sshInputs : {}),
    };
    const raw = remote
      ? ['rsync', '-rltD', '-e', b.rawSsh, `127.0.0.1:${smallWork}/`, rawDest]
      : ['rsync', '-rltD', `${smallWork}/`, rawDest];
    const ours = async () => {
      const run = checked(await runAction({ workspace: ws, inputs, env }), name);
      if (countFiles(dest) !== SMALL_FILES) throw new Error(`${name}: incomplete copy`);
      return run.durationMs;
    };
    const samples = await compare(
      ours,
      () => timed(raw),
      () => {
        rmSync(dest, { recursive: true, force: true });
        rmSync(rawDest, { recursive: true, force: true });
      },
    );
    record(name, samples, remote ? 'raw rsync over ssh' : 'raw rsync', { max: remote ? 1.2 : 1.0 });
    if (remote) continue;

    // Re-sync with nothing changed: both destinations are complete now.
    record(
      `re-sync, nothing changed (${small}, local)`,
      await compare(ours, () => timed(raw)),
      'raw rsync',
      { report: true },
    );
    rmSync(dest, { recursive: true, force: true });
    await peakMemory(b, { name, ws, inputs, env, raw, rawDest });
  }
}

/**
 * Peak memory of the largest process (node or rsync: GNU time reports the largest of the
 * waited-for process tree) for a full fetch of the small-file tree.
 */
async function peakMemory(
  b: Bench,
  c: {
    name: string;
    ws: string;
    inputs: Record<string, string>;
    env: Record<string, string>;
    raw: string[];
    rawDest: string;
  },
): Promise<void> {
  if (!existsSync('/usr/bin/time')) {
    facts.peakRssMiB = 'n/a (/usr/bin/time is not installed: Debian package `time`)';
    say(`peak RSS: ${facts.peakRssMiB}`);
    return;
  }
  const memFile = join(b.base, 'maxrss');
  checked(
    await runAction({
      workspace: c.ws,
      inputs: c.inputs,
      env: c.env,
      wrap: ['/usr/bin/time', '-f', '%M', '-o', memFile],
    }),
    'peak memory',
  );
  const kib = Number(readFileSync(memFile, 'utf8').trim().split('\n').pop());
  facts.peakRssMiB = { case: c.name, action: Number((kib / 1024).toFixed(1)) };
  rmSync(c.rawDest, { recursive: true, force: true });
  execFileSync('/usr/bin/time', ['-f', '%M', '-o', memFile, ...c.raw]);
  const rawKib = Number(readFileSync(memFile, 'utf8').trim().split('\n').pop());
  (facts.peakRssMiB as Record<string, unknown>).rawRsync = Number((rawKib / 1024).toFixed(1));
  say(
    `peak RSS, largest process (${c.name}): action ${(kib / 1024).toFixed(0)} MiB, raw rsync ${(rawKib / 1024).toFixed(0)} MiB`,
  );
}

/**
 * The built-in copier against `cp -a` and rsync. It is what a local copy uses when rsync is not
 * installed; the action has no input to force it, so it runs with a PATH that holds node and
 * the scheduler but no rsync.
 */
/** The env of a running job whose working directory is `work`, with no rsync on PATH. */
async function copierJob(b: Bench, ws: string, work: string): Promise<Record<string, string>> {
  const env = await b.runningJob(ws, work);
  const noRsync = join(b.base, 'bin-without-rsync');
  if (!existsSync(noRsync)) {
    mkdirSync(noRsync);
    symlinkSync(benchNode, join(noRsync, 'node'));
    for (const p of ['scontrol', 'sacct', 'squeue']) {
      if (existsSync(`/usr/bin/${p}`)) symlinkSync(`/usr/bin/${p}`, join(noRsync, p));
    }
  }
  return {
    ...env,
    PATH: b.slurm ? noRsync : `${join(root, 'test', 'support', 'pbs')}:${noRsync}`,
  };
}

async function benchCopier(b: Bench, smallWork: string, small: string): Promise<void> {
  const name = `built-in copier, ${small}, local`;
  const ws = join(b.base, 'copier');
  const copierEnv = await copierJob(b, ws, smallWork);
  const dest = join(ws, 'out');
  const cpDest = join(b.base, 'cp-out');
  const rsDest = join(b.base, 'rs-out');
  const clean = () => {
    for (const d of [dest, cpDest, rsDest]) rmSync(d, { recursive: true, force: true });
  };
  let method = '';
  const copier = async () => {
    const run = checked(
      await runAction({
        workspace: ws,
        inputs: { path: 'sim', destination: 'out', 'shared-storage': 'true' },
        env: copierEnv,
      }),
      name,
    );
    method = /built-in copier/i.test(run.stdout) ? 'built-in copier' : method;
    if (countFiles(dest) !== SMALL_FILES) throw new Error(`${name}: incomplete copy`);
    return run.durationMs;
  };
  record(
    name,
    await compare(copier, () => timed(['cp', '-a', `${smallWork}/.`, cpDest]), clean),
    '`cp -a`',
    { max: 1.2 },
  );
  record(
    name,
    await compare(copier, () => timed(['rsync', '-rltD', `${smallWork}/`, rsDest]), clean),
    '`rsync -rltD`',
    { report: true },
    'aim ≤ 1.0× rsync',
  );
  facts.copierSeenInLog = method === 'built-in copier';
}

/**
 * The built-in copier's peak RSS on 100,000 files of 1 KiB (issue 29: under 100 MiB), one full
 * fetch (no rsync on PATH) under `/usr/bin/time`; node is the only process of the tree.
 */
async function benchCopierRss(b: Bench): Promise<void> {
  const files = quick ? 20_000 : 100_000;
  const name = `built-in copier, ${files.toLocaleString('en')} files, local: peak RSS`;
  if (!existsSync('/usr/bin/time')) {
    notAvailable(name, '—', { report: true }, '/usr/bin/time is not installed (Debian: time)');
    return;
  }
  const work = join(b.base, 'copier-rss-work');
  writeTree(work, files);
  const ws = join(b.base, 'copier-rss');
  const env = await copierJob(b, ws, work);
  const memFile = join(b.base, 'copier-rss-maxrss');
  const run = checked(
    await runAction({
      workspace: ws,
      inputs: { path: 'sim', destination: 'out', 'shared-storage': 'true' },
      env,
      wrap: ['/usr/bin/time', '-f', '%M', '-o', memFile],
      timeoutMs: 900_000,
    }),
    name,
  );
  if (countFiles(join(ws, 'out')) !== files) throw new Error(`${name}: incomplete copy`);
  const mib = Number(readFileSync(memFile, 'utf8').trim().split('\n').pop()) / 1024;
  recordValue(
    name,
    mib,
    'MiB',
    100,
    `one run, ${run.durationMs} ms; no rsync on PATH${/built-in copier/i.test(run.stdout) ? ' (the log names the built-in copier)' : ''}`,
  );
  rmSync(work, { recursive: true, force: true });
  rmSync(ws, { recursive: true, force: true });
}

/** A campaign of running jobs: one step vs a job-by-job loop; then the step's scheduler calls. */
async function benchCampaign(b: Bench): Promise<void> {
  const name = `campaign: ${CAMPAIGN_JOBS} running jobs × ${CAMPAIGN_FILES} files, over ssh`;
  const baselineName = 'loop: `scontrol` + `rsync -e ssh` per job';
  if (!b.slurm || !b.sshd) {
    notAvailable(name, baselineName, { faster: 3 }, b.noSlurm || b.noSshd);
    return;
  }
  const { base } = b;
  const ws = join(base, 'campaign');
  const ids = await b.slurmRunningJobs(CAMPAIGN_JOBS);
  const loop: string[] = ['set -e'];
  ids.forEach((id, i) => {
    const work = join(base, 'campaign-work', id);
    makeJob({
      jobId: id,
      inputDir: join(ws, 'jobs', `sim${String(i).padStart(3, '0')}`),
      jobState: 'running',
      mainNode: '127.0.0.1',
      workDir: work,
    });
    writeTree(work, CAMPAIGN_FILES, 512);
    loop.push(
      `scontrol show job ${id} -o >/dev/null`,
      `rsync -rltD -e '${b.rawSsh}' 127.0.0.1:${work}/ ${join(base, 'loop-out', id)}`,
    );
  });
  const script = join(base, 'loop.sh');
  writeFileSync(script, `${loop.join('\n')}\n`);
  const inputs = {
    path: 'jobs/*',
    destination: 'out',
    'shared-storage': 'false',
    ...b.sshInputs,
  };
  const samples = await compare(
    async () => {
      const run = checked(await runAction({ workspace: ws, inputs, env: b.senv }), name);
      if (Number(run.outputs['files-synced']) !== CAMPAIGN_JOBS * CAMPAIGN_FILES) {
        throw new Error(`${name}: ${run.outputs['files-synced']} files synced`);
      }
      return run.durationMs;
    },
    () => timed(['bash', script], b.slurmProcessEnv),
    () => {
      rmSync(join(ws, 'out'), { recursive: true, force: true });
      rmSync(join(base, 'loop-out'), { recursive: true, force: true });
      mkdirSync(join(base, 'loop-out'), { recursive: true });
    },
  );
  record(name, samples, baselineName, { faster: 3 }, 'parallel: 4 (the default)');
  await countSchedulerCalls(b, b.slurm, ws, inputs);
}

/**
 * Scheduler calls of one step, counted by wrappers around the real programs; the same step
 * also holds PBS jobs (stand-in qstat) to show one call per batch system.
 */
async function countSchedulerCalls(
  b: Bench,
  slurm: StartedSlurm,
  ws: string,
  inputs: Record<string, string>,
): Promise<void> {
  const { base } = b;
  const pbsDir = join(ws, 'pbs');
  for (let i = 0; i < PBS_COUNT_JOBS; i++) {
    const work = join(base, 'pbs-work', String(i));
    makeJob({
      batchSystem: 'PBS',
      jobId: b.pbsRunningJob(),
      inputDir: join(pbsDir, `sim${String(i).padStart(3, '0')}`),
      jobState: 'running',
      mainNode: '127.0.0.1',
      workDir: work,
      files: { 'out.txt': 'x' },
    });
  }
  const wrappers = countingBin(join(base, 'counting-bin'), {
    scontrol: '/usr/bin/scontrol',
    sacct: '/usr/bin/sacct',
    squeue: '/usr/bin/squeue',
    qstat: join(root, 'test', 'support', 'pbs', 'qstat'),
  });
  const callLog = join(base, 'scheduler-calls.log');
  rmSync(join(ws, 'out'), { recursive: true, force: true });
  const run = checked(
    await runAction({
      workspace: ws,
      inputs: { ...inputs, path: 'jobs/*\npbs/*', 'shared-storage': 'true' },
      env: {
        ...b.senv,
        PATH: pathWith(wrappers, slurm.binDir),
        QSTAT_STANDIN_RECORDS: b.pbsRecords,
        QQ_BENCH_CALL_LOG: callLog,
      },
    }),
    'scheduler-call count',
  );
  const calls = readCalls(callLog);
  const by = (p: string) => calls.filter((c) => c.startsWith(`${p} `)).length;
  facts.schedulerCalls = {
    step: `${CAMPAIGN_JOBS} Slurm jobs (real) + ${PBS_COUNT_JOBS} PBS jobs (stand-in qstat), one step`,
    jobsSynced: JSON.parse(run.outputs.jobs ?? '[]').length,
    scontrol: by('scontrol'),
    sacct: by('sacct'),
    squeue: by('squeue'),
    qstat: by('qstat'),
    loopBaseline: `${CAMPAIGN_JOBS} scontrol (one per job, by construction of the loop)`,
    calls,
  };
  say(
    `scheduler calls, one step of ${CAMPAIGN_JOBS} Slurm + ${PBS_COUNT_JOBS} PBS jobs: scontrol ${by('scontrol')}, sacct ${by('sacct')}, squeue ${by('squeue')}, qstat ${by('qstat')} (loop: ${CAMPAIGN_JOBS} scontrol)`,
  );
}

/** The bundle: size and load time, with and without the cache chunk. */
async function benchLoad(b: Bench): Promise<void> {
  const distDir = join(root, 'dist');
  const size = statSync(b.dist).size;
  const chunks = Object.fromEntries(
    readdirSync(distDir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => [f, statSync(join(distDir, f)).size]),
  );
  facts.dist = { indexJsBytes: size, files: chunks };
  say(
    `dist/index.js: ${(size / 1024).toFixed(0)} KiB; chunks: ${Object.entries(chunks)
      .filter(([f]) => f !== 'index.js')
      .map(([f, s]) => `${f} ${(s / 1024).toFixed(0)} KiB`)
      .join(', ')}`,
  );
  const ws = join(b.base, 'load');
  mkdirSync(join(ws, 'empty'), { recursive: true });
  record(
    'load: a step that finds no job',
    await compare(
      async () =>
        (await runAction({ workspace: ws, inputs: { path: 'empty' }, env: {} })).durationMs,
      () => timed([benchNode, '-e', '0']),
    ),
    '`node -e 0`',
    { report: true },
  );
  const wsJob = join(b.base, 'load-job');
  const loadWork = join(b.base, 'load-work');
  mkdirSync(loadWork, { recursive: true });
  writeFileSync(join(loadWork, 'a.txt'), 'a');
  const env = await b.runningJob(wsJob, loadWork);
  // No cache service here: `cache: true` loads the @actions/cache chunk, which then
  // reports that the cache is not available; the difference is the chunk's load.
  const oneJob = (cache: boolean) => async () =>
    checked(
      await runAction({
        workspace: wsJob,
        inputs: {
          path: 'sim',
          'shared-storage': 'true',
          destination: 'out',
          cache: `${cache}`,
        },
        env: { ...env, ACTIONS_RESULTS_URL: '', ACTIONS_CACHE_URL: '' },
      }),
      'cache load',
    ).durationMs;
  record(
    'one small job, `cache: true` (loads the cache chunk)',
    await compare(oneJob(true), oneJob(false)),
    '`cache: false`',
    { report: true },
  );
}

/** Every section that `--only` lets run, in order. */
async function runSections(b: Bench): Promise<void> {
  if (runs('queued')) await benchQueued(b);
  if (runs('big')) await benchBigFile(b);
  // Many small files: local, re-sync, peak memory, over ssh, copier vs rsync vs cp -a.
  const smallWork = join(b.base, 'small-work');
  if (runs('small') || runs('copier')) writeTree(smallWork, SMALL_FILES);
  const small = `${SMALL_FILES.toLocaleString('en')} small files`;
  if (runs('small')) await benchSmallFiles(b, smallWork, small);
  if (runs('copier')) await benchCopier(b, smallWork, small);
  rmSync(smallWork, { recursive: true, force: true });
  if (runs('copier-rss')) await benchCopierRss(b);
  if (runs('nothing')) await benchNothingToDo(b);
  if (runs('campaign')) await benchCampaign(b);
  if (runs('pbs')) await realPbsCampaign(b.base);
  if (runs('load')) await benchLoad(b);
  // Issue 19: latency-bound file system, streams over ssh, the campaign curve (speed.ts).
  const kit: Kit = {
    ...b,
    quick,
    reps: REPS,
    say,
    facts,
    timed,
    record,
    recordValue,
    notAvailable,
    checked,
    countFiles,
  };
  if (runs('latency')) await benchLatencyFs(kit);
  if (runs('streams')) await benchStreamsOverSsh(kit, compare);
  if (runs('jobs')) await benchCampaignTarget(kit);
  if (runs('curve')) await benchCampaignCurve(kit);
}

function printTable(): void {
  const fmt = (x: number | null, digits = 0) => (x === null ? 'n/a' : x.toFixed(digits));
  const value = (r: Row) =>
    r.unit && r.ours !== null ? `${r.ours.toFixed(r.ours < 10 ? 2 : 0)} ${r.unit}` : fmt(r.ours);
  console.log(
    `\n${quick ? 'QUICK MODE (smaller data, fewer runs) — ' : ''}medians of ${REPS} runs per side after a warm-up; ratio = ours / baseline\n`,
  );
  // `ours − baseline`: the action's cost on top of the baseline (for the transfer cases, a
  // constant start-up when it does not grow with the data).
  console.log(
    '| case | ours (ms) | baseline | baseline (ms) | ours − baseline (ms) | ratio | target | |',
  );
  console.log('|---|---:|---|---:|---:|---:|---|---|');
  for (const r of rows) {
    const verdict = r.met === null ? '' : r.met ? 'met' : '**MISSED**';
    const ratio =
      r.ratio === null
        ? r.unit
          ? '—'
          : 'n/a'
        : r.target.includes('faster')
          ? `${r.ratio.toFixed(2)} (${(1 / r.ratio).toFixed(1)}× faster)`
          : r.ratio.toFixed(2);
    console.log(
      `| ${r.case} | ${value(r)} | ${r.baselineName} | ${fmt(r.baseline)} | ${r.ours === null || r.baseline === null ? 'n/a' : (r.ours - r.baseline).toFixed(0)} | ${ratio} | ${r.target} | ${[verdict, r.note].filter(Boolean).join(' ')} |`,
    );
  }
  const factsShown = { ...facts } as Record<string, unknown>;
  if (factsShown.schedulerCalls) {
    const { calls: _calls, ...rest } = factsShown.schedulerCalls as Record<string, unknown>;
    factsShown.schedulerCalls = rest;
  }
  console.log(`\n${JSON.stringify(factsShown, null, 2)}`);
}

function writeResults(): void {
  facts.totalSeconds = Number(((performance.now() - benchStarted) / 1000).toFixed(1));
  const out = join(root, 'bench', 'results.json');
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), quick, rows, facts }, null, 2)}\n`,
  );
  console.log(`\n${quick ? 'QUICK MODE. ' : ''}Written: ${out} (total ${facts.totalSeconds} s)`);
}

async function main(): Promise<void> {
  const dist = join(root, 'dist', 'index.js');
  if (!existsSync(dist)) throw new Error('dist/index.js is missing: run `npm run bundle` first');
  console.log(
    quick
      ? `qq-sync benchmarks — QUICK MODE: ${BIG / 1024 ** 2} MiB file, ${SMALL_FILES} files, ${CAMPAIGN_JOBS} jobs, ${REPS} runs per side after a warm-up (figures for a smoke check, not for the README)`
      : `qq-sync benchmarks: ${BIG / 1024 ** 2} MiB file, ${SMALL_FILES} files, ${CAMPAIGN_JOBS} jobs, ${REPS} runs per side after a warm-up`,
  );
  await recordFacts();

  const where = benchRoot();
  const base = mkdtempSync(join(where.dir, 'qq-sync-bench-'));
  facts.dataDir = `${where.dir} (${where.why})`;
  say(`data under ${base} (${where.why})`);
  const b = benchContext(dist, base, await startServices());
  try {
    await runSections(b);
  } finally {
    if (b.slurm) await scancel(b.senv, b.submitted).catch(() => {});
    await Promise.all([b.slurm?.stop(), b.sshd?.stop()]);
    rmSync(base, { recursive: true, force: true });
  }
  printTable();
  writeResults();
}

await main();
