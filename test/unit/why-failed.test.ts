/** The scheduler's account of a job (src/batch/usage.ts) and a stderr's last lines (why-failed.ts). */
import { describe, expect, it } from 'vitest';
import { lastLines } from '../../src/action/report/why-failed.js';
import { parseQstatRecords, pbsJobInfo } from '../../src/batch/pbs.js';
import { parseScontrolLine } from '../../src/batch/slurm/parse.js';
import { pbsUsage, slurmUsage } from '../../src/batch/usage.js';

describe('the scheduler’s account', () => {
  it('PBS: walltime and memory used of asked; Exit_status -29 is a walltime kill', () => {
    const [record] = parseQstatRecords(
      [
        'Job Id: 6001.pbs-m1',
        '    job_state = F',
        '    Exit_status = -29',
        '    resources_used.walltime = 01:00:04',
        '    resources_used.mem = 1204kb',
        '    Resource_List.walltime = 01:00:00',
        '    Resource_List.mem = 4gb',
        '',
      ].join('\n'),
    );
    const info = pbsJobInfo('6001.pbs-m1', record?.fields ?? {});
    expect(info.usage).toEqual({
      walltime: '01:00:04',
      walltimeLimit: '01:00:00',
      mem: '1204kb',
      memLimit: '4gb',
      limitKill: { limit: 'walltime', said: 'Exit_status -29' },
    });
    expect(pbsUsage({ Exit_status: '1' })).toBeUndefined();
    expect(pbsUsage({ Exit_status: '-27' })?.limitKill?.limit).toBe('memory');
    // Nothing long is kept for a campaign's thousands of jobs.
    expect(pbsUsage({ 'resources_used.mem': 'x'.repeat(500) })).toBeUndefined();
  });

  it('Slurm: RunTime of TimeLimit; TIMEOUT is a walltime kill, OUT_OF_MEMORY a memory one', () => {
    const line =
      'JobId=12 JobName=run_md.sh JobState=TIMEOUT Reason=TimeLimit RunTime=00:01:31 TimeLimit=00:01:00 ExitCode=0:15';
    expect(slurmUsage(parseScontrolLine(line))).toEqual({
      walltime: '00:01:31',
      walltimeLimit: '00:01:00',
      limitKill: { limit: 'walltime', said: 'TIMEOUT' },
    });
    expect(slurmUsage({ JobState: 'FAILED', TimeLimit: 'UNLIMITED' })).toBeUndefined();
    expect(slurmUsage({ JobState: 'OUT_OF_MEMORY' })?.limitKill?.limit).toBe('memory');
  });
});

describe('a stderr file’s last lines', () => {
  it('the last n lines, a first line cut by the byte cap left out, terminal escapes removed', () => {
    const text = Buffer.from('partial line\nline 1\n\u001b[31mred\u001b[0m\r\nline 3\n\n');
    expect(lastLines(text, true, 20)).toEqual({ text: 'line 1\nred\nline 3', lines: 3, cut: true });
    expect(lastLines(text, false, 2)).toEqual({ text: 'red\nline 3', lines: 2, cut: true });
    expect(lastLines(Buffer.from('a\u0000b\u0007\n'), false, 5)).toEqual({
      text: 'ab',
      lines: 1,
      cut: false,
    });
    expect(lastLines(Buffer.from(''), false, 5).lines).toBe(0);
  });
});
