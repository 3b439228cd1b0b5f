/**
 * The PBS adapter through a real process invocation of a STAND-IN `qstat`
 * (test/support/pbs/qstat): PBS Pro cannot be installed on this machine, so the stand-in serves
 * records in PBS Pro's `qstat -fxw` layout from test/support/pbs/records/ the way a PBS server
 * answers (numeric ids completed with the default server, `qstat: Unknown Job Id <id>` and
 * exit 153 for unknown ids while still printing the known ones). A hanging and a
 * garbage-printing qstat (also stand-ins) test the timeout and the robustness paths.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBatchSystem, resolveJobIds } from '../../src/batch/index.js';
import { PbsSystem } from '../../src/batch/pbs.js';
import type { BatchContext } from '../../src/batch/types.js';
import { InputError, QQError } from '../../src/domain/errors.js';
import { BatchState } from '../../src/domain/states.js';
import { argvLoggingBin, loggedCalls } from '../support/call-log.js';

const PBS = resolve(__dirname, '../support/pbs');
const S = 'pbs-m1.metacentrum.cz';
const SIM = '/storage/brno2/home/user/sim';

let base: string;
let log: string;
let callLog: string;
const debug: string[] = [];
/** The stand-ins of `binDir` behind a wrapper that logs every qstat call to `callLog`. */
function ctx(binDir = PBS, timeoutMs = 20_000): BatchContext {
  const wrappers = argvLoggingBin(join(base, 'wrap'), ['qstat'], callLog);
  return {
    timeoutMs,
    env: {
      ...process.env,
      PATH: `${wrappers}:${binDir}:${process.env.PATH}`,
      QSTAT_STANDIN_LOG: log,
    },
    debug: (m) => debug.push(m),
  };
}
/** How many scheduler programs the tests have run, counted from outside. */
const schedulerCalls = () => loggedCalls(callLog).length;
const standinCalls = () => {
  try {
    return readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  } catch {
    return [];
  }
};

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'qq-pbs-test-'));
  log = join(base, 'qstat.log');
  callLog = join(base, 'calls.log');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('PBS adapter (stand-in qstat serving recorded records)', () => {
  const pbs = new PbsSystem();
  const ids = [
    '1001',
    '1002',
    '1003',
    '1004',
    '1005',
    '1006',
    '1007',
    '1008',
    '1009',
    '1010[]',
    '1010[1]',
    '1010[2]',
    '1011',
    '1012',
    '999',
    `2001.pbs-elixir`,
  ];

  it('asks about all jobs with ONE `qstat -fxw id…` and keeps the known records although qstat exits 153', async () => {
    rmSync(log, { force: true });
    debug.length = 0;
    const before = schedulerCalls();
    const answers = await pbs.queryJobs(ids, ctx());
    expect(schedulerCalls() - before).toBe(1);
    expect(loggedCalls(callLog).at(-1)).toEqual(['qstat', '-fxw', ...ids]);
    expect(debug.join('\n')).toMatch(/^qstat -fxw .*: exit 153 in \d+ ms/m);
    expect(standinCalls()).toEqual([['-fxw', ...ids]]);

    const state = (id: string) => answers.get(id)?.state;
    expect(state('1001')).toBe(BatchState.RUNNING);
    expect(state('1002')).toBe(BatchState.QUEUED);
    expect(state('1003')).toBe(BatchState.HELD);
    expect(state('1004')).toBe(BatchState.WAITING);
    expect(state('1005')).toBe(BatchState.SUSPENDED);
    expect(state('1006')).toBe(BatchState.EXITING);
    expect(state('1007')).toBe(BatchState.MOVING);
    expect(state('1008')).toBe(BatchState.FINISHED); // F, Exit_status 0
    expect(state('1009')).toBe(BatchState.FAILED); // F, Exit_status 3
    expect(state('1010[]')).toBe(BatchState.UNKNOWN); // B: array begun
    expect(state('1010[1]')).toBe(BatchState.FINISHED); // X → F, exit 0
    expect(state('1010[2]')).toBe(BatchState.FAILED); // X → F, exit 271
    expect(state('1011')).toBe(BatchState.FAILED); // F without Exit_status
    expect(state('1012')).toBe(BatchState.RUNNING);
    expect(answers.get('1010[]')?.found).toBe(true);

    expect(answers.get('999')).toEqual({
      id: '999',
      found: false,
      state: BatchState.UNKNOWN,
      nodes: [],
      raw: {},
    });
    expect(debug.join('\n')).toMatch(/qstat: Unknown Job Id 999\.pbs-m1\.metacentrum\.cz/);
  });

  it('reads nodes, exit code, comment, info file and input dir from the record', async () => {
    const answers = await pbs.queryJobs(['1001', '1009', '1002', '1012', '2001.pbs-elixir'], ctx());
    expect(answers.get('1001')).toMatchObject({
      id: '1001',
      found: true,
      mainNode: 'tarkil12.metacentrum.cz',
      nodes: ['tarkil12.metacentrum.cz', 'tarkil13.metacentrum.cz', 'tarkil14.metacentrum.cz'],
      infoFile: `${SIM}/run_md.qqinfo`,
      inputDir: SIM,
      jobName: 'run_md.sh',
    });
    expect(answers.get('1001')?.exitCode).toBeUndefined();
    expect(answers.get('1001')?.raw.server).toBe(S);
    expect(answers.get('1009')).toMatchObject({
      exitCode: 3,
      comment: 'Job run at Mon Oct 13 at 09:13 on (tarkil12:ncpus=8) and failed',
    });
    expect(answers.get('1002')).toMatchObject({ nodes: [], state: BatchState.QUEUED });
    expect(answers.get('1002')?.mainNode).toBeUndefined();
    // Not submitted by qq: no QQ_INFO.
    expect(answers.get('1012')?.infoFile).toBeUndefined();
    expect(answers.get('1012')?.inputDir).toBe(SIM);
    // Another server's job, asked with a short server name.
    expect(answers.get('2001.pbs-elixir')).toMatchObject({
      found: true,
      mainNode: 'elmo3-1.hw.elixir-czech.cz',
    });
  });

  it('resolveJobIds: qq job → info file; non-qq job and unknown id → qq’s messages; one call', async () => {
    const before = schedulerCalls();
    const r = await resolveJobIds(['1001', '1012', '999', '1001'], getBatchSystem('PBS'), ctx());
    expect(schedulerCalls() - before).toBe(1);
    expect(r.get('1001')).toMatchObject({ ok: true, infoFile: `${SIM}/run_md.qqinfo` });
    expect(r.get('1012')).toMatchObject({ ok: false, error: "Job '1012' is not a valid qq job." });
    expect(r.get('999')).toMatchObject({ ok: false, error: "Job '999' does not exist." });
  });

  it('an invalid id is refused before anything runs', async () => {
    rmSync(log, { force: true });
    const before = schedulerCalls();
    await expect(pbs.queryJobs(['1001', '-f'], ctx())).rejects.toBeInstanceOf(InputError);
    await expect(pbs.queryJobs(['1001; rm -rf ~'], ctx())).rejects.toThrow(
      /Invalid job id '1001; rm -rf ~'/,
    );
    expect(schedulerCalls() - before).toBe(0);
    expect(standinCalls()).toEqual([]);
  });

  it('a hanging qstat is killed at the timeout: a QQError that names qstat', async () => {
    const before = schedulerCalls();
    const err = await pbs.queryJobs(['1001', '1002'], ctx(join(PBS, 'hang'), 700)).catch((e) => e);
    expect(err).toBeInstanceOf(QQError);
    expect(err.message).toBe('qstat timed out after 0.7 s.');
    expect(schedulerCalls() - before).toBe(1);
  });

  it('resolveJobIds gives the timeout message to every id of the call', async () => {
    const r = await resolveJobIds(
      ['1001', '1002'],
      getBatchSystem('PBS'),
      ctx(join(PBS, 'hang'), 500),
    );
    expect(r.get('1001')).toMatchObject({ ok: false, error: 'qstat timed out after 0.5 s.' });
    expect(r.get('1002')).toMatchObject({ ok: false, error: 'qstat timed out after 0.5 s.' });
  });

  it('a qstat printing garbage (exit 0): every job unknown, with a debug message, no exception', async () => {
    debug.length = 0;
    const answers = await pbs.queryJobs(['1001', '1002'], ctx(join(PBS, 'garbage')));
    expect(answers.get('1001')).toMatchObject({ found: false, state: BatchState.UNKNOWN });
    expect(answers.get('1002')).toMatchObject({ found: false, state: BatchState.UNKNOWN });
    expect(debug.join('\n')).toMatch(/qstat printed no 'Job Id:' record/);
  });

  it('qstat not installed: a QQError naming it', async () => {
    const env = { ...process.env, PATH: base };
    await expect(
      pbs.queryJobs(['1001'], { timeoutMs: 5000, env, debug: () => {} }),
    ).rejects.toThrow(new QQError("Could not run 'qstat': command not found."));
  });
});
