/**
 * The bench sections of issues 19 and 29 (bench.ts runs them): (a) a latency-bound shared file
 * system — a FUSE passthrough that sleeps per metadata operation (latency-fs.py) — the action
 * against 8 concurrent rsyncs and `fpsync -n 8`, cold and warm; (c) a 1 GiB tree over ssh in
 * streams; (d) the campaign curve, 100 to 10,000 local jobs in one step; (e) issue 29's
 * campaign of 4,000 local jobs with the action's defaults. Each compares in the same run,
 * alternating, as bench.ts does.
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
  /** A row with an absolute target (ms per job, MiB): met when `value` ≤ `max`. */
  recordValue: (name: string, value: number, unit: string, max: number, note?: string) => void;
  notAvailable: (
    name: string,
    baselineName: string,
    target: { max?: number; faster?: number; report?: boolean },
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

/** Issue 29's latency-bound tree: 5,000 files of 512 B in 50 top-level directories. */
const LAT_DIRS = 50;
/** The concurrent rsyncs of the hand-made baseline, as `fpsync -n 8` has 8 workers. */
const RSYNCS = 8;

/**
 * Drop the kernel's page, dentry and inode caches (root, /proc/sys writable); the reason when
 * it cannot be done here.
 */
function dropCaches(): string | undefined {
  try {
    execFileSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/**
 * (a) The latency-bound file system (issue 29): the action with `streams: auto` against 8
 * rsyncs run at once, one share of the top-level directories each, and against `fpsync -n 8`;
 * on a cold mount (every sample on a fresh mount, caches dropped) and on a warm one (the same
 * mount, after a first run of each side). Rounds alternate the order of the sides.
 */
export async function benchLatencyFs(k: Kit): Promise<void> {
  const why = latencyFsMissing();
  const n = k.quick ? 1000 : 5000;
  const what = `latency-bound FS (FUSE, ${FUSE_DELAY_MS} ms per metadata op), ${n.toLocaleString('en')} files in ${LAT_DIRS} dirs, \`streams: auto\``;
  const eight = `${RSYNCS} \`rsync -rltD\` at once`;
  const rows: [string, string, { max?: number; faster?: number }][] = [];
  for (const mount of ['cold', 'warm']) {
    rows.push([`${what}, ${mount} mount`, eight, { max: 1.15 }]);
    rows.push([`${what}, ${mount} mount`, '`fpsync -n 8`', { faster: 2 }]);
  }
  if (why) {
    for (const [name, baseline, target] of rows) k.notAvailable(name, baseline, target, why);
    return;
  }
  const real = join(k.base, 'lat-real');
  const dirs = Array.from({ length: LAT_DIRS }, (_, d) => `d${String(d).padStart(3, '0')}`);
  for (let i = 0; i < n; i++) {
    const dir = join(real, dirs[i % LAT_DIRS] as string);
    if (i < LAT_DIRS) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.dat`), Buffer.alloc(512, i % 251));
  }
  // Share s of the 8: every 8th directory from the s-th (sorted names, equal directories).
  const shares = Array.from({ length: RSYNCS }, (_, s) => dirs.filter((_d, j) => j % RSYNCS === s));
  const mnt = join(k.base, 'lat-mnt');
  const ws = join(k.base, 'lat-ws');
  const env = await k.runningJob(ws, mnt);
  const dest = join(ws, 'out');
  const other = join(k.base, 'lat-other');
  const complete = (dir: string, side: string) => {
    if (k.countFiles(dir) !== n) throw new Error(`latency FS, ${side}: incomplete copy`);
  };
  const sides: Record<string, () => Promise<number>> = {
    ours: async () => {
      const run = k.checked(
        await runAction({
          workspace: ws,
          inputs: { path: 'sim', destination: 'out', 'shared-storage': 'true', streams: 'auto' },
          env,
        }),
        what,
      );
      complete(dest, 'the action');
      return run.durationMs;
    },
    rsyncs: async () => {
      const started = performance.now();
      await Promise.all(
        shares.map((share) =>
          k.timed(['rsync', '-rltD', ...share.map((d) => join(mnt, d)), `${other}/`]),
        ),
      );
      const ms = performance.now() - started;
      complete(other, eight);
      return ms;
    },
    fpsync: async () => {
      const tmp = join(k.base, 'fpsync-tmp');
      const ms = await k.timed(['fpsync', '-n', '8', '-t', tmp, `${mnt}/`, `${other}/`]);
      rmSync(tmp, { recursive: true, force: true });
      complete(other, 'fpsync');
      return ms;
    },
  };
  const clean = () => {
    rmSync(dest, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
    mkdirSync(other, { recursive: true });
    execFileSync('sync');
  };
  const rounds = k.quick ? 2 : 3;
  const order = (r: number) =>
    r % 2 ? ['fpsync', 'rsyncs', 'ours'] : ['ours', 'rsyncs', 'fpsync'];
  let noDrop: string | undefined;
  try {
    for (const mount of ['cold', 'warm'] as const) {
      const samples: Record<string, number[]> = { ours: [], rsyncs: [], fpsync: [] };
      let unmount: (() => Promise<void>) | undefined;
      if (mount === 'warm') {
        unmount = await mountLatencyFs(real, mnt);
        // The first run of each side on this mount: what makes the mount warm (not counted).
        for (const side of order(0)) {
          clean();
          await (sides[side] as () => Promise<number>)();
        }
      }
      try {
        for (let r = 0; r < rounds; r++) {
          for (const side of order(r)) {
            clean();
            if (mount === 'cold') {
              // A fresh mount and no cache: nothing this side reads is known beforehand.
              noDrop = dropCaches() ?? noDrop;
              unmount = await mountLatencyFs(real, mnt);
            }
            try {
              (samples[side] as number[]).push(await (sides[side] as () => Promise<number>)());
            } finally {
              if (mount === 'cold') await unmount?.();
            }
          }
        }
      } finally {
        if (mount === 'warm') await unmount?.();
      }
      const note = (s: string) =>
        `${s}; ${mount === 'cold' ? `every sample on a fresh mount${noDrop ? ` (caches NOT dropped: ${noDrop})` : ', caches dropped'}` : 'the same mount, after a first run of each side'}; median of ${rounds}`;
      k.record(
        `${what}, ${mount} mount`,
        { ours: samples.ours as number[], baseline: samples.rsyncs as number[] },
        eight,
        { max: 1.15 },
        note(
          `${RSYNCS} rsyncs started together, rsync s of ${RSYNCS} taking the top-level dirs d(s), d(s+8), … (${LAT_DIRS} dirs: ${LAT_DIRS % RSYNCS} shares of ${Math.ceil(LAT_DIRS / RSYNCS)}, the rest of ${Math.floor(LAT_DIRS / RSYNCS)}); time until the last ends`,
        ),
      );
      k.record(
        `${what}, ${mount} mount`,
        { ours: samples.ours as number[], baseline: samples.fpsync as number[] },
        '`fpsync -n 8`',
        { faster: 2 },
        note('`fpsync -n 8 -t <tmp> src/ dst/`, its defaults otherwise'),
      );
    }
  } finally {
    rmSync(real, { recursive: true, force: true });
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

/** Issue 29's targets for a campaign of local jobs: per job, and the step's peak RSS. */
const CAMPAIGN_MS_PER_JOB = 2.5;
const CAMPAIGN_RSS_MIB = 160;
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

/** Peak RSS (MiB) that `/usr/bin/time -f %M -o file` wrote. */
function peakMiB(file: string): number {
  return Number(readFileSync(file, 'utf8').trim().split('\n').pop()) / 1024;
}

/**
 * (e) Issue 29's campaign: 4,000 local jobs of one small file each (PBS stand-in) in one step
 * with the action's defaults (no `parallel`, no NODE_OPTIONS: what a user gets), fetched from
 * scratch `reps` times; the median ms per job and the median peak RSS against their targets.
 */
export async function benchCampaignTarget(k: Kit): Promise<void> {
  const n = k.quick ? 1000 : 4000;
  const reps = k.quick ? 1 : 3;
  const name = `campaign: ${n.toLocaleString('en')} local jobs of 1 file, one step, defaults`;
  if (!existsSync('/usr/bin/time')) {
    k.notAvailable(name, '—', { report: true }, '/usr/bin/time is not installed (Debian: time)');
    return;
  }
  const ws = join(k.base, `campaign-target-${n}`);
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
  const memFile = join(k.base, 'campaign-target-rss');
  const msPerJob: number[] = [];
  const rss: number[] = [];
  for (let r = 0; r < reps; r++) {
    // From scratch each time: the files of the previous run taken out of the input dirs.
    if (r) for (let i = 0; i < n; i++) rmSync(join(ws, 'jobs', `j${i}`, 'energy.xvg'));
    const run = k.checked(
      await runAction({
        workspace: ws,
        inputs: { path: 'jobs/*', 'shared-storage': 'true' },
        env: {
          PATH: `${join(root, 'test', 'support', 'pbs')}:${process.env.PATH}`,
          QSTAT_STANDIN_RECORDS: k.pbsRecords,
          // Whatever the shell that started the bench had: the user sets none.
          NODE_OPTIONS: '',
        },
        wrap: ['/usr/bin/time', '-f', '%M', '-o', memFile],
        timeoutMs: 900_000,
      }),
      name,
    );
    if (run.outputs['files-synced'] !== String(n)) {
      throw new Error(`${name}: ${run.outputs['files-synced']} files synced`);
    }
    msPerJob.push(run.durationMs / n);
    rss.push(peakMiB(memFile));
  }
  const note = `median of ${reps} runs from scratch; samples ${msPerJob.map((x) => x.toFixed(2)).join(', ')} ms/job, ${rss.map((x) => x.toFixed(0)).join(', ')} MiB; no NODE_OPTIONS, default \`parallel\`, PBS stand-in qstat`;
  k.recordValue(`${name}: time per job`, median(msPerJob), 'ms/job', CAMPAIGN_MS_PER_JOB, note);
  k.recordValue(`${name}: peak RSS`, median(rss), 'MiB', CAMPAIGN_RSS_MIB, note);
  rmSync(ws, { recursive: true, force: true });
}
