/**
 * The PBS adapter against a REAL OpenPBS (test/setup/pbs.global.ts): real jobs in every state
 * qq reads, asked with the real `qstat -fxw`. Jobs are short `sleep`/`true` runs submitted as
 * the test user, polled until PBS shows the state.
 *
 * Stand-ins remain only for what a real PBS cannot show here, each test saying so: PBS Pro's
 * `exec_host2` as Metacentrum prints it (recorded records, test/support/pbs/records) and a
 * broken `qstat` (hanging, printing garbage, missing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getBatchSystem, resolveJobIds } from '../../src/batch/index.js';
import { PbsSystem } from '../../src/batch/pbs.js';
import type { BatchContext, BatchJobInfo } from '../../src/batch/types.js';
import { InputError, QQError } from '../../src/domain/errors.js';
import { BatchState } from '../../src/domain/states.js';
import { runCommand } from '../../src/exec/run.js';
import { argvLoggingBin, loggedCalls } from '../support/call-log.js';
import {
  pbsAdmin,
  pbsDelete,
  pbsSkip,
  pbsSubmit,
  providedPbs,
  waitForPbsJob,
} from '../support/openpbs.js';

const STANDIN = resolve(__dirname, '../support/pbs');
const provided = inject('pbs');
const skip = pbsSkip(provided, 'PBS adapter against a real OpenPBS');

let base: string;
const debug: string[] = [];
/** `path` first on PATH, behind a wrapper that logs every qstat call (counted from outside). */
function ctx(path: string, timeoutMs = 20_000, extra: Record<string, string> = {}): BatchContext {
  const wrappers = argvLoggingBin(join(base, 'wrap'), ['qstat'], callLog());
  return {
    timeoutMs,
    env: { ...process.env, PATH: `${wrappers}:${path}:${process.env.PATH}`, ...extra },
    debug: (m) => debug.push(m),
  };
}
const callLog = () => join(base, 'calls.log');
/** How many scheduler programs the tests have run, and the last one's argv. */
const schedulerCalls = () => loggedCalls(callLog()).length;
const lastCall = () => loggedCalls(callLog()).at(-1);
/** The exit code of the real qstat for the call the adapter made last, run once more directly. */
async function lastExitCode(c: BatchContext): Promise<number | null> {
  const argv = lastCall() ?? [];
  return (await runCommand(argv, { env: c.env, timeoutMs: 20_000 })).code;
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'qq-pbs-test-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe.skipIf(skip)('PBS adapter against a REAL OpenPBS (real qstat -fxw)', () => {
  const pbs = new PbsSystem();
  const P = () => providedPbs(provided);
  const real = () => ctx(P().binDir);
  const J: Record<string, string> = {};
  const sub = (args: string[]) => pbsSubmit(P(), args);
  const never = ['-l', 'select=1:ncpus=1000'];
  const infoPath = '/tmp/qq-sync-pbs/žluťoučký kůň/run_md.qqinfo';

  beforeAll(async () => {
    console.log(
      `PBS adapter tests: against a REAL OpenPBS ${provided.version} (server '${provided.server}')`,
    );
    const ids = await Promise.all([
      sub(['-N', 'run_md.sh', '-v', `QQ_INFO=${infoPath},LIST='a,b,c'`, '--', '/bin/sleep', '300']),
      sub(['--', '/bin/true']),
      sub(['--', '/bin/sh', '-c', 'exit 3']),
      sub([...never, '--', '/bin/true']),
      sub(['-h', '--', '/bin/true']),
      sub([...never, '--', '/bin/true']),
      sub(['--', '/bin/sleep', '300']),
      sub(['--', '/bin/sleep', '300']),
      sub(['-h', '--', '/bin/true']),
      sub(['-J', '1-2', '--', '/bin/true']),
    ]);
    const keys = [
      'running',
      'done',
      'failed',
      'queued',
      'held',
      'qheld',
      'deleted',
      'suspended',
      'heldDeleted',
      'array',
    ];
    keys.forEach((k, i) => {
      J[k] = ids[i] as string;
    });
    const id = (k: string) => J[k] as string;
    await Promise.all([
      waitForPbsJob(id('running'), 'R'),
      waitForPbsJob(id('done'), 'F'),
      waitForPbsJob(id('failed'), 'F'),
      waitForPbsJob(id('queued'), 'Q'),
      waitForPbsJob(id('held'), 'H'),
      waitForPbsJob(id('array'), 'F'),
      (async () => {
        await waitForPbsJob(id('qheld'), 'Q');
        await pbsAdmin(['qhold', id('qheld')]);
        await waitForPbsJob(id('qheld'), 'H');
      })(),
      (async () => {
        await waitForPbsJob(id('deleted'), 'R');
        await pbsAdmin(['qdel', id('deleted')]);
        await waitForPbsJob(id('deleted'), 'F');
      })(),
      (async () => {
        await waitForPbsJob(id('suspended'), 'R');
        await pbsAdmin(['qsig', '-s', 'suspend', id('suspended')]);
        await waitForPbsJob(id('suspended'), 'S');
      })(),
      (async () => {
        await waitForPbsJob(id('heldDeleted'), 'H');
        await pbsAdmin(['qdel', id('heldDeleted')]);
        await waitForPbsJob(id('heldDeleted'), 'F');
      })(),
    ]);
  }, 120_000);

  afterAll(async () => {
    await pbsDelete(Object.values(J));
  });

  it('every state with ONE `qstat -fxw id…`, the known records kept although qstat exits 153', async () => {
    const sub1 = J.array?.replace('[]', '[1]') as string;
    const sub2 = J.array?.replace('[]', '[2]') as string;
    const ids = [...Object.values(J), sub1, sub2, `999999.${provided.server}`];
    debug.length = 0;
    const before = schedulerCalls();
    const answers = await pbs.queryJobs(ids, real());
    expect(schedulerCalls() - before).toBe(1);
    expect(lastCall()).toEqual(['qstat', '-fxw', ...ids]);
    expect(await lastExitCode(real())).toBe(153);
    const a = (id: string | undefined) => answers.get(id as string) as BatchJobInfo;
    const state = (k: string) => a(J[k]).state;
    expect(state('running')).toBe(BatchState.RUNNING);
    expect(state('queued')).toBe(BatchState.QUEUED);
    expect(state('held')).toBe(BatchState.HELD); // qsub -h
    expect(state('qheld')).toBe(BatchState.HELD); // qhold
    expect(state('suspended')).toBe(BatchState.SUSPENDED); // qsig -s suspend
    expect(a(J.done)).toMatchObject({ state: BatchState.FINISHED, exitCode: 0 });
    expect(a(J.failed)).toMatchObject({ state: BatchState.FAILED, exitCode: 3 });
    // Deleted while running: F with Exit_status 271 (256 + SIGTERM) → FAILED, as qq.
    expect(a(J.deleted)).toMatchObject({ state: BatchState.FAILED, exitCode: 271 });
    // Held, then deleted: F without Exit_status → FAILED (qq's rule for a missing status).
    expect(a(J.heldDeleted)).toMatchObject({ state: BatchState.FAILED, found: true });
    expect(a(J.heldDeleted).exitCode).toBeUndefined();
    // The finished array and its sub-jobs: OpenPBS shows F (PBS Pro: X) for the sub-jobs.
    expect(a(sub1)).toMatchObject({ found: true, state: BatchState.FINISHED, exitCode: 0 });
    expect(a(sub2)).toMatchObject({ found: true, state: BatchState.FINISHED, exitCode: 0 });
    expect(a(J.array).found).toBe(true);
    expect(a(sub1).raw.job_state).toBe('F');
    // Unknown: qq's empty answer, and qstat's own line in the debug log.
    expect(a(`999999.${provided.server}`)).toEqual({
      id: `999999.${provided.server}`,
      found: false,
      state: BatchState.UNKNOWN,
      nodes: [],
      raw: {},
    });
    expect(debug.join('\n')).toMatch(/Unknown Job Id 999999\./);
  });

  it('reads node, exit code, comment, info file, input dir and name from a real record', async () => {
    const answers = await pbs.queryJobs([J.running as string, J.queued as string], real());
    const r = answers.get(J.running as string) as BatchJobInfo;
    // OpenPBS prints no exec_host2: the node comes from exec_host (`<node>/0`).
    expect(r.raw.exec_host2).toBeUndefined();
    expect(r.raw.exec_host).toMatch(new RegExp(`^${provided.node}/\\d`));
    expect(r).toMatchObject({
      mainNode: provided.node,
      nodes: [provided.node],
      jobName: 'run_md.sh',
    });
    // Variable_List: PBS escapes the commas of a value (`a\,b\,c`) and passes UTF-8 raw.
    expect(r.raw.Variable_List).toContain('LIST=a\\,b\\,c');
    expect(r.infoFile).toBe(infoPath);
    expect(r.inputDir).toBe(P().user.home);
    const q = answers.get(J.queued as string) as BatchJobInfo;
    expect(q.nodes).toEqual([]);
    expect(q.mainNode).toBeUndefined();
    expect(q.comment).toMatch(/Can Never Run|Not Running/);
    // Dates as PBS prints them (a single-digit day is space-padded: `Dec  1`), kept verbatim.
    expect(r.raw.ctime).toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
  });

  it('the scheduler’s account of a finished job from the same record (resources_used.*)', async () => {
    const answers = await pbs.queryJobs([J.failed as string], real());
    const r = answers.get(J.failed as string) as BatchJobInfo;
    expect(r.exitCode).toBe(3);
    // What the summary shows beside a failed job's stderr; no walltime kill (Exit_status 3).
    expect(r.usage?.walltime).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(r.usage?.walltime).toBe(r.raw['resources_used.walltime']);
    expect(r.usage?.limitKill).toBeUndefined();
  });

  it('a numeric id and a short server name are completed by PBS and matched', async () => {
    const full = J.running as string;
    const num = full.split('.')[0] as string;
    const answers = await pbs.queryJobs([num], real());
    expect(answers.get(num)).toMatchObject({ found: true, state: BatchState.RUNNING });
  });

  it('job-id mode: a real qq job → its QQ_INFO; a non-qq job and an unknown id → qq’s messages; one call', async () => {
    const before = schedulerCalls();
    const unknown = `999998.${provided.server}`;
    const r = await resolveJobIds(
      [J.running as string, J.done as string, unknown, J.running as string],
      getBatchSystem('PBS'),
      real(),
    );
    expect(schedulerCalls() - before).toBe(1);
    expect(r.get(J.running as string)).toMatchObject({ ok: true, infoFile: infoPath });
    expect(r.get(J.done as string)).toMatchObject({
      ok: false,
      error: `Job '${J.done}' is not a valid qq job.`,
    });
    expect(r.get(unknown)).toMatchObject({ ok: false, error: `Job '${unknown}' does not exist.` });
  });

  it('an id of another server that does not resolve: qstat refuses it (exit 1); the others answer', async () => {
    debug.length = 0;
    const answers = await pbs.queryJobs([J.running as string, '123.otherserver'], real());
    expect(await lastExitCode(real())).toBe(1);
    expect(answers.get(J.running as string)?.state).toBe(BatchState.RUNNING);
    expect(answers.get('123.otherserver')).toMatchObject({
      found: false,
      state: BatchState.UNKNOWN,
      queryError:
        "PBS refused job id '123.otherserver' (illegally formed job identifier: is its server name right?)",
    });
  });

  it('a PBS server that does not answer (qstat exits 255, "cannot connect to server"): a QQError, not "unknown"', async () => {
    // The client asked to use a server where nothing listens: what a stopped server looks like.
    const c = ctx(P().binDir, 20_000, { PBS_BATCH_SERVICE_PORT: '15999' });
    const err = await pbs.queryJobs([J.running as string, J.done as string], c).catch((e) => e);
    expect(await lastExitCode(c)).toBe(255);
    expect(err).toBeInstanceOf(QQError);
    expect(err.message).toMatch(/^qstat could not reach the PBS server: cannot connect to server /);
    const r = await resolveJobIds([J.running as string], getBatchSystem('PBS'), c);
    expect(r.get(J.running as string)).toMatchObject({ ok: false });
    expect((r.get(J.running as string) as { error: string }).error).toMatch(
      /could not reach the PBS server/,
    );
  });
});

describe('PBS adapter, what OpenPBS cannot show: PBS Pro exec_host2 as Metacentrum prints it (STAND-IN qstat serving recorded records)', () => {
  const pbs = new PbsSystem();
  const SIM = '/storage/brno2/home/user/sim';

  it('nodes from exec_host2 (three nodes, the first is the main node); another server’s job by a short name', async () => {
    const answers = await pbs.queryJobs(['1001', '2001.pbs-elixir'], ctx(STANDIN));
    expect(answers.get('1001')).toMatchObject({
      found: true,
      state: BatchState.RUNNING,
      mainNode: 'tarkil12.metacentrum.cz',
      nodes: ['tarkil12.metacentrum.cz', 'tarkil13.metacentrum.cz', 'tarkil14.metacentrum.cz'],
      infoFile: `${SIM}/run_md.qqinfo`,
      inputDir: SIM,
    });
    expect(answers.get('2001.pbs-elixir')).toMatchObject({
      found: true,
      mainNode: 'elmo3-1.hw.elixir-czech.cz',
    });
  });
});

describe('a broken qstat (STAND-INS: a real qstat does not hang or print garbage on demand)', () => {
  const pbs = new PbsSystem();

  it('an invalid id is refused before anything runs', async () => {
    const before = schedulerCalls();
    await expect(pbs.queryJobs(['1001', '-f'], ctx(STANDIN))).rejects.toBeInstanceOf(InputError);
    await expect(pbs.queryJobs(['1001; rm -rf ~'], ctx(STANDIN))).rejects.toThrow(
      /Invalid job id '1001; rm -rf ~'/,
    );
    expect(schedulerCalls() - before).toBe(0);
  });

  it('a hanging qstat is killed at the timeout: a QQError that names qstat', async () => {
    const before = schedulerCalls();
    const err = await pbs
      .queryJobs(['1001', '1002'], ctx(join(STANDIN, 'hang'), 700))
      .catch((e) => e);
    expect(err).toBeInstanceOf(QQError);
    expect(err.message).toBe('qstat timed out after 0.7 s.');
    expect(schedulerCalls() - before).toBe(1);
  });

  it('resolveJobIds gives the timeout message to every id of the call', async () => {
    const r = await resolveJobIds(
      ['1001', '1002'],
      getBatchSystem('PBS'),
      ctx(join(STANDIN, 'hang'), 500),
    );
    expect(r.get('1001')).toMatchObject({ ok: false, error: 'qstat timed out after 0.5 s.' });
    expect(r.get('1002')).toMatchObject({ ok: false, error: 'qstat timed out after 0.5 s.' });
  });

  it('a qstat printing garbage (exit 0): every job not answered, with the reason for the warning, no exception', async () => {
    debug.length = 0;
    const answers = await pbs.queryJobs(['1001', '1002'], ctx(join(STANDIN, 'garbage')));
    const queryError =
      'qstat printed no job record (exit 0, 83 bytes: "*** Welcome to the cluster ***")';
    for (const id of ['1001', '1002']) {
      expect(answers.get(id)).toMatchObject({
        found: false,
        state: BatchState.UNKNOWN,
        queryError,
      });
    }
    expect(debug.join('\n')).toContain(`${queryError}; treating 2 job(s) as not answered`);
  });

  it('qstat not installed: a QQError naming it', async () => {
    const env = { ...process.env, PATH: base };
    await expect(
      pbs.queryJobs(['1001'], { timeoutMs: 5000, env, debug: () => {} }),
    ).rejects.toThrow(new QQError("Could not run 'qstat': command not found."));
  });
});
