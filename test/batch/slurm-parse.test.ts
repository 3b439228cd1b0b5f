/**
 * Slurm parsers on recorded text: fixtures/scontrol-22.05.8.txt is real `scontrol show job -o`
 * output captured from Debian 12's Slurm 22.05.8 (the test cluster of slurm.test.ts); the
 * sacct lines are in sacct's `--parsable2` layout for qq's 20 fields. Mirrors qq's Slurm job
 * tests (docs/qq-behaviour.md §9 "Slurm job").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  arrayTaskIdsContain,
  expandHostlist,
  infoFileCandidate,
  parseSacctLine,
  parseScontrolLine,
  parseScontrolOutput,
  pickSacctRecord,
  SACCT_KEYS,
  sacctArgv,
  slurmComment,
  slurmExitCode,
  slurmJobInfo,
  slurmState,
} from '../../src/batch/slurm/index.js';
import { BatchState } from '../../src/domain/states.js';

const recorded = readFileSync(join(__dirname, 'fixtures', 'scontrol-22.05.8.txt'), 'utf8');
const records = parseScontrolOutput(recorded);
const byId = (id: string) => records.find((r) => r.JobId === id) as Record<string, string>;

describe('parseScontrolLine on real scontrol output', () => {
  it('reads every record and the fields qq uses', () => {
    expect(records.map((r) => r.JobId)).toEqual(['1', '2', '3', '5', '6', '7', '8']);
    expect(byId('1')).toMatchObject({
      JobName: 'run.sh',
      JobState: 'RUNNING',
      Reason: 'None',
      ExitCode: '0:0',
      NodeList: 'localhost',
      BatchHost: 'localhost',
      WorkDir: '/tmp/proto-slurm.fVzU/w',
      'AllocNode:Sid': 'localhost:3373',
      'ReqB:S:C:T': '0:0:*:*',
      TRES: 'cpu=1,node=1,billing=1',
      Power: '',
    });
    expect(byId('2')).toMatchObject({ NodeList: '', Dependency: 'afterok:1(unfulfilled)' });
    expect(byId('2').BatchHost).toBeUndefined();
  });

  it('keeps a job name with a space and a comment with `=` words whole (qq would split them)', () => {
    expect(byId('8').JobName).toBe('has space');
    expect(byId('8').Comment).toBe('a b=c d');
    expect(byId('8').b).toBeUndefined();
    expect(byId('8').StdErr).toBe('/dev/null');
  });

  it('a free-text value cannot override a key already read, nor invent a known one', () => {
    const f = parseScontrolLine(
      'JobId=9 JobName=x y UserId=u(1) JobState=PENDING Reason=None WorkDir=/w Comment=JobState=COMPLETED WorkDir=/etc z=1 StdErr=/e',
    );
    expect(f).toMatchObject({
      JobName: 'x y',
      JobState: 'PENDING',
      WorkDir: '/w',
      Comment: 'JobState=COMPLETED WorkDir=/etc z=1',
      StdErr: '/e',
    });
  });

  it('a value with a space that is not free text continues the previous value', () => {
    expect(parseScontrolLine('JobId=1 WorkDir=/home/u/my sim StdOut=/o').WorkDir).toBe(
      '/home/u/my sim',
    );
  });
});

describe('Slurm state (docs/qq-behaviour.md §2.4)', () => {
  it('maps every Slurm state of qq’s converter, unmapped and missing → UNKNOWN', () => {
    const table: Record<string, BatchState> = {
      BOOT_FAIL: BatchState.FAILED,
      CANCELLED: BatchState.FAILED,
      COMPLETED: BatchState.FINISHED,
      DEADLINE: BatchState.FAILED,
      FAILED: BatchState.FAILED,
      NODE_FAIL: BatchState.FAILED,
      OUT_OF_MEMORY: BatchState.FAILED,
      PENDING: BatchState.QUEUED,
      PREEMPTED: BatchState.SUSPENDED,
      RUNNING: BatchState.RUNNING,
      SUSPENDED: BatchState.SUSPENDED,
      TIMEOUT: BatchState.FAILED,
      COMPLETING: BatchState.UNKNOWN,
      CONFIGURING: BatchState.UNKNOWN,
      REQUEUED: BatchState.UNKNOWN,
      RESIZING: BatchState.UNKNOWN,
      SIGNALING: BatchState.UNKNOWN,
      STAGE_OUT: BatchState.UNKNOWN,
      STOPPED: BatchState.UNKNOWN,
      SPECIAL_EXIT: BatchState.UNKNOWN,
      REVOKED: BatchState.UNKNOWN,
      running: BatchState.UNKNOWN, // exact, upper-case match
      '': BatchState.UNKNOWN,
    };
    for (const [raw, state] of Object.entries(table)) {
      expect(slurmState({ JobState: raw }), raw).toBe(state);
    }
    expect(slurmState({})).toBe(BatchState.UNKNOWN);
  });

  it('PENDING with Dependency / DependencyNeverSatisfied is HELD; other reasons stay QUEUED', () => {
    expect(slurmState({ JobState: 'PENDING', Reason: 'Dependency' })).toBe(BatchState.HELD);
    expect(slurmState({ JobState: 'PENDING', Reason: 'DependencyNeverSatisfied' })).toBe(
      BatchState.HELD,
    );
    expect(slurmState({ JobState: 'PENDING', Reason: 'Priority' })).toBe(BatchState.QUEUED);
    expect(slurmState({ JobState: 'PENDING', Reason: 'JobHeldUser' })).toBe(BatchState.QUEUED);
    expect(slurmState({ JobState: 'PENDING', Reason: 'None' })).toBe(BatchState.QUEUED);
    expect(slurmState({ JobState: 'PENDING' })).toBe(BatchState.QUEUED);
    expect(slurmState({ JobState: 'RUNNING', Reason: 'Dependency' })).toBe(BatchState.RUNNING);
    expect(slurmState(byId('2'))).toBe(BatchState.HELD);
    expect(slurmState(byId('3'))).toBe(BatchState.QUEUED);
    expect(slurmState(byId('7'))).toBe(BatchState.SUSPENDED);
  });

  it('comment is `Reason: <Reason>` unless the Reason is missing or None', () => {
    expect(slurmComment({ Reason: 'Dependency' })).toBe('Reason: Dependency');
    expect(slurmComment({ Reason: 'None' })).toBeUndefined();
    expect(slurmComment({})).toBeUndefined();
  });

  it('exit code: code if non-zero, else the signal; unparsable → none', () => {
    expect(slurmExitCode('0:0')).toBe(0);
    expect(slurmExitCode('3:0')).toBe(3);
    expect(slurmExitCode('0:15')).toBe(15);
    expect(slurmExitCode('2:9')).toBe(2);
    expect(slurmExitCode('x:1')).toBeUndefined();
    expect(slurmExitCode('1')).toBeUndefined();
    expect(slurmExitCode('1:2:3')).toBeUndefined();
    expect(slurmExitCode('')).toBeUndefined();
    expect(slurmExitCode(undefined)).toBeUndefined();
  });
});

describe('sacct lines', () => {
  const line =
    '123|acct|CANCELLED by 1000|user|run_md.sh|cpu|/home/u/sim|0|8|billing=8|billing=8,cpu=8|None|2|2025-10-13T09:12:44|Unknown|Unknown|01:00:00|None assigned|Dependency|0:0';

  it('maps the 20 fields to scontrol keys, first word of State, Num* from Alloc else Req', () => {
    const r = parseSacctLine(line) as Record<string, string>;
    expect(Object.keys(r).slice(0, 20)).toEqual([...SACCT_KEYS]);
    expect(r).toMatchObject({
      JobId: '123',
      JobState: 'CANCELLED',
      JobName: 'run_md.sh',
      WorkDir: '/home/u/sim',
      NumCPUs: '8',
      NumNodes: '2',
      Reason: 'Dependency',
    });
    expect(parseSacctLine(line.replace('|0|8|', '|16|8|'))?.NumCPUs).toBe('16');
  });

  it('a line with the wrong number of fields is refused (where qq raises its "Number of items" error)', () => {
    expect(parseSacctLine('')).toBeUndefined();
    expect(parseSacctLine(`${line}|extra`)).toBeUndefined();
    expect(parseSacctLine(line.split('|').slice(0, 19).join('|'))).toBeUndefined();
  });

  it('picks the line of the id; several → newest; het job → leader; array only / none → undefined', () => {
    const mk = (id: string, state = 'COMPLETED') => ({ JobId: id, JobState: state });
    const msgs: string[] = [];
    const dbg = (m: string) => msgs.push(m);
    expect(pickSacctRecord('5', [mk('4'), mk('5')], dbg)).toEqual(mk('5'));
    expect(pickSacctRecord('5', [mk('5', 'FAILED'), mk('5', 'RUNNING')], dbg)?.JobState).toBe(
      'RUNNING',
    );
    expect(pickSacctRecord('6', [mk('6+0'), mk('6+1')], dbg)).toEqual(mk('6+0'));
    expect(pickSacctRecord('7', [mk('7_1'), mk('7_2')], dbg)).toBeUndefined();
    expect(pickSacctRecord('8', [], dbg)).toBeUndefined();
    expect(msgs.join('\n')).toMatch(/no line for job '8'.*Number of items in a sacct string/);
  });

  it('sacct argv is qq’s command with the ids comma-joined', () => {
    expect(sacctArgv(['1', '2'])).toEqual([
      'sacct',
      '--allocations',
      '--noheader',
      '--parsable2',
      '-j',
      '1,2',
      '--format=JobID,Account,State,User,JobName,Partition,WorkDir,AllocCPUs,ReqCPUs,AllocTRES,ReqTRES,AllocNodes,ReqNodes,Submit,Start,End,TimeLimit,NodeList,Reason,ExitCode',
    ]);
  });
});

describe('nodes, info file', () => {
  it('counts hostlists; refuses what it does not understand', () => {
    expect(expandHostlist('localhost')?.length).toBe(1);
    expect(expandHostlist('a,b,c')?.length).toBe(3);
    expect(expandHostlist('cn[101-103]')?.length).toBe(3);
    expect(expandHostlist('cn[01-03,07],gpu5')?.length).toBe(5);
    expect(expandHostlist('n[1-2]-[3-4]')?.length).toBe(4);
    expect(expandHostlist('x[1-')?.length).toBeUndefined();
    expect(expandHostlist('n[3-1]')?.length).toBeUndefined();
    expect(expandHostlist('n[1-2]]')?.length).toBeUndefined();
    expect(expandHostlist('x[a-b]')?.length).toBeUndefined();
  });

  it('main node: BatchHost, else the first node, else none', async () => {
    expect((await slurmJobInfo('1', { BatchHost: 'b1' }, ['n1', 'n2'])).mainNode).toBe('b1');
    expect((await slurmJobInfo('1', { BatchHost: 'None assigned' }, ['n1'])).mainNode).toBe('n1');
    expect((await slurmJobInfo('1', {}, ['n1', 'n2'])).mainNode).toBe('n1');
    expect((await slurmJobInfo('1', {}, [])).mainNode).toBeUndefined();
  });

  it('info file name: last suffix replaced by .qqinfo (Python with_suffix)', () => {
    expect(infoFileCandidate('/w', 'run_md.sh')).toBe('/w/run_md.qqinfo');
    expect(infoFileCandidate('/w', 'run')).toBe('/w/run.qqinfo');
    expect(infoFileCandidate('/w', 'a.tar.gz')).toBe('/w/a.tar.qqinfo');
    expect(infoFileCandidate('/w', '.hidden')).toBe('/w/.hidden.qqinfo');
    expect(infoFileCandidate('/w', 'job+0002.sh')).toBe('/w/job+0002.qqinfo');
    expect(infoFileCandidate('/w', '../x.sh')).toBeUndefined();
    expect(infoFileCandidate('/w', '')).toBeUndefined();
  });

  it('array task ranges', () => {
    expect(arrayTaskIdsContain('3-10%2', 4)).toBe(true);
    expect(arrayTaskIdsContain('1,4,7-9', 8)).toBe(true);
    expect(arrayTaskIdsContain('1,4,7-9', 5)).toBe(false);
    expect(arrayTaskIdsContain('0-10:5', 5)).toBe(true);
    expect(arrayTaskIdsContain('0-10:5', 4)).toBe(false);
  });
});
