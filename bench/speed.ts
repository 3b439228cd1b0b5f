/**
 * The bench sections of issue 19 (bench.ts runs them): (a) a latency-bound shared file
 * system — a FUSE passthrough that sleeps per metadata operation (latency-fs.py) — the action
 * against one `rsync -rltD`, `fpsync -n 8` and `cp -a`; (c) a 1 GiB tree over ssh in streams;
 * (d) the campaign curve, 100 to 10,000 local jobs in one step. Each compares in the same
 * run, alternating, as bench.ts does.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ActionRun, root, runAction } from '../scripts/run-action.mjs';
import { makeJob } from '../test/support/jobs.js';

/** What bench.ts lends the sections. */
export interface Kit {
  quick: boolean;
  reps: number;
  base: string;
  say: (text: string) => void;
  facts: Record<string, unknown>;
  timed: (argv: string[], env?: NodeJS.ProcessEnv) => Promise<number>;
  record: (
    name: string,
    samples: { ours: number[]; baseline: number[] },
    baselineName: string,
    target: { max?: number; faster?: number; report?: boolean },
    note?: string,
  ) => void;
  notAvailable: (
    name: string,
    baselineName: string,
    target: { faster?: number; report?: boolean },
    why: string,
  ) => void;
  checked: (run: ActionRun, what: string) => ActionRun;
  countFiles: (dir: string) => number;
  /** A running job (Slurm, else the PBS stand-in) reading `workDir`; the env for the step. */
  runningJob: (ws: string, workDir: string) => Promise<Record<string, string>>;
  pbsRunningJob: () => string;
  pbsRecords: string;
  sshInputs: Record<string, string>;
  rawSsh: string;
  noSshd: string;
  sshd: unknown;
}

const FUSE_DELAY_MS = 0.5;

/** Why the latency file system cannot be mounted here, or undefined. */
function latencyFsMissing(): string | undefined {
  if (!existsSync('/dev/fuse')) return 'no /dev/fuse on this machine';
  if (process.getuid?.() !== 0) return 'mounting the FUSE file system needs root';
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import fusepy'], { stdio: 'ignore' });
  } catch {
    return "Debian's python3-fusepy is not installed";
  }
  if (!existsSync('/usr/bin/fpsync')) return "fpsync is not installed (Debian's fpart)";
  return undefined;
}

/** Mount `real` at `mnt` through latency-fs.py; returns the unmount. */
async function mountLatencyFs(real: string, mnt: string): Promise<() => Promise<void>> {
  mkdirSync(mnt, { recursive: true });
  const child = spawn(
    '/usr/bin/python3',
    [join(root, 'bench', 'latency-fs.py'), real, mnt, `${FUSE_DELAY_MS}`],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i++) {
    const mounts = readFileSync('/proc/mounts', 'utf8');
    if (mounts.includes(` ${mnt} fuse`)) break;
    await sleep(100);
  }
  return async () => {
    execFileSync('fusermount', ['-u', mnt]);
    await new Promise((r) => child.once('exit', r));
  };
}

/** Median of xs. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** (a) The latency-bound file system: 5,000 and 20,000 files of 512 B in directories of 200. */
export async function benchLatencyFs(k: Kit): Promise<void> {
  const why = latencyFsMissing();
  const sizes = k.quick ? [2000] : [5000, 20_000];
  for (const n of sizes) {
    const name = `latency-bound FS (FUSE, ${FUSE_DELAY_MS} ms per metadata op), ${n.toLocaleString('en')} files`;
    if (why) {
      k.notAvailable(name, '`rsync -rltD`', { faster: 4 }, why);
      continue;
    }
    const real = join(k.base, `lat-real-${n}`);
    for (let i = 0; i < n; i++) {
      const dir = join(real, `d${String(Math.floor(i / 200)).padStart(3, '0')}`);
      if (i % 200 === 0) mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `f${i}.dat`), Buffer.alloc(512, i % 251));
    }
    const mnt = join(k.base, `lat-mnt-${n}`);
    const unmount = await mountLatencyFs(real, mnt);
    try {
      const ws = join(k.base, `lat-ws-${n}`);
      const env = await k.runningJob(ws, mnt);
      const dest = join(ws, 'out');
      const other = join(k.base, `lat-other-${n}`);
      const sides: Record<string, () => Promise<number>> = {
        ours: async () => {
          const run = k.checked(
            await runAction({
              workspace: ws,
              inputs: { path: 'sim', destination: 'out', 'shared-storage': 'true' },
              env,
            }),
            name,
          );
          if (k.countFiles(dest) !== n) throw new Error(`${name}: incomplete copy`);
          return run.durationMs;
        },
        rsync: () => k.timed(['rsync', '-rltD', `${mnt}/`, other]),
        fpsync: () =>
          k.timed(['fpsync', '-n', '8', '-t', join(k.base, 'fpsync-tmp'), `${mnt}/`, `${other}/`]),
        cp: () => k.timed(['cp', '-a', `${mnt}/.`, other]),
      };
      const samples: Record<string, number[]> = { ours: [], rsync: [], fpsync: [], cp: [] };
      // Fewer rounds than elsewhere: one rsync of 20,000 files here takes about a minute.
      const rounds = k.quick ? 1 : 2;
      for (let r = 0; r < rounds; r++) {
        const order = Object.keys(sides);
        if (r % 2) order.reverse();
        for (const side of order) {
          rmSync(dest, { recursive: true, force: true });
          rmSync(other, { recursive: true, force: true });
          mkdirSync(other, { recursive: true });
          execFileSync('sync');
          // Let the kernel's 1 s cache of names and attributes expire: every side starts cold.
          await sleep(1500);
          (samples[side] as number[]).push(await (sides[side] as () => Promise<number>)());
        }
      }
      k.record(
        name,
        { ours: samples.ours as number[], baseline: samples.rsync as number[] },
        '`rsync -rltD`',
        { faster: 4 },
      );
      k.record(
        name,
        { ours: samples.ours as number[], baseline: samples.fpsync as number[] },
        '`fpsync -n 8`',
        { faster: 2 },
      );
      k.record(
        name,
        { ours: samples.ours as number[], baseline: samples.cp as number[] },
        '`cp -a`',
        { report: true },
      );
    } finally {
      await unmount();
      rmSync(real, { recursive: true, force: true });
    }
  }
}

/** (c) 1 GiB over ssh in 8 files: the action (default streams) against one rsync. */
export async function benchStreamsOverSsh(k: Kit, compare: CompareFn): Promise<void> {
  const total = k.quick ? 256 * 1024 ** 2 : 1024 ** 3;
  const name = `${total / 1024 ** 2} MiB in 8 files, over ssh`;
  if (!k.sshd) {
    k.notAvailable(name, '`rsync -rltD -e ssh`', { report: true }, k.noSshd);
    return;
  }
  const work = join(k.base, 'streams-work');
  mkdirSync(work, { recursive: true });
  for (let i = 0; i < 8; i++) {
    execFileSync('dd', [
      'if=/dev/urandom',
      `of=${join(work, `part${i}.bin`)}`,
      'bs=1M',
      `count=${total / 8 / 1024 ** 2}`,
      'status=none',
    ]);
  }
  const ws = join(k.base, 'streams-ws');
  const env = await k.runningJob(ws, work);
  const dest = join(ws, 'out');
  const raw = join(k.base, 'streams-raw');
  for (const streams of ['1', '8']) {
    const inputs = {
      path: 'sim',
      destination: 'out',
      'shared-storage': 'false',
      streams,
      ...k.sshInputs,
    };
    k.record(
      `${name}, streams: ${streams}`,
      await compare(
        async () => k.checked(await runAction({ workspace: ws, inputs, env }), name).durationMs,
        () => k.timed(['rsync', '-rltD', '-e', k.rawSsh, `127.0.0.1:${work}/`, raw]),
        () => {
          rmSync(dest, { recursive: true, force: true });
          rmSync(raw, { recursive: true, force: true });
        },
      ),
      '`rsync -rltD -e ssh`',
      { report: true },
    );
  }
  rmSync(work, { recursive: true, force: true });
}

export type CompareFn = (
  a: () => Promise<number>,
  b: () => Promise<number>,
  prepare?: () => void,
) => Promise<{ ours: number[]; baseline: number[] }>;

/** Issue 19's targets for a campaign of local jobs: per job, and the step's peak RSS. */
const CAMPAIGN_MS_PER_JOB = 5;
const CAMPAIGN_RSS_MIB = 200;
/** The cap on V8's semi-spaces (MiB) the README suggests for very large campaigns. */
const CAPPED_SEMI_SPACE_MIB = 16;

/** Jobs the rsync loop is timed over; a loop is linear in its jobs, so N costs N/this as much. */
const LOOP_TIMED_JOBS = 1000;

/**
 * What a user would otherwise run for N local jobs: one `rsync -rltD` per job, one after the
 * other, spawned from a small process (no scheduler query, no info file: the floor of a loop).
 * Timed over the first LOOP_TIMED_JOBS jobs (10,000 take six minutes) and scaled to N.
 */
function rsyncLoopMs(ws: string, n: number): number {
  mkdirSync(join(ws, 'loop'));
  const timed = Math.min(n, LOOP_TIMED_JOBS);
  const started = performance.now();
  for (let i = 0; i < timed; i++) {
    const r = spawnSync(
      'rsync',
      ['-rltD', `${join(ws, 'work', `j${i}`)}/`, join(ws, 'loop', `j${i}`)],
      { stdio: 'ignore' },
    );
    if (r.status !== 0) throw new Error(`the rsync loop failed at job ${i}`);
  }
  return ((performance.now() - started) * n) / timed;
}

/**
 * (d) The campaign curve: N local jobs of one small file each in one step (PBS stand-in),
 * against a loop of one rsync per job in the same run. Small local jobs are copied in-process.
 */
export async function benchCampaignCurve(k: Kit): Promise<void> {
  const counts = k.quick ? [100, 1000] : [100, 1000, 4000, 10_000];
  const curve: Array<Record<string, number>> = [];
  for (const n of counts) {
    const ws = join(k.base, `curve-${n}`);
    for (let i = 0; i < n; i++) {
      makeJob({
        batchSystem: 'PBS',
        jobId: k.pbsRunningJob(),
        inputDir: join(ws, 'jobs', `j${i}`),
        jobState: 'running',
        mainNode: 'node1.example.org',
        workDir: join(ws, 'work', `j${i}`),
        files: { 'energy.xvg': `job ${i}\n` },
      });
    }
    const memFile = join(k.base, `curve-rss-${n}`);
    const run = k.checked(
      await runAction({
        workspace: ws,
        inputs: { path: 'jobs/*', 'shared-storage': 'true', parallel: '8' },
        env: {
          PATH: `${join(root, 'test', 'support', 'pbs')}:${process.env.PATH}`,
          QSTAT_STANDIN_RECORDS: k.pbsRecords,
        },
        wrap: ['/usr/bin/time', '-f', '%M', '-o', memFile],
        timeoutMs: 900_000,
      }),
      `campaign of ${n}`,
    );
    const rssMiB = Number(readFileSync(memFile, 'utf8').trim().split('\n').pop()) / 1024;
    const loopMs = rsyncLoopMs(ws, n);
    const point = {
      jobs: n,
      seconds: run.durationMs / 1000,
      msPerJob: run.durationMs / n,
      rssMiB,
      loopMsPerJob: loopMs / n,
    };
    curve.push(point);
    const missed = [
      point.msPerJob > CAMPAIGN_MS_PER_JOB && n >= 1000
        ? `over ${CAMPAIGN_MS_PER_JOB} ms per job`
        : '',
      rssMiB > CAMPAIGN_RSS_MIB && n <= 4000 ? `over ${CAMPAIGN_RSS_MIB} MiB` : '',
    ].filter(Boolean);
    k.record(
      `campaign curve: ${n} local jobs of 1 file, one step`,
      { ours: [run.durationMs], baseline: [loopMs] },
      `a loop of \`rsync -rltD\` per job${n > LOOP_TIMED_JOBS ? ` (timed over ${LOOP_TIMED_JOBS})` : ''}`,
      { report: true },
      `${point.msPerJob.toFixed(1)} ms per job (target ≤ ${CAMPAIGN_MS_PER_JOB} from 1,000 jobs), peak RSS ${rssMiB.toFixed(0)} MiB (target ≤ ${CAMPAIGN_RSS_MIB} up to 4,000)${missed.length ? `: MISSED (${missed.join(', ')})` : ''}`,
    );
    k.say(
      `campaign curve: ${n} jobs in ${point.seconds.toFixed(1)} s, ${point.msPerJob.toFixed(1)} ms per job (a loop of rsync: ${point.loopMsPerJob.toFixed(1)}), peak RSS ${rssMiB.toFixed(0)} MiB${missed.length ? `  MISSED: ${missed.join(', ')}` : ''}`,
    );
    if (n === (k.quick ? 1000 : 4000)) {
      // The same step with V8's young generation capped from the workflow (README): most of
      // the peak above is that generation, which Node 24 sizes from the machine's memory.
      // Fetched again from scratch: the files of the first run taken out of the input dirs.
      for (let i = 0; i < n; i++) rmSync(join(ws, 'jobs', `j${i}`, 'energy.xvg'));
      const capped = k.checked(
        await runAction({
          workspace: ws,
          inputs: { path: 'jobs/*', 'shared-storage': 'true', parallel: '8' },
          env: {
            PATH: `${join(root, 'test', 'support', 'pbs')}:${process.env.PATH}`,
            QSTAT_STANDIN_RECORDS: k.pbsRecords,
            NODE_OPTIONS: `--max-semi-space-size=${CAPPED_SEMI_SPACE_MIB}`,
          },
          wrap: ['/usr/bin/time', '-f', '%M', '-o', memFile],
          timeoutMs: 900_000,
        }),
        `campaign of ${n}, young generation capped`,
      );
      if (capped.outputs['files-synced'] !== String(n))
        throw new Error('the capped run fetched too little');
      const cappedMiB = Number(readFileSync(memFile, 'utf8').trim().split('\n').pop()) / 1024;
      k.facts.campaignCapped = { jobs: n, seconds: capped.durationMs / 1000, rssMiB: cappedMiB };
      k.say(
        `campaign curve: ${n} jobs with NODE_OPTIONS=--max-semi-space-size=${CAPPED_SEMI_SPACE_MIB}: ${(capped.durationMs / 1000).toFixed(1)} s, peak RSS ${cappedMiB.toFixed(0)} MiB${cappedMiB > CAMPAIGN_RSS_MIB ? '  MISSED' : ''}`,
      );
    }
    rmSync(ws, { recursive: true, force: true });
  }
  k.facts.campaignCurve = curve;
  k.facts.campaignCurveMedianMsPerJob = median(curve.map((c) => c.msPerJob as number));
}
