/**
 * A cancelled run, through the bundle, cancelled as the GitHub runner cancels a step (a
 * cancelled workflow, or `timeout-minutes`): SIGINT — or SIGTERM, which the runner sends 7.5 s
 * later — to the node process only, never to the process groups of the programs it started.
 * During a large transfer (real rsync here, the built-in copier, real rsync over a real sshd),
 * during `wait-for` with `follow` on a real Slurm job, and during a scheduler command that hangs
 * (the PBS stand-in of test/support/pbs/hang: PBS cannot be installed here). After each:
 * no program of the run is left (read from the process table: every process below the action
 * and below the sshd when the signal was sent, and anything naming the run's directories), the
 * outputs and the summary say what happened, the destination lock is gone, no file stands
 * half-written under its final name, and a rerun completes the copy.
 *
 * QQ_SYNC_NODE=/opt/node24/bin/node runs the bundle under Node 24 (scripts/run-action.mjs).
 * The time from the signal to the exit is printed at the end (not asserted: the machine is
 * shared).
 */
import type { ChildProcess } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ActionRun, runAction } from '../../scripts/run-action.mjs';
import { lockPathOf } from '../../src/transfer/lock/index.js';
import { ENTRY, PBS_BIN, Scene } from '../corpus/harness.js';
import { explain } from '../support/explain.js';
import { makeJob } from '../support/jobs.js';
import {
  descendantsOf,
  describeProcs,
  mentioning,
  type Proc,
  stillRunning,
} from '../support/procs.js';
import { slurmCli, slurmSkip } from '../support/services.js';
import {
  type StartedSshd,
  sshdUnavailableReason,
  sshOptionLines,
  startSshd,
} from '../support/sshd.js';

const slurm = inject('slurm');
const sshUnavailable = sshdUnavailableReason();
if (sshUnavailable && process.env.CI === 'true') {
  throw new Error(`sshd is needed for these tests: ${sshUnavailable}`);
}

/** The large file comes first in rsync's order, so the cancel finds it being written. */
const BIG = 'a-big.bin';
const BIG_SIZE = 768 * 1024 * 1024;
const SMALL = 200;

let base: string;
/** The working directory every transfer reads (never written by the action). */
let source: string;
/** A PATH directory with node only: without rsync, a local copy uses the built-in copier. */
let nodeOnly: string;
let sshd: StartedSshd | undefined;
let sshdPid = 0;
const scenes: Scene[] = [];
const timings: string[] = [];

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'qq-sync-cancel-'));
  source = join(base, 'work');
  mkdirSync(join(source, 'data'), { recursive: true });
  const fd = openSync(join(source, BIG), 'w');
  const chunk = Buffer.alloc(8 * 1024 * 1024);
  for (let written = 0; written < BIG_SIZE; written += chunk.length) {
    writeSync(fd, randomFillSync(chunk));
  }
  closeSync(fd);
  for (let i = 0; i < SMALL; i++) {
    writeFileSync(join(source, 'data', `f${String(i).padStart(4, '0')}.txt`), `file ${i}\n`);
  }
  nodeOnly = join(base, 'node-only');
  mkdirSync(nodeOnly);
  symlinkSync(process.execPath, join(nodeOnly, 'node'));
  if (!sshUnavailable) {
    sshd = await startSshd();
    sshdPid = Number(readFileSync(join(sshd.dir, 'sshd.pid'), 'utf8').trim());
  }
}, 120_000);

afterAll(async () => {
  if (timings.length > 0) {
    console.log(
      `time from the signal to the exit (${process.env.QQ_SYNC_NODE ?? process.execPath}):\n${timings.join('\n')}`,
    );
  }
  await sshd?.stop();
  for (const s of scenes) s.cleanup();
  rmSync(base, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Cancelled {
  run: ActionRun;
  /** Every process below the action (and below the sshd) when the signal was sent. */
  seen: Proc[];
  msToExit: number;
}

/**
 * Start the action, wait until `ready()` says the moment has come, then send `signals` to the
 * node process (a second one 100 ms after the first), as the runner does.
 */
async function cancelWhen(
  label: string,
  start: (onSpawn: (child: ChildProcess) => void) => Promise<ActionRun>,
  ready: (stdout: string, below: Proc[]) => boolean,
  signals: NodeJS.Signals[],
): Promise<Cancelled> {
  let child: ChildProcess | undefined;
  let stdout = '';
  let exitedAt = 0;
  const running = start((c) => {
    child = c;
    c.stdout?.on('data', (d) => {
      stdout += d;
    });
    c.on('exit', () => {
      exitedAt = Date.now();
    });
  });
  let seen: Proc[] = [];
  let signalledAt = 0;
  for (let waited = 0; ; waited += 50) {
    if (exitedAt) throw new Error(`${label}: the action ended before the cancel:\n${stdout}`);
    if (child?.pid) {
      const below = [...descendantsOf(child.pid), ...(sshdPid ? descendantsOf(sshdPid) : [])];
      if (ready(stdout, below)) {
        seen = below;
        signalledAt = Date.now();
        child.kill(signals[0]);
        break;
      }
    }
    if (waited > 120_000) throw new Error(`${label}: never ready to cancel:\n${stdout}`);
    await sleep(50);
  }
  if (signals[1]) {
    await sleep(100);
    if (!exitedAt) child?.kill(signals[1]);
  }
  const run = await running;
  const msToExit = exitedAt - signalledAt;
  timings.push(`  ${label}: ${msToExit} ms`);
  return { run, seen, msToExit };
}

/**
 * No program of the run is left: nothing seen below it, nothing naming its directories.
 * `programs`: the run had programs running when it was cancelled (the copier has none).
 */
async function expectNothingLeft(c: Cancelled, names: string[], programs = true): Promise<void> {
  let left: Proc[] = [];
  // A killed process may take a moment to leave the table (a write to disk in progress).
  for (let i = 0; i < 40; i++) {
    left = [...stillRunning(c.seen), ...names.flatMap((n) => mentioning(n))];
    if (left.length === 0) break;
    await sleep(100);
  }
  expect(describeProcs(left), explain(c.run)).toBe('');
  if (programs) expect(c.seen.length).toBeGreaterThan(0);
}

/** Regular files of `dir`, relative, without the qq info file; dot names are temporary. */
function filesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'run_md.qqinfo') out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** 1 MiB of `file` at `offset`. */
function sample(file: string, offset: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1024 * 1024);
    const n = readSync(fd, buf, 0, buf.length, offset);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** No temporary file, no lock; every file under a final name is whole (as in `src`). */
function expectNoPartialFile(dest: string, src = source): void {
  const names = filesIn(dest);
  const temporary = names.filter((n) => n.split('/').some((part) => part.startsWith('.')));
  expect(temporary, `temporary files left in ${dest}`).toEqual([]);
  expect(existsSync(lockPathOf(realpathSync(dest))), 'the destination lock is gone').toBe(false);
  for (const n of names) {
    expect(lstatSync(join(dest, n)).size, n).toBe(lstatSync(join(src, n)).size);
  }
}

/** The destination holds the whole working directory (the large file sampled). */
function expectComplete(dest: string): void {
  expect(filesIn(dest)).toEqual(filesIn(source));
  expectNoPartialFile(dest);
  for (const at of [0, BIG_SIZE / 2, BIG_SIZE - 1024 * 1024]) {
    expect(
      sample(join(dest, BIG), at).equals(sample(join(source, BIG), at)),
      `${BIG} at ${at}`,
    ).toBe(true);
  }
}

/** A temporary file of the large one is in `dest`: the transfer is writing it. */
function writingBig(dest: string): boolean {
  try {
    return readdirSync(dest).some((n) => n.startsWith(`.${BIG}.`));
  } catch {
    return false;
  }
}

function expectCancelledOutputs(run: ActionRun, signal: string): void {
  expect(run.code, explain(run)).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs.reason).toBe(`Cancelled (${signal}) before the transfer finished.`);
  const jobs = JSON.parse(run.outputs.jobs ?? '[]') as { status: string; reason: string }[];
  expect(jobs.length).toBeGreaterThan(0);
  for (const j of jobs)
    expect(j.reason).toBe(`Cancelled (${signal}) before the transfer finished.`);
  expect(run.summary).toContain(`Cancelled (${signal})`);
  expect(run.stdout).toContain(`::error::Cancelled (${signal})`);
}

/** Scene.run, with the node process handed to `onSpawn`. */
function start(
  s: Scene,
  inputs: Record<string, string>,
  env: Record<string, string>,
  onSpawn: (child: ChildProcess) => void,
): Promise<ActionRun> {
  return runAction({
    workspace: s.workspace,
    inputs,
    env: s.env(env),
    entry: ENTRY,
    timeoutMs: 180_000,
    onSpawn,
  });
}

type Method = 'rsync' | 'built-in copier' | 'rsync over ssh';

describe('cancelled during a large transfer', () => {
  for (const method of ['rsync', 'built-in copier', 'rsync over ssh'] as Method[]) {
    for (const signal of ['SIGINT', 'SIGTERM'] as NodeJS.Signals[]) {
      it.skipIf(method === 'rsync over ssh' && sshUnavailable !== undefined)(
        `${method}, ${signal}: every program ends, outputs and summary written, no partial file; a rerun completes`,
        async () => {
          const s = new Scene('qq-sync-cancel-');
          scenes.push(s);
          const ssh = method === 'rsync over ssh';
          // Over ssh, two jobs: they share the run's ssh connection, which the cancel closes.
          const dirs = ssh ? ['one', 'two'] : ['one'];
          for (const d of dirs) {
            s.job(d, { workDir: source, mainNode: ssh ? '127.0.0.1' : 'node1.example.org' }, {});
          }
          const inputs: Record<string, string> = {
            path: dirs.join('\n'),
            'shared-storage': ssh ? 'false' : 'true',
            'transfer-timeout': '600',
            ...(ssh && sshd
              ? {
                  'ssh-options': sshOptionLines(sshd).join('\n'),
                  'strict-host-key-checking': 'yes',
                }
              : {}),
          };
          const tmp = join(s.base, 'tmp');
          mkdirSync(tmp);
          const env: Record<string, string> = { TMPDIR: tmp };
          if (method === 'built-in copier') env.PATH = `${PBS_BIN}:${nodeOnly}`;
          // A tree this small is copied in-process by default: the rsync cases make rsync run.
          if (method === 'rsync') env.QQ_SYNC_IN_PROCESS_BELOW_ENTRIES = '0';
          const dests = dirs.map((d) => join(s.workspace, d));
          const c = await cancelWhen(
            `${method}, ${signal}`,
            (onSpawn) => start(s, inputs, env, onSpawn),
            () => dests.every(writingBig),
            [signal],
          );
          expectCancelledOutputs(c.run, signal);
          await expectNothingLeft(c, [s.base, source], method !== 'built-in copier');
          for (const d of dests) expectNoPartialFile(d);

          const again = await s.run(inputs, env, 180_000);
          expect(again.code, explain(again)).toBe(0);
          expect(again.outputs.status).toBe('synced');
          for (const d of dests) expectComplete(d);
        },
        240_000,
      );
    }
  }
});

describe('cancelled during a parallel transfer (streams: 4)', () => {
  /**
   * Four directories of 1,000 small files, each led by a large file: in byte order the large
   * ones fall into different parts (of 500 entries), so several rsyncs write one at once.
   * (A local walk reads no sizes: it is the 2,000-file threshold that splits this tree.)
   */
  const DIRS = ['d0', 'd1', 'd2', 'd3'];
  let parallelSource: string;
  beforeAll(() => {
    parallelSource = join(base, 'work-parallel');
    const chunk = Buffer.alloc(8 * 1024 * 1024);
    for (const d of DIRS) {
      mkdirSync(join(parallelSource, d), { recursive: true });
      const fd = openSync(join(parallelSource, d, 'a-big.bin'), 'w');
      for (let written = 0; written < 384 * 1024 * 1024; written += chunk.length) {
        writeSync(fd, randomFillSync(chunk));
      }
      closeSync(fd);
      for (let i = 0; i < 1000; i++) writeFileSync(join(parallelSource, d, `f${i}`), `${i}`);
    }
  }, 180_000);
  /** How many temporary files of the large ones are in `dest`: streams writing now. */
  const writing = (dest: string) =>
    DIRS.filter((d) => {
      try {
        return readdirSync(join(dest, d)).some((n) => n.startsWith('.a-big.bin.'));
      } catch {
        return false;
      }
    }).length;

  it("SIGINT: every stream's process group ends, no file is torn; a rerun completes", async () => {
    const s = new Scene('qq-sync-cancel-');
    scenes.push(s);
    s.job('par', { workDir: parallelSource }, {});
    const inputs = { path: 'par', 'shared-storage': 'true', streams: '4' };
    const tmp = join(s.base, 'tmp');
    mkdirSync(tmp);
    const dest = join(s.workspace, 'par');
    const c = await cancelWhen(
      'parallel rsync, SIGINT',
      (onSpawn) => start(s, inputs, { TMPDIR: tmp }, onSpawn),
      (_, below) =>
        writing(dest) >= 2 &&
        new Set(below.filter((p) => p.argv[0]?.endsWith('rsync')).map((p) => p.pgid)).size >= 2,
      ['SIGINT'],
    );
    expectCancelledOutputs(c.run, 'SIGINT');
    expect(c.run.stdout).toContain('parts, 4 streams at once.');
    await expectNothingLeft(c, [s.base, parallelSource]);
    expectNoPartialFile(dest, parallelSource);
    const again = await s.run(inputs, { TMPDIR: tmp }, 180_000);
    expect(again.code, explain(again)).toBe(0);
    expect(filesIn(dest)).toEqual(filesIn(parallelSource));
    expectNoPartialFile(dest, parallelSource);
  }, 240_000);
});

describe('a second signal', () => {
  it('exits at once: the stubborn program is killed, the outputs are written', async () => {
    const s = new Scene('qq-sync-cancel-');
    scenes.push(s);
    s.job('one');
    const tmp = join(s.base, 'tmp');
    mkdirSync(tmp);
    // A qstat that hangs and ignores SIGTERM: the first signal alone would wait a second for
    // the SIGKILL that follows it; the second one does not wait.
    const bin = join(s.base, 'stubborn');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'qstat'),
      "#!/usr/bin/env node\nprocess.on('SIGTERM', () => {});\nrequire('node:fs').writeFileSync(__dirname + '/ready', '');\nsetInterval(() => {}, 1 << 30);\n",
      { mode: 0o755 },
    );
    const env = { TMPDIR: tmp, PATH: `${bin}:${process.env.PATH}` };
    const inputs = { path: 'one', 'shared-storage': 'true', 'scheduler-timeout': '300' };
    const c = await cancelWhen(
      'stubborn qstat, SIGINT then SIGTERM',
      (onSpawn) => start(s, inputs, env, onSpawn),
      // Once it ignores SIGTERM (it says so with `ready`).
      () => existsSync(join(bin, 'ready')),
      ['SIGINT', 'SIGTERM'],
    );
    expect(c.run.code, explain(c.run)).toBe(1);
    expect(c.run.stdout).toContain('Received SIGTERM again: exiting now.');
    expect(c.run.outputs.status).toBe('failed');
    expect(c.run.outputs.reason).toBe('Cancelled (SIGINT) before the transfer finished.');
    expect(c.run.summary).toContain('Cancelled (SIGINT)');
    await expectNothingLeft(c, [s.base]);
  }, 120_000);
});

describe('cancelled while a scheduler command hangs', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as NodeJS.Signals[]) {
    it(`${signal}: qstat is killed, the job is reported, nothing is left`, async () => {
      const s = new Scene('qq-sync-cancel-');
      scenes.push(s);
      s.job('one');
      const tmp = join(s.base, 'tmp');
      mkdirSync(tmp);
      const env = { TMPDIR: tmp, PATH: `${join(PBS_BIN, 'hang')}:${process.env.PATH}` };
      const inputs = { path: 'one', 'shared-storage': 'true', 'scheduler-timeout': '300' };
      const c = await cancelWhen(
        `hung qstat, ${signal}`,
        (onSpawn) => start(s, inputs, env, onSpawn),
        (_, below) => below.some((p) => p.argv.some((a) => a.endsWith('/hang/qstat'))),
        [signal],
      );
      expect(c.run.code, explain(c.run)).toBe(1);
      expect(c.seen.some((p) => p.argv.some((a) => a.endsWith('/hang/qstat')))).toBe(true);
      await expectNothingLeft(c, [s.base]);
      const jobs = JSON.parse(c.run.outputs.jobs ?? '[]') as { status: string; reason: string }[];
      expect(jobs).toHaveLength(1);
      expect(c.run.outputs.status).toBe('failed');
      expect(c.run.outputs.reason).toBe(`Cancelled (${signal}) before the transfer finished.`);
      expect(c.run.summary).toContain(`Cancelled (${signal})`);
      expect(existsSync(join(s.workspace, 'one', 'result.txt'))).toBe(false);
    }, 120_000);
  }
});

describe.skipIf(slurmSkip(slurm) || sshUnavailable !== undefined)(
  'cancelled during wait-for with follow (real Slurm, output read over the real sshd)',
  () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as NodeJS.Signals[]) {
      it(`${signal}: the wait ends at once with the last state; the ssh connection is closed`, async () => {
        const cli = slurmCli(slurm);
        const s = new Scene('qq-sync-cancel-');
        scenes.push(s);
        const inputDir = join(s.workspace, 'long');
        const workDir = join(s.base, 'scratch-long');
        const out = join(workDir, 'run_md.out');
        mkdirSync(workDir, { recursive: true });
        const id = await cli.submit([
          '--wrap',
          `for i in $(seq 1 600); do echo "tick $i" >> '${out}'; sleep 0.5; done`,
        ]);
        try {
          await cli.waitFor(id, 'RUNNING');
          makeJob({ jobId: id, inputDir, jobState: 'running', mainNode: '127.0.0.1', workDir });
          const tmp = join(s.base, 'tmp');
          mkdirSync(tmp);
          const env = { TMPDIR: tmp, ...(slurm.env ?? {}) };
          const inputs = {
            path: 'long',
            'shared-storage': 'false',
            'wait-for': 'finished',
            'poll-interval': '1',
            'wait-timeout': '600',
            follow: 'true',
            'ssh-options': sshOptionLines(sshd as StartedSshd).join('\n'),
            'strict-host-key-checking': 'yes',
          };
          const c = await cancelWhen(
            `wait-for with follow, ${signal}`,
            (onSpawn) =>
              runAction({
                workspace: s.workspace,
                inputs,
                env,
                entry: ENTRY,
                timeoutMs: 120_000,
                onSpawn,
              }),
            // Polled at least twice, the output followed: the run is well into its wait.
            (stdout) =>
              (stdout.match(/Waiting until 1 job is/g)?.length ?? 0) >= 2 &&
              /tick \d+/.test(stdout),
            [signal],
          );
          expect(c.run.code, explain(c.run)).toBe(1);
          expect(c.run.outputs.status).toBe('failed');
          expect(c.run.outputs.state).toBe('running');
          expect(c.run.outputs.reason).toBe(
            `Cancelled (${signal}) while waiting until the job is finished; its last state was 'running'.`,
          );
          expect(c.run.summary).toContain(`Cancelled (${signal})`);
          // The shared connection's master (its own session, named by the control path under
          // TMPDIR) is among what must be gone.
          await expectNothingLeft(c, [s.base]);
          expect(existsSync(lockPathOf(realpathSync(inputDir)))).toBe(false);
        } finally {
          await cli.cancel(id);
        }
      }, 180_000);
    }
  },
);
