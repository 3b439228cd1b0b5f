/**
 * The Slurm adapter against a REAL single-node Slurm (Debian slurm-wlm 22.05 + munge, started
 * by test/setup/slurm.global.ts): real sbatch jobs, real scontrol answers. Accounting is off
 * on that cluster (no slurmdbd), so the real sacct exits 1 — the "job forgotten by Slurm"
 * path. Parsing of sacct lines goes through a clearly labelled stand-in sacct
 * (test/support/slurm-standin/sacct) with recorded lines, next to the real scontrol.
 */
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getBatchSystem, resolveJobIds } from '../../src/batch/index.js';
import { expandHostlist, expandNodeLists, SlurmSystem } from '../../src/batch/slurm/index.js';
import type { BatchContext } from '../../src/batch/types.js';
import { QQError } from '../../src/domain/errors.js';
import { BatchState } from '../../src/domain/states.js';
import { argvLoggingBin, loggedCalls } from '../support/call-log.js';
import { sbatch, scancel, slurmRun, waitForJob } from '../support/slurm.js';

const slurm = inject('slurm');
const STANDIN = resolve(__dirname, '../support/slurm-standin');

describe.skipIf(!slurm.env)('Slurm adapter against a real Slurm', () => {
  const env = slurm.env as Record<string, string>;
  const system = new SlurmSystem('Slurm', false);
  const debug: string[] = [];
  /** Inside `counted`: the wrappers that log every scheduler call, first on PATH. */
  let wrappers: string | undefined;
  const ctx = (extra: Record<string, string> = {}, timeoutMs = 30_000): BatchContext => {
    const path = extra.PATH ?? env.PATH ?? process.env.PATH;
    return {
      timeoutMs,
      env: { ...process.env, ...env, ...extra, PATH: wrappers ? `${wrappers}:${path}` : path },
      debug: (m) => debug.push(m),
    };
  };
  let base: string;
  let work: string;
  const submitted: string[] = [];
  const submit = async (args: string[], cwd = work) => {
    const id = await sbatch(env, ['-o', '/dev/null', '-e', '/dev/null', ...args], cwd);
    submitted.push(id);
    return id;
  };
  /** Count scheduler calls (and their argv) made by `fn`. */
  const counted = async <T>(fn: () => Promise<T>) => {
    const log = join(base, 'calls.log');
    rmSync(log, { force: true });
    wrappers = argvLoggingBin(join(base, 'wrap'), ['scontrol', 'sacct'], log);
    try {
      const value = await fn();
      const calls = loggedCalls(log);
      return { value, calls: calls.length, argv: calls.map((c) => c.join(' ')) };
    } finally {
      wrappers = undefined;
    }
  };

  let running: string;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'qq-slurm-test-'));
    work = join(base, 'sim');
    mkdirSync(work);
    // The info file qq would have written next to the script: run_md.sh → run_md.qqinfo.
    writeFileSync(join(work, 'run_md.qqinfo'), '# qq job info file\n');
    running = await submit(['-J', 'run_md.sh', '--wrap', 'sleep 300']);
    await waitForJob(env, running, 'RUNNING');
  });

  afterAll(async () => {
    await scancel(env, submitted);
    rmSync(base, { recursive: true, force: true });
  });

  it('reports a running job with its node, input dir and info file (qq’s one-job command)', async () => {
    const { value, calls, argv } = await counted(() => system.queryJobs([running], ctx()));
    const job = value.get(running);
    expect(job).toMatchObject({
      id: running,
      found: true,
      state: BatchState.RUNNING,
      mainNode: 'localhost',
      nodes: ['localhost'],
      jobName: 'run_md.sh',
      inputDir: realpathSync(work),
      infoFile: join(realpathSync(work), 'run_md.qqinfo'),
      exitCode: 0,
    });
    expect(job?.comment).toBeUndefined();
    expect(job?.raw.JobState).toBe('RUNNING');
    expect(calls).toBe(1);
    expect(argv).toEqual([`scontrol show job ${running} -o`]);
  });

  it('a job pending on a dependency is HELD; when the dependency can never be met, too', async () => {
    const parent = await submit(['--wrap', 'sleep 300']);
    await waitForJob(env, parent, 'RUNNING');
    const child = await submit(['-d', `afterok:${parent}`, '--wrap', 'true']);
    await waitForJob(env, child, 'PENDING', { reason: /^Dependency$/ });
    let job = (await system.queryJobs([child], ctx())).get(child);
    expect(job?.state).toBe(BatchState.HELD);
    expect(job?.comment).toBe('Reason: Dependency');

    await scancel(env, [parent]);
    await waitForJob(env, child, 'PENDING', { reason: /^DependencyNeverSatisfied$/ });
    job = (await system.queryJobs([child], ctx())).get(child);
    expect(job?.state).toBe(BatchState.HELD);
    expect(job?.comment).toBe('Reason: DependencyNeverSatisfied');
  });

  it('a job held by the user or an admin is QUEUED, as in qq (only a Dependency reason means held)', async () => {
    const userHeld = await submit(['-H', '--wrap', 'true']);
    const r = await waitForJob(env, userHeld, 'PENDING', { reason: /^JobHeldUser$/ });
    expect(r.reason).toBe('JobHeldUser');
    const blocker = await submit(['-H', '--wrap', 'true']);
    const adminHeld = await submit(['-d', `afterok:${blocker}`, '--wrap', 'true']);
    await waitForJob(env, adminHeld, 'PENDING', { reason: /^Dependency$/ });
    // `scontrol hold` (as root: an admin hold) replaces the Dependency reason.
    await slurmRun(env, ['scontrol', 'hold', adminHeld]);
    await waitForJob(env, adminHeld, 'PENDING', { reason: /^JobHeldAdmin$/ });

    const answers = await system.queryJobs([userHeld, adminHeld], ctx());
    expect(answers.get(userHeld)).toMatchObject({
      state: BatchState.QUEUED,
      comment: 'Reason: JobHeldUser',
      nodes: [],
    });
    expect(answers.get(userHeld)?.mainNode).toBeUndefined();
    expect(answers.get(adminHeld)).toMatchObject({
      state: BatchState.QUEUED,
      comment: 'Reason: JobHeldAdmin',
    });
  });

  it('completed → FINISHED (0), failed → FAILED with the exit code, cancelled → FAILED with the signal', async () => {
    const ok = await submit(['--wrap', 'true']);
    const bad = await submit(['--wrap', 'exit 3']);
    const killed = await submit(['--wrap', 'sleep 300']);
    await waitForJob(env, killed, 'RUNNING');
    await scancel(env, [killed]);
    await waitForJob(env, ok, 'COMPLETED');
    await waitForJob(env, bad, 'FAILED');
    await waitForJob(env, killed, 'CANCELLED');

    const { value, calls, argv } = await counted(() => system.queryJobs([ok, bad, killed], ctx()));
    expect(value.get(ok)).toMatchObject({ state: BatchState.FINISHED, exitCode: 0 });
    expect(value.get(bad)).toMatchObject({
      state: BatchState.FAILED,
      exitCode: 3,
      comment: 'Reason: NonZeroExitCode',
      mainNode: 'localhost',
    });
    // ExitCode=0:15 → the signal (SIGTERM) since the code is 0.
    expect(value.get(killed)).toMatchObject({ state: BatchState.FAILED, exitCode: 15 });
    expect(value.get(killed)?.raw.JobState).toBe('CANCELLED');
    // Several jobs: one scontrol call listing every job, nothing else.
    expect(calls).toBe(1);
    expect(argv).toEqual(['scontrol -o show job']);
  });

  it('a suspended job (scontrol suspend) is SUSPENDED', async () => {
    const id = await submit(['--wrap', 'sleep 300']);
    await waitForJob(env, id, 'RUNNING');
    await slurmRun(env, ['scontrol', 'suspend', id]);
    await waitForJob(env, id, 'SUSPENDED');
    const job = (await system.queryJobs([id], ctx())).get(id);
    expect(job?.state).toBe(BatchState.SUSPENDED);
    expect(job?.mainNode).toBe('localhost');
  });

  it('an id Slurm never had: scontrol fails, the real sacct fails (no accounting) → UNKNOWN, not an error', async () => {
    debug.length = 0;
    const { value, calls, argv } = await counted(() => system.queryJobs(['987654'], ctx()));
    expect(value.get('987654')).toEqual({
      id: '987654',
      found: false,
      state: BatchState.UNKNOWN,
      nodes: [],
      raw: {},
    });
    expect(calls).toBe(2);
    expect(argv[0]).toBe('scontrol show job 987654 -o');
    expect(argv[1]).toBe(
      'sacct --allocations --noheader --parsable2 -j 987654 --format=JobID,Account,State,User,JobName,Partition,WorkDir,AllocCPUs,ReqCPUs,AllocTRES,ReqTRES,AllocNodes,ReqNodes,Submit,Start,End,TimeLimit,NodeList,Reason,ExitCode',
    );
    expect(debug.join('\n')).toMatch(
      /sacct failed \(exit 1\): Slurm accounting storage is disabled/,
    );
  });

  it('100 jobs cost ONE scheduler call; unknown ones add exactly one sacct call for all of them', async () => {
    const many = await Promise.all(
      Array.from({ length: 99 }, (_, i) => submit(['-H', '-J', `batch${i}.sh`, '--wrap', 'true'])),
    );
    const known = [running, ...many];
    expect(new Set(known).size).toBe(100);

    const a = await counted(() => system.queryJobs(known, ctx()));
    expect(a.calls).toBe(1);
    expect(a.argv).toEqual(['scontrol -o show job']);
    expect([...a.value.values()].every((j) => j.found)).toBe(true);
    expect(a.value.get(many[5] as string)).toMatchObject({
      state: BatchState.QUEUED,
      jobName: 'batch5.sh',
    });
    expect(a.value.get(running)?.state).toBe(BatchState.RUNNING);

    const unknown = ['900000001', '900000002', '900000003'];
    const b = await counted(() => system.queryJobs([...known.slice(0, 97), ...unknown], ctx()));
    expect(b.calls).toBe(2);
    expect(b.argv[0]).toBe('scontrol -o show job');
    expect(b.argv[1]).toContain(`-j ${unknown.join(',')} `);
    for (const id of unknown) expect(b.value.get(id)?.found).toBe(false);
    expect(b.value.get(known[0] as string)?.found).toBe(true);
  });

  it('array tasks: a pending task inside the array record and a running task, in one call', async () => {
    const held = await submit(['-H', '--array=0-3', '--wrap', 'true']);
    const run = await submit(['--array=0-1', '--wrap', 'sleep 300']);
    await waitForJob(env, `${run}_1`, 'RUNNING');
    const { value, calls } = await counted(() =>
      system.queryJobs([`${held}_2`, `${run}_1`, `${held}_9`], ctx()),
    );
    expect(value.get(`${held}_2`)).toMatchObject({ found: true, state: BatchState.QUEUED });
    expect(value.get(`${run}_1`)).toMatchObject({
      found: true,
      state: BatchState.RUNNING,
      mainNode: 'localhost',
    });
    // Not a task of that array: scontrol does not know it; sacct (no accounting) neither.
    expect(value.get(`${held}_9`)?.found).toBe(false);
    expect(calls).toBe(2);
    // qq's one-job command answers the same for the pending task.
    const single = await system.queryJobs([`${held}_2`], ctx());
    expect(single.get(`${held}_2`)).toMatchObject({ found: true, state: BatchState.QUEUED });
    await scancel(env, [held, run]);
  });

  it('an array job id that scontrol answers with several records: the one whose JobId it is', async () => {
    // One task runs (its own JobId), the others wait in the array's record (JobId = the id).
    const arr = await submit(['--array=0-2%1', '--wrap', 'sleep 300']);
    await waitForJob(env, `${arr}_0`, 'RUNNING');
    const raw = await slurmRun(env, ['scontrol', 'show', 'job', arr]);
    const records = raw.stdout.split(/\n\s*\n/).filter((r) => /JobId=\d/.test(r));
    const jobIds = records.map((r) => /JobId=(\d+)/.exec(r)?.[1]);
    expect(jobIds.length, raw.stdout).toBeGreaterThan(1);
    const mine = records.find((r) => new RegExp(`^JobId=${arr}\\s`).test(r.trim())) ?? '';
    expect(mine).toMatch(/JobState=PENDING/);
    // qq reads every line into one dict: the last record's fields win (docs/qq-behaviour.md).
    expect(records.some((r) => /JobState=RUNNING/.test(r))).toBe(true);
    const single = await system.queryJobs([arr], ctx());
    expect(single.get(arr)).toMatchObject({ found: true, state: BatchState.QUEUED });
    await scancel(env, [arr]);
  });

  it('node lists are expanded exactly as the real `scontrol show hostnames` does', async () => {
    const lists = [
      'localhost',
      'cn[101-103]',
      'n[8-10],m[08-10],k[1-010]',
      'a[1-2]b[3-4]',
      'c[5,7-8],x',
      'n[001-3]',
      'n[1-2],n[1-2]',
      'gpu-[01-02],login1',
    ];
    for (const list of lists) {
      const real = await slurmRun(env, ['scontrol', 'show', 'hostnames', list]);
      expect(expandHostlist(list), list).toEqual(real.stdout.trim().split('\n'));
    }
  });

  it('a node list the local expansion refuses goes to scontrol; scontrol refusing it too leaves it compact', async () => {
    debug.length = 0;
    const { value, calls, argv } = await counted(() =>
      expandNodeLists(['n[3-1]', 'n[1-2]'], ctx()),
    );
    expect(calls).toBe(1);
    expect(argv).toEqual(['scontrol show hostnames n[3-1]']);
    expect(value.get('n[3-1]')).toEqual(['n[3-1]']);
    expect(value.get('n[1-2]')).toEqual(['n1', 'n2']);
    expect(debug.join('\n')).toMatch(/could not expand node list 'n\[3-1\]'/);
  });

  it('info file: only when WorkDir/JobName-with-.qqinfo exists and is a readable file', async () => {
    const dir = join(base, 'infos');
    mkdirSync(dir);
    writeFileSync(join(dir, 'present.qqinfo'), 'x');
    mkdirSync(join(dir, 'isdir.qqinfo'));
    writeFileSync(join(dir, 'my job.qqinfo'), 'x');
    writeFileSync(join(dir, 'archive.tar.qqinfo'), 'x');
    const present = await submit(['-H', '-J', 'present.sh', '--wrap', 'true'], dir);
    const missing = await submit(['-H', '-J', 'missing.sh', '--wrap', 'true'], dir);
    const isDir = await submit(['-H', '-J', 'isdir.sh', '--wrap', 'true'], dir);
    const spaced = await submit(['-H', '-J', 'my job.sh', '--wrap', 'true'], dir);
    const twoDots = await submit(['-H', '-J', 'archive.tar.gz', '--wrap', 'true'], dir);
    const answers = await system.queryJobs([present, missing, isDir, spaced, twoDots], ctx());
    const real = realpathSync(dir);
    expect(answers.get(present)?.infoFile).toBe(join(real, 'present.qqinfo'));
    expect(answers.get(missing)?.infoFile).toBeUndefined();
    expect(answers.get(missing)?.found).toBe(true);
    expect(answers.get(isDir)?.infoFile).toBeUndefined();
    // A job name with a space survives scontrol's one-line output.
    expect(answers.get(spaced)?.jobName).toBe('my job.sh');
    expect(answers.get(spaced)?.infoFile).toBe(join(real, 'my job.qqinfo'));
    // Only the last suffix is replaced (Python's with_suffix).
    expect(answers.get(twoDots)?.infoFile).toBe(join(real, 'archive.tar.qqinfo'));

    // An unreadable info file: only meaningful when not root (root reads everything).
    if (process.getuid?.() !== 0) {
      chmodSync(join(dir, 'present.qqinfo'), 0);
      const again = await system.queryJobs([present], ctx());
      expect(again.get(present)?.infoFile).toBeUndefined();
    }
  });

  it('a comment with spaces and `Key=value` words cannot change the parsed state or work dir', async () => {
    const id = await submit([
      '-H',
      '--comment',
      'see notes JobState=COMPLETED WorkDir=/etc ExitCode=9:0 a=b',
      '--wrap',
      'true',
    ]);
    const job = (await system.queryJobs([id], ctx())).get(id);
    expect(job?.state).toBe(BatchState.QUEUED);
    expect(job?.inputDir).toBe(realpathSync(work));
    expect(job?.exitCode).toBe(0);
    expect(job?.raw.Comment).toBe('see notes JobState=COMPLETED WorkDir=/etc ExitCode=9:0 a=b');
  });

  it('resolveJobIds: a qq job gets its info file, others get qq’s messages, with one call', async () => {
    const plain = await submit(['-H', '-J', 'not_qq.sh', '--wrap', 'true']);
    const { value, calls } = await counted(() =>
      resolveJobIds([running, plain, '987655', '-rf'], getBatchSystem('Slurm'), ctx()),
    );
    expect(value.get(running)).toMatchObject({
      ok: true,
      infoFile: join(realpathSync(work), 'run_md.qqinfo'),
    });
    expect(value.get(plain)).toMatchObject({
      ok: false,
      error: `Job '${plain}' is not a valid qq job.`,
    });
    expect(value.get('987655')).toMatchObject({ ok: false, error: "Job '987655' does not exist." });
    expect(value.get('-rf')).toMatchObject({ ok: false });
    expect((value.get('-rf') as { error: string }).error).toMatch(/Invalid job id '-rf'/);
    expect(calls).toBe(2); // scontrol (all jobs) + sacct for the unknown one
  });

  it('SlurmIT4I and SlurmLumi ask the same real Slurm and say their storage is shared', async () => {
    for (const name of ['SlurmIT4I', 'SlurmLumi'] as const) {
      const s = getBatchSystem(name);
      expect(s.alwaysShared).toBe(true);
      expect(s.name).toBe(name);
      expect((await s.queryJobs([running], ctx())).get(running)?.state).toBe(BatchState.RUNNING);
    }
    expect(getBatchSystem('Slurm').alwaysShared).toBe(false);
  });

  it('a controller that accepts but never answers: scontrol is killed at the timeout, a QQError names it', async () => {
    const sockets: Socket[] = [];
    const server: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const conf = join(base, 'silent.conf');
    const { readFileSync } = await import('node:fs');
    writeFileSync(
      conf,
      readFileSync(env.SLURM_CONF as string, 'utf8').replace(
        /^SlurmctldPort=\d+$/m,
        `SlurmctldPort=${port}`,
      ),
    );
    try {
      await expect(system.queryJobs([running], ctx({ SLURM_CONF: conf }, 1500))).rejects.toThrow(
        new QQError('scontrol timed out after 1.5 s.'),
      );
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  it('scontrol missing from PATH: a QQError naming it, before any answer', async () => {
    const empty = join(base, 'emptybin');
    mkdirSync(empty, { recursive: true });
    await expect(system.queryJobs([running], ctx({ PATH: empty }))).rejects.toThrow(
      "Could not run 'scontrol': command not found.",
    );
  });

  it('sacct parsing through a stand-in sacct (recorded lines) behind the real scontrol', async () => {
    const log = join(base, 'sacct.log');
    debug.length = 0;
    const ids = ['900001', '900002', '900003', '900004', '900005', '900006', '900007'];
    const { value, argv, calls } = await counted(() =>
      system.queryJobs(
        [running, ...ids],
        ctx({ PATH: `${STANDIN}:${env.PATH}`, SACCT_STANDIN_LOG: log }),
      ),
    );
    // Real scontrol (all jobs), then the stand-in sacct once for the 7 unknown ids; the
    // compact node list is expanded without another call.
    expect(calls).toBe(2);
    expect(argv[0]).toBe('scontrol -o show job');
    expect(argv[1]).toContain(`-j ${ids.join(',')} `);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);

    expect(value.get(running)?.state).toBe(BatchState.RUNNING);
    expect(value.get('900001')).toMatchObject({
      found: true,
      state: BatchState.FINISHED,
      exitCode: 0,
      nodes: ['cn101', 'cn102'],
      mainNode: 'cn101',
      jobName: 'run_md.sh',
      inputDir: '/mnt/proj1/open-29-6/user1/sim',
      infoFile: undefined,
    });
    expect(value.get('900001')?.raw.NumCPUs).toBe('128');
    // `CANCELLED by 1000` → first word.
    expect(value.get('900002')).toMatchObject({
      state: BatchState.FAILED,
      exitCode: 15,
      mainNode: 'cn205',
    });
    // Array tasks only (qq would crash): UNKNOWN, said in a debug message.
    expect(value.get('900003')).toMatchObject({ found: false, state: BatchState.UNKNOWN });
    // No line at all (qq would crash): UNKNOWN.
    expect(value.get('900004')).toMatchObject({ found: false, state: BatchState.UNKNOWN });
    // Heterogeneous job: its leader component.
    expect(value.get('900005')).toMatchObject({
      found: true,
      state: BatchState.RUNNING,
      mainNode: 'cn401',
    });
    // PENDING with Reason Dependency → HELD; NodeList "None assigned" is no node.
    expect(value.get('900006')).toMatchObject({ state: BatchState.HELD, nodes: [] });
    expect(value.get('900006')?.raw.NumCPUs).toBe('16');
    // A job name with `|` breaks the field count (qq would crash): UNKNOWN.
    expect(value.get('900007')?.found).toBe(false);
    const d = debug.join('\n');
    expect(d).toMatch(/sacct printed 2 lines for job '900003' .*treating the job as unknown/);
    expect(d).toMatch(/sacct printed no line for job '900004'/);
    expect(d).toMatch(/wrong number of fields/);
  });
});

if (!slurm.env) {
  describe('Slurm adapter against a real Slurm', () => {
    it.skip(`SKIPPED: ${slurm.skipReason ?? 'Slurm not available'}`, () => {});
  });
}
