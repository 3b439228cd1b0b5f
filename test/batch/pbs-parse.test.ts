/**
 * PBS parsers on recorded text: PBS Pro records as Metacentrum prints them (under
 * test/support/pbs/records/: `exec_host2`, `X` sub-jobs, which OpenPBS never prints), qq's own
 * fixture cases (docs/qq-behaviour.md §9 "PBS job"), and lines as OpenPBS prints them where a real run cannot
 * produce them on demand (walltime exceeded takes a mom poll cycle). The same parsers read the
 * real OpenPBS in test/batch/pbs.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cleanPbsNodeName,
  matchPbsRecords,
  parseQstatRecords,
  parseVariableList,
  pbsExitCode,
  pbsJobInfo,
  pbsNodes,
  pbsState,
  qstatFailures,
} from '../../src/batch/pbs.js';
import { BatchState } from '../../src/domain/states.js';

const RECORDS = join(__dirname, '../support/pbs/records');
const record = (id: string) => readFileSync(join(RECORDS, `${id}.txt`), 'utf8');

describe('parseQstatRecords', () => {
  it('splits several records and reads `key = value` lines at the first ` = `', () => {
    const text = `${record('1001.pbs-m1.metacentrum.cz')}\n${record('1009.pbs-m1.metacentrum.cz')}\n`;
    const recs = parseQstatRecords(text);
    expect(recs.map((r) => r.id)).toEqual([
      '1001.pbs-m1.metacentrum.cz',
      '1009.pbs-m1.metacentrum.cz',
    ]);
    expect(recs[0]?.fields.job_state).toBe('R');
    expect(recs[0]?.fields['Resource_List.select']).toBe('1:ncpus=8:mem=8gb:scratch_local=8gb');
    expect(recs[1]?.fields.Exit_status).toBe('3');
    expect(recs[0]?.fields['Job Id']).toBeUndefined();
  });

  it('a value holding ` = ` keeps it; text before the first record is ignored', () => {
    const recs = parseQstatRecords(
      'banner = yes\nJob Id: 1.s\n    comment = a = b\n    job_state = Q\n',
    );
    expect(recs).toEqual([{ id: '1.s', fields: { comment: 'a = b', job_state: 'Q' } }]);
  });

  it('joins tab-continued lines of a wrapped value (qstat without -w)', () => {
    const recs = parseQstatRecords(
      'Job Id: 2.s\n    Variable_List = PBS_O_WORKDIR=/a,QQ_IN\n\tFO=/a/x.qqinfo\n    job_state = R\n',
    );
    expect(parseVariableList(recs[0]?.fields.Variable_List).QQ_INFO).toBe('/a/x.qqinfo');
  });

  it('nothing recognisable → no records', () => {
    expect(parseQstatRecords('')).toEqual([]);
    expect(parseQstatRecords('qstat: Unknown Job Id 5.s\n')).toEqual([]);
  });
});

describe('PBS state (docs/qq-behaviour.md §2.3, qq’s get_state cases)', () => {
  it('R, Q; F without / with 0 / with 3; unknown code', () => {
    expect(pbsState({ job_state: 'R' })).toBe(BatchState.RUNNING);
    expect(pbsState({ job_state: 'Q' })).toBe(BatchState.QUEUED);
    expect(pbsState({ job_state: 'F' })).toBe(BatchState.FAILED);
    expect(pbsState({ job_state: 'F', Exit_status: ' 0 ' })).toBe(BatchState.FINISHED);
    expect(pbsState({ job_state: 'F', Exit_status: ' 3' })).toBe(BatchState.FAILED);
    expect(pbsState({ job_state: 'F', Exit_status: 'oops' })).toBe(BatchState.FAILED);
    expect(pbsState({ job_state: 'z' })).toBe(BatchState.UNKNOWN);
  });

  it('X is F; E H T W S; B M U and missing → UNKNOWN; codes upper-cased', () => {
    expect(pbsState({ job_state: 'X', Exit_status: '0' })).toBe(BatchState.FINISHED);
    expect(pbsState({ job_state: 'X', Exit_status: '-1' })).toBe(BatchState.FAILED);
    expect(pbsState({ job_state: 'X' })).toBe(BatchState.FAILED);
    expect(pbsState({ job_state: 'E' })).toBe(BatchState.EXITING);
    expect(pbsState({ job_state: 'H' })).toBe(BatchState.HELD);
    expect(pbsState({ job_state: 'T' })).toBe(BatchState.MOVING);
    expect(pbsState({ job_state: 'W' })).toBe(BatchState.WAITING);
    expect(pbsState({ job_state: 'S' })).toBe(BatchState.SUSPENDED);
    expect(pbsState({ job_state: 'e' })).toBe(BatchState.EXITING);
    for (const c of ['B', 'M', 'U', ''])
      expect(pbsState({ job_state: c }), c).toBe(BatchState.UNKNOWN);
    expect(pbsState({})).toBe(BatchState.UNKNOWN);
  });

  it('exit code valid / invalid / missing', () => {
    expect(pbsExitCode({ Exit_status: '0' })).toBe(0);
    expect(pbsExitCode({ Exit_status: ' 2 ' })).toBe(2);
    expect(pbsExitCode({ Exit_status: '-3' })).toBe(-3);
    expect(pbsExitCode({ Exit_status: 'oops' })).toBeUndefined();
    expect(pbsExitCode({ Exit_status: '1.5' })).toBeUndefined();
    expect(pbsExitCode({})).toBeUndefined();
  });
});

describe('PBS nodes and variables', () => {
  it('main node from exec_host2: single, multiple (with spaces around +), none', () => {
    expect(pbsNodes({ exec_host2: 'node04.fake.server.org:15002/3*8' })).toEqual([
      'node04.fake.server.org',
    ]);
    expect(
      pbsNodes({
        exec_host2:
          'node04.fake.server.org:15002/3*8+node05.fake.server.org:15002/3*8 + node07.fake.server.org:15002/3*8',
      }),
    ).toEqual(['node04.fake.server.org', 'node05.fake.server.org', 'node07.fake.server.org']);
    expect(pbsNodes({})).toEqual([]);
    expect(pbsJobInfo('1', {}).mainNode).toBeUndefined();
    expect(cleanPbsNodeName('tarkil12.metacentrum.cz:15002/0*8')).toBe('tarkil12.metacentrum.cz');
    expect(cleanPbsNodeName('(node05:ncpus=8:ngpus=1)')).toBe('node05');
    expect(cleanPbsNodeName('node02')).toBe('node02');
  });

  it('OpenPBS prints no exec_host2: nodes from exec_host, else exec_vnode, each once', () => {
    expect(pbsNodes({ exec_host: 'vm/0', exec_vnode: '(vm:ncpus=1)' })).toEqual(['vm']);
    expect(pbsNodes({ exec_host: 'n1/0*2+n1/1+n2/0', exec_vnode: '(n1:ncpus=2)' })).toEqual([
      'n1',
      'n2',
    ]);
    expect(pbsNodes({ exec_vnode: '(n3:ncpus=1)+(n4:ncpus=1:mem=1gb)' })).toEqual(['n3', 'n4']);
    // exec_host2, when PBS Pro prints it, is qq's source, taken as qq takes it.
    expect(pbsNodes({ exec_host2: 'a.x:15002/0*8', exec_host: 'b/0' })).toEqual(['a.x']);
    expect(pbsJobInfo('1', { job_state: 'R', exec_host: 'vm/0' }).mainNode).toBe('vm');
  });

  it('input dir from PBS_O_WORKDIR, else QQ_INPUT_DIR, else INF_INPUT_DIR; info file from QQ_INFO', () => {
    const info = (vl: string) => pbsJobInfo('1', { job_state: 'R', Variable_List: vl });
    expect(info('PBS_O_WORKDIR=/p,QQ_INPUT_DIR=/q,INF_INPUT_DIR=/i').inputDir).toBe('/p');
    expect(info('QQ_INPUT_DIR=/q,INF_INPUT_DIR=/i').inputDir).toBe('/q');
    expect(info('INF_INPUT_DIR=/i').inputDir).toBe('/i');
    expect(info('A=1').inputDir).toBeUndefined();
    expect(info('QQ_INFO=/p/job.qqinfo').infoFile).toBe('/p/job.qqinfo');
    expect(info('PBS_O_WORKDIR=/p').infoFile).toBeUndefined();
    expect(pbsJobInfo('1', {}).infoFile).toBeUndefined();
  });

  it('Variable_List: values keep `=`; PBS-escaped commas stay in the value', () => {
    expect(parseVariableList('A=1,B=x=y,C=,D')).toEqual({ A: '1', B: 'x=y', C: '' });
    expect(parseVariableList('PATH=/a\\,/b,QQ_INFO=/c/d.qqinfo')).toEqual({
      PATH: '/a,/b',
      QQ_INFO: '/c/d.qqinfo',
    });
    expect(parseVariableList(undefined)).toEqual({});
  });

  it('Variable_List: read as a character-by-character scan reads it, on random lists', () => {
    // The rule written out one character at a time (backslash-comma is a comma of the value).
    const scan = (value: string) => {
      const out: Record<string, string> = {};
      let cur = '';
      const items: string[] = [];
      for (let i = 0; i < value.length; i++) {
        if (value[i] === '\\' && value[i + 1] === ',') {
          cur += ',';
          i++;
        } else if (value[i] === ',') {
          items.push(cur);
          cur = '';
        } else cur += value[i];
      }
      items.push(cur);
      for (const item of items) {
        const eq = item.indexOf('=');
        if (eq > 0) out[item.slice(0, eq).trim()] = item.slice(eq + 1);
      }
      return out;
    };
    let seed = 7;
    const chars = ['\\', ',', '=', 'A', 'b', ' ', '/'];
    for (let n = 0; n < 5000; n++) {
      let v = '';
      for (let k = n % 17; k > 0; k--) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        v += chars[seed % chars.length];
      }
      if (v) expect(parseVariableList(v), JSON.stringify(v)).toEqual(scan(v));
    }
  });
});

describe('OpenPBS exit statuses (as qstat prints them; qq: anything but 0 is FAILED)', () => {
  it('-29 walltime exceeded, 271 deleted while running, 265 deleted while suspended: FAILED with that code', () => {
    for (const code of [-29, 271, 265]) {
      const info = pbsJobInfo('1', { job_state: 'F', Exit_status: String(code) });
      expect(info, String(code)).toMatchObject({ state: BatchState.FAILED, exitCode: code });
    }
  });
});

describe("qstat's error lines paired with the ids it printed no record for", () => {
  it('unknown ids, an id it refuses, and a server it cannot reach (named as the default server)', () => {
    const f = qstatFailures(
      [
        'qstat: Unknown Job Id 999.vm',
        'qstat: illegally formed job identifier: 123.otherserver',
        'qstat: cannot connect to server vm (errno=15010)',
      ].join('\n'),
      ['999', '123.otherserver', '5.elsewhere'],
    );
    expect([...f.refused.keys()]).toEqual(['123.otherserver']);
    expect([...f.unreachable]).toEqual([
      ['5.elsewhere', 'qstat: cannot connect to server vm (errno=15010)'],
    ]);
  });

  it('nothing on stderr, or only unknown ids: no failures', () => {
    expect(qstatFailures('', ['1'])).toEqual({ unreachable: new Map(), refused: new Map() });
    expect(qstatFailures('qstat: Unknown Job Id 1.vm\n', ['1']).unreachable.size).toBe(0);
  });
});

describe('matching asked ids to records', () => {
  const recs = ['123.srv.example.com', '124.other.org', '125[1].srv.example.com', '7.a', '7.b'].map(
    (id) => ({ id, fields: {} }),
  );
  const m = (ids: string[]) =>
    Object.fromEntries([...matchPbsRecords(ids, recs)].map(([k, v]) => [k, v.id]));

  it('exact, then a server-name extension, then the number for a bare id', () => {
    expect(m(['123'])).toEqual({ '123': '123.srv.example.com' });
    expect(m(['123.srv'])).toEqual({ '123.srv': '123.srv.example.com' });
    expect(m(['123.srv.example.com'])).toEqual({ '123.srv.example.com': '123.srv.example.com' });
    expect(m(['125[1]'])).toEqual({ '125[1]': '125[1].srv.example.com' });
    expect(m(['124.wrong'])).toEqual({});
    expect(m(['999'])).toEqual({});
    expect(m(['7.b', '7.a'])).toEqual({ '7.b': '7.b', '7.a': '7.a' });
  });
});
